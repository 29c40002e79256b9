"""French alphabetical order for the names people read in lists (régions, communes, contracts, people…).

A database compares text byte by byte unless told otherwise (PostgreSQL's `C.UTF-8`, SQLite's `BINARY`):
« Île-de-France » after « Provence-Alpes-Côte d'Azur », « CLS Pays de Caux » before « CLS de Fécamp »
(capitals first), « Évreux » after « Yvetot ». The named columns say `db_collation=FRENCH` instead, so every
ORDER BY on them is French whatever the database's own locale:

- PostgreSQL: the ICU collation `french` (locale `fr`), created by migration `core.0006_french_collation`.
  It is deterministic: equal only when identical, so unique constraints and LIKE keep working.
- SQLite (the embedded default): a collation of the same name, registered on every connection Django opens
  (`register_sqlite`, wired in `CoreConfig.ready`), comparing `french_key`. A connection Django did not open
  (the `sqlite3` shell) does not know it and refuses to sort those columns.

`french_key` is also the order of names sorted in Python. It follows ICU's French order on what names hold:
letters first without accents or case (œ as « oe »), then accents, then case (lowercase first); spaces and
punctuation before letters. ICU orders the punctuation marks among themselves its own way (a hyphen before
an apostrophe), which this key does not copy.
"""

from __future__ import annotations

import functools
import unicodedata

FRENCH = "french"

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


@functools.lru_cache(maxsize=16384)
def french_key(text: str) -> tuple[str, str, str]:
    """Sort key of `text` in French order: (letters without accents nor case, with accents, case)."""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_LIGATURES))
    folded = decomposed.casefold()
    return "".join(c for c in folded if not unicodedata.combining(c)), folded, decomposed.swapcase()


def french_compare(a: str, b: str) -> int:
    ka, kb = french_key(a), french_key(b)
    return (ka > kb) - (ka < kb)


def register_sqlite(connection, **kwargs) -> None:
    """`connection_created` receiver (its sender, the backend's class, comes in `kwargs`): SQLite connections
    learn the `french` collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(FRENCH, french_compare)
