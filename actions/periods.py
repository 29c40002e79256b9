"""Periods of an indicator's year (semesters, quarters, months) and how a year's figure is made from them.

Pure functions, no query. A sub-annual indicator (`Frequence.SEMESTRIELLE`, `TRIMESTRIELLE`, `MENSUELLE`)
takes one value per period (`ValeurPeriode`); the year's figure (`ValeurIndicateur`, which every page, chart,
summary and report reads) is the aggregate of the periods entered, by the indicator's `agregation`:
the sum for a count (people received, sessions held), the last period's value for a rate or a stock (a
share of the population, a waiting list), or the mean of the periods. Annual and end-of-contract
indicators take one value per year, as before.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from .enums import Agregation, Frequence

PER_YEAR = {Frequence.SEMESTRIELLE: 2, Frequence.TRIMESTRIELLE: 4, Frequence.MENSUELLE: 12}
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
# Codes accepted by the import's « période » column (and shown in its template): S1, T3, M11.
CODE_LETTER = {Frequence.SEMESTRIELLE: "S", Frequence.TRIMESTRIELLE: "T", Frequence.MENSUELLE: "M"}
NOUN = {Frequence.SEMESTRIELLE: ("semestre", "semestres"), Frequence.TRIMESTRIELLE: ("trimestre", "trimestres"),
        Frequence.MENSUELLE: ("mois", "mois")}


def periods_per_year(frequence: str) -> int:
    """2, 4 or 12 for a sub-annual indicator; 0 when it takes one value per year."""
    return PER_YEAR.get(frequence, 0)


def _ordinal(n: int) -> str:
    return "1er" if n == 1 else f"{n}e"


def period_label(frequence: str, annee: int, n: int) -> str:
    """« 1er semestre 2025 », « 2e trimestre 2025 », « mars 2025 »."""
    if frequence == Frequence.MENSUELLE:
        return f"{MONTHS[n - 1]} {annee}"
    return f"{_ordinal(n)} {NOUN[frequence][0]} {annee}"


def period_start(frequence: str, annee: int, n: int) -> dt.date:
    months = 12 // periods_per_year(frequence)
    return dt.date(annee, 1 + (n - 1) * months, 1)


def is_future(frequence: str, annee: int, n: int, today: dt.date) -> bool:
    """A period that has not begun cannot carry a value (the period under way can)."""
    return period_start(frequence, annee, n) > today


def parse_period(frequence: str, text: str) -> int | None:
    """The period number written in an import cell (« T2 », « t2 », « 2 », « S1 », « M11 », « mars »), or None
    when it does not name a period of this frequency."""
    text = (text or "").strip().lower().replace(" ", "")
    n_max = periods_per_year(frequence)
    if not n_max:
        return None
    if frequence == Frequence.MENSUELLE and text in MONTHS:
        return MONTHS.index(text) + 1
    letter = CODE_LETTER[frequence].lower()
    if text.startswith(letter):
        text = text[1:]
    if text.isdigit() and 1 <= int(text) <= n_max:
        return int(text)
    return None


def aggregate(agregation: str, values: dict[int, Decimal]) -> Decimal | None:
    """The year's figure from the values entered, by period number (None when none is entered)."""
    if not values:
        return None
    if agregation == Agregation.DERNIERE:
        return values[max(values)]
    total = sum(values.values(), Decimal("0"))
    if agregation == Agregation.MOYENNE:
        return (total / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return total


def completeness(entered: int | None, frequence: str) -> str:
    """« 3 périodes sur 4 renseignées » for a year whose periods are not all entered ("" otherwise)."""
    n_max = periods_per_year(frequence)
    if entered is None or not n_max or entered >= n_max:
        return ""
    return f"{entered} période{'s' if entered > 1 else ''} sur {n_max} renseignée{'s' if entered > 1 else ''}"
