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

Searching: `fold` is a name as people type it (lowercase, no accents, ligatures spelled out, hyphens and
apostrophes as spaces): « Saint-Étienne » and « L'Haÿ-les-Roses » fold to « saint etienne » and « l hay les roses ».
The searched columns keep their folded name in a generated column (`folded_column`: `Folded`, the same folding
in SQL, made by the database on every write, bulk ones included), and a search compares it with the folded
words typed (`search_q`): « evreux » finds « Évreux ».

`french_key` is also the order of names sorted in Python. It follows ICU's French order on what names hold:
letters first without accents or case (œ as « oe »), then accents, then case (lowercase first); spaces and
punctuation before letters. ICU orders the punctuation marks among themselves its own way (a hyphen before
an apostrophe), which this key does not copy.
"""

from __future__ import annotations

import functools
import unicodedata

from django.db.models import CharField, Func, GeneratedField, Q

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
    learn the `french` collation and the `cls_fold` function (`Folded`)."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(FRENCH, french_compare)
        connection.connection.create_function("cls_fold", 1, fold, deterministic=True)


# The folding, one character for one (SQL's translate()): every lowercase letter of Latin-1 and Latin
# Extended-A that is an ASCII letter with marks, mapped to that letter; hyphens and apostrophes to spaces.
# The ligatures, one character for two, are spelled out first (SQL's replace()). Python and SQL fold alike
# because both read these two strings.
def _unmarked(c: str) -> str:
    return "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))


_MARKED = [c for c in map(chr, range(0xE0, 0x180))
           if c == c.lower() and len(_unmarked(c)) == 1 and _unmarked(c).isascii() and _unmarked(c) != c]
FOLD_FROM, FOLD_TO = "".join(_MARKED) + "-'’", "".join(map(_unmarked, _MARKED)) + "   "
_SPELLED = (("œ", "oe"), ("æ", "ae"), ("ß", "ss"))
_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)


def fold(text) -> str:
    """`text` as it is searched: lowercase, letters without their accents, « œ » as « oe », hyphens and
    apostrophes as spaces (`Folded` does the same in SQL)."""
    text = str(text or "").lower()
    for ligature, spelled in _SPELLED:
        text = text.replace(ligature, spelled)
    return text.translate(_FOLD)


def fold_query(text) -> str:
    """What a person typed, folded, its spaces collapsed (« saint  etienne » finds « Saint-Étienne »)."""
    return " ".join(fold(text).split())


class Folded(Func):
    """`fold` of a text column, in SQL: translate(replace(lower(x), 'œ', 'oe')…) on PostgreSQL (immutable, so a
    generated column may hold it), the `cls_fold` function registered on each SQLite connection there."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **_):
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "sqlite":
            return f"cls_fold({sql})", params
        sql = f"lower({sql})"
        for ligature, spelled in _SPELLED:
            sql = f"replace({sql}, '{ligature}', '{spelled}')"
        quoted_from = FOLD_FROM.replace("'", "''")
        return f"translate({sql}, '{quoted_from}', '{FOLD_TO}')", params


def folded_column(source: str, max_length: int, verbose_name: str) -> GeneratedField:
    """The generated column holding `fold(source)`, the one searches read (`search_q`)."""
    return GeneratedField(expression=Folded(source), output_field=CharField(max_length=max_length),
                          db_persist=True, verbose_name=verbose_name)


def search_q(typed, *columns: str) -> Q:
    """Rows whose folded `columns` (`folded_column`s, through relations too) hold the words `typed`, accents,
    case, hyphens and apostrophes aside. Punctuation alone (« -- ») names nothing: no row, rather than every one."""
    words = fold_query(typed)
    if not words:
        return Q(pk__in=[])
    q = Q()
    for column in columns:
        q |= Q(**{f"{column}__contains": words})
    return q
