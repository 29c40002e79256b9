"""One parser for every number typed in the portal (forms, query parameters, imports): the French way.

    parse_decimal("25 000,50 €") == Decimal("25000.50")      # decimal comma or point, spaces, NBSP, €
    parse_decimal("35,5") == Decimal("35.5")
    parse_decimal("−8 100") == Decimal("-8100")               # the minus sign the pages print (U+2212), or "-"
    parse_integer("2 025") == 2025
    parse_decimal("1_000")  -> NumberError                   # Python's own Decimal()/int() accept it
    parse_decimal("١٢٣")    -> NumberError                   # ... and these Arabic-Indic digits
    parse_decimal("1e308"), "NaN", "Infinity", "²"  -> NumberError

Only ASCII digits, one optional leading sign (`+`, `-`, or the minus sign U+2212 that
`cls_portal.core.formatting` prints: a figure copied from a page reads back), at most one decimal
separator (comma or point), spaces (normal, non-breaking, narrow) as thousands separators, a trailing
`€` or `%` ignored.
Display is `cls_portal.core.formatting`'s business; this module only reads.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MAX_CHARS = 40
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
MINUS = "\u2212"
_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")


class NumberError(ValueError):
    """The text is not a number written the French way. `str(err)` is a French message; `code` says why
    ("invalid": not a number at all, where a form field may prefer its own words; "too_long", "too_big",
    "exponent": a message of its own that the field shows as it is)."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


_EXPONENT = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+")


def _clean(text, *, units: str) -> str:
    if text is None:
        raise NumberError("Saisissez un nombre.")
    text = str(text).strip()
    if len(text) > MAX_CHARS:
        raise NumberError("Ce nombre est beaucoup trop long.", "too_long")
    for unit in units:
        if text.endswith(unit):
            text = text[: -len(unit)].rstrip()
    text = _SPACES.sub("", text)
    return "-" + text[1:] if text.startswith(MINUS) else text


def parse_decimal(text, *, max_digits: int | None = None) -> Decimal:
    """A Decimal from French-typed text (see module doc). Raises NumberError (French message)."""
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int) and not isinstance(text, bool):
        value = Decimal(text)
    else:
        cleaned = _clean(text, units="€%")
        if _EXPONENT.fullmatch(cleaned):
            # 1e5 is 100000 to Python, a typo to most people: the figure is written out in full.
            raise NumberError("Écrivez le nombre en chiffres, sans exposant (« e ») : par exemple 100 000 et non "
                              "1e5.", "exponent")
        if not _NUMBER.fullmatch(cleaned):
            raise NumberError("Saisissez un nombre, par exemple 23 000 ou 23 000,50.")
        try:
            value = Decimal(cleaned.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern above only lets valid literals through
            raise NumberError("Saisissez un nombre, par exemple 23 000 ou 23 000,50.") from None
    if not value.is_finite():
        raise NumberError("Saisissez un nombre, par exemple 23 000 ou 23 000,50.")
    if max_digits is not None and value.adjusted() >= max_digits:
        raise NumberError("Ce nombre est beaucoup trop grand.", "too_big")
    return value


def parse_integer(text) -> int:
    """An int from French-typed text (`2 025`, `-3`). Raises NumberError (French message)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    cleaned = _clean(text, units="")
    if not _INTEGER.fullmatch(cleaned):
        raise NumberError("Saisissez un nombre entier.")
    return int(cleaned)


__all__ = ["NumberError", "parse_decimal", "parse_integer"]
