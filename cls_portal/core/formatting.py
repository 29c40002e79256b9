"""The one display rule of the portal for numbers, money, plurals and dates (French).

The rule, chosen on purpose: **nothing is localised unless it is a quantity.** `USE_THOUSAND_SEPARATOR`
is off (settings), so Django prints every number as it is: years (`2025`), ids, INSEE codes, CSS values
(`left:14.28%`), URLs and form values never get a separator or a decimal comma. Quantities (amounts,
populations, counts, indicator values) are formatted explicitly, through this module only:

- in templates with the filters `euros`, `nombre`, `pourcent`, `date_longue` (builtins, see
  `templatetags/portal_tags.py`), and Django's `pluralize` replaced by the French rule (0 and 1 are
  singular: "0 fiche réalisée", "1 contrat signé", "2 contrats signés");
- in Python (charts, history sentences, PDFs, messages) with the functions below; CSV exports write
  numbers with `spreadsheet_number` (decimal comma, no separator, so that a spreadsheet reads a number).

One thousands separator everywhere: `THOUSANDS` (U+00A0, no-break space, the separator of Django's own
French locale; every font of the DSFR and of the PDFs has its glyph, which is not true of U+202F).
A negative quantity takes the minus sign `MINUS` (U+2212, « −8 100 € »), as French typography wants, not the
hyphen-minus. That is for what people read only: what a machine reads back (CSV/XLSX cells through
`spreadsheet_number` or raw values, CSS through `css_number`, form values through the fields' `prepare_value`)
keeps ASCII, and `cls_portal.core.numbers` reads both signs back (a figure copied from a page).

    format_number(1234567.5) == "1 234 567,5"            format_euros(25000) == "25 000 €"
    format_number(2.456, 1) == "2,5"                       format_percent(Decimal("0.5")) == "50 %"
    format_date_long(date(2026, 3, 1)) == "1er mars 2026"    format_euros(-8100) == "−8 100 €"
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone

THOUSANDS = "\u00a0"  # the one thousands separator, also the space before a unit (€, %)
NBSP = THOUSANDS
DECIMAL = ","
MINUS = "\u2212"  # the minus sign of what people read (never in CSV, XLSX, CSS or form values)

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]


def _group(int_part: str) -> str:
    neg = int_part.startswith("-")
    digits = int_part.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return (MINUS if neg else "") + THOUSANDS.join(groups)


def to_decimal(value) -> Decimal | None:
    """A Decimal from an int, float, Decimal or plain numeric string; None when it is not a number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def round_half_up(value, decimals: int = 0) -> Decimal | None:
    """The one rounding of the portal (tables, charts, PDFs): half up, as a person rounds."""
    d = to_decimal(value)
    if d is None:
        return None
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value, decimals: int | None = None, unit: str = "") -> str:
    """`1234567.5` -> `1 234 567,5`; with `decimals`, always that many decimals; `unit` after a no-break
    space. Not a number: returned as text (an empty value gives "")."""
    if value is None or value == "":
        return ""
    d = to_decimal(value)
    if d is None:
        return str(value)
    if decimals is not None:
        d = round_half_up(d, decimals)
    text = f"{d:f}"
    int_part, _, frac = text.partition(".")
    if decimals is None:
        frac = frac.rstrip("0")
    if int_part in ("-0", "-") and not frac.strip("0"):
        int_part = "0"
    out = _group(int_part) + (DECIMAL + frac if frac else "")
    return f"{out}{NBSP}{unit}" if unit else out


def form_number(value) -> str:
    """A quantity shown back in a form field as a person reads it (`100 000`, `12,5`, `34` for a stored
    `34.00`) with the ASCII minus (`-5`): `cls_portal.core.numbers` reads it back unchanged."""
    return format_number(value).replace(MINUS, "-")


def format_euros(value) -> str:
    """Money the French way: whole euros without decimals (`25 000 €`), otherwise cents (`12 500,50 €`)."""
    d = round_half_up(value, 2)
    if d is None:
        return "" if value in (None, "") else str(value)
    if d == d.to_integral_value():
        return format_number(d, 0, "€")
    return format_number(d, 2, "€")


def format_percent(value, decimals: int = 0) -> str:
    """A ratio (0.5) shown as `50 %`."""
    d = to_decimal(value)
    if d is None:
        return "" if value in (None, "") else str(value)
    return format_number(d * 100, decimals, "%")


def is_plural(count) -> bool:
    """French agreement: 0 and 1 take the singular ("0 fiche réalisée"), 2 and more the plural."""
    try:
        return abs(Decimal(str(count))) >= 2
    except (InvalidOperation, ValueError):
        return False


def count_label(count: int, one: str, many: str | None = None) -> str:
    """A count and its words, agreed the French way (`is_plural`): « 0 contrat importé », « 1 fiche »,
    « 1 234 contrats importés ». `many` defaults to `one` + « s »."""
    return f"{format_number(count)} {(many or one + 's') if is_plural(count) else one}"


def format_date_long(value) -> str:
    """A date written out for a document read by élus: `1er mars 2026`, `15 juin 2025`."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    if not isinstance(value, dt.date):
        return str(value)
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def format_time(value) -> str:
    """A time of day the French way: `9 h 30`, `14 h` (a time or "HH:MM[:SS]")."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.time.fromisoformat(value)
        except ValueError:
            return value
    return f"{value.hour} h" + (f" {value.minute:02d}" if value.minute else "")


def spreadsheet_number(value) -> str:
    """A number for a CSV cell a French spreadsheet reads as a number: decimal comma, no separator
    (`1234,5`; a separator would turn it into text)."""
    d = to_decimal(value)
    if d is None:
        return "" if value in (None, "") else str(value)
    return f"{d:f}".replace(".", DECIMAL)


def css_number(value, decimals: int = 2) -> str:
    """A number for CSS or SVG attributes (`14.28`): point, no separator, whatever the language."""
    d = round_half_up(value or 0, decimals)
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
