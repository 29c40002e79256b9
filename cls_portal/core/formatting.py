"""French display of money and numbers: 25 000 €, 12 500,50 €, 50 %."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NBSP = "\u00a0"  # non-breaking space: thousands separator and before the unit


def _group(int_part: str) -> str:
    neg = int_part.startswith("-")
    digits = int_part.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return ("-" if neg else "") + NBSP.join(groups)


def format_number(value, decimals: int | None = None) -> str:
    """`1234567.5` -> `1 234 567,5`; with `decimals`, always that many decimals."""
    if value is None or value == "":
        return ""
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if decimals is not None:
        d = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign, digits, exp = d.as_tuple()
    text = f"{d:f}"
    int_part, _, frac = text.partition(".")
    if decimals is None:
        frac = frac.rstrip("0")
    return _group(int_part) + ("," + frac if frac else "")


def format_euros(value) -> str:
    """Money the French way: whole euros without decimals (`25 000 €`), otherwise cents (`12 500,50 €`)."""
    if value is None or value == "":
        return ""
    d = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if d == d.to_integral_value():
        return f"{format_number(d, 0)}{NBSP}€"
    return f"{format_number(d, 2)}{NBSP}€"


def format_percent(value, decimals: int = 0) -> str:
    """A ratio (0.5) or a percentage-as-Decimal-rate shown as `50 %`."""
    if value is None or value == "":
        return ""
    return f"{format_number(Decimal(str(value)) * 100, decimals)}{NBSP}%"
