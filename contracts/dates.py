"""The order of a contract's milestones: start of the phase préalable, letter of intent, signature.

One owner for these rules (fiche pratique n°5: the phase préalable ends with the élus' letter of intent; the
signature comes after both). Pure functions raising `DomainError` on the field concerned, with a French message
naming the date it conflicts with; the services call them (`contract_update`, the signature's effects), and so
does the XLSX import for its row errors.
"""

from __future__ import annotations

import datetime as dt

from cls_portal.core.errors import DomainError

from . import steps as method


def fr(day: dt.date) -> str:
    """JJ/MM/AAAA."""
    return f"{day:%d/%m}/{day.year}"


def signature_lower_bound(*, debut: dt.date | None, lettre: dt.date | None) -> tuple[dt.date, str] | None:
    """The day a signature may not precede, with its name in words: the latest of the letter of intent and the
    start of the phase préalable (None when neither is known)."""
    known = [(d, label) for d, label in ((lettre, "la lettre d'intention"), (debut, "le début de la phase préalable"))
             if d is not None]
    return max(known, key=lambda item: item[0]) if known else None


def check_signature_date(value: dt.date, *, debut: dt.date | None, lettre: dt.date | None, today: dt.date,
                         field: str = "date_signature") -> dt.date:
    """A contract's signature date: a day that has come, not before the letter of intent nor the start of the
    phase préalable."""
    if value > today:
        raise DomainError(f"La date de signature ne peut pas être un jour à venir (aujourd'hui : {fr(today)}).",
                          field=field)
    bound = signature_lower_bound(debut=debut, lettre=lettre)
    if bound is not None and value < bound[0]:
        raise DomainError(f"La signature ({fr(value)}) ne peut pas précéder {bound[1]} ({fr(bound[0])}).",
                          field=field)
    return value


def check_letter_date(value: dt.date, *, debut: dt.date | None, signature: dt.date | None, today: dt.date,
                      field: str = "date_lettre_intention") -> dt.date:
    """The letter of intent's date: a day that has come, not before the start of the phase préalable (the letter
    closes it), not after the signature."""
    if value > today:
        raise DomainError("La lettre d'intention ne peut pas être datée d'un jour à venir "
                          f"(aujourd'hui : {fr(today)}).", field=field)
    if debut is not None and value < debut:
        raise DomainError(f"La lettre d'intention ({fr(value)}) ne peut pas précéder le début de la phase préalable "
                          f"({fr(debut)}) : elle la conclut.", field=field)
    if signature is not None and value > signature:
        raise DomainError(f"La lettre d'intention ({fr(value)}) ne peut pas suivre la signature du contrat "
                          f"({fr(signature)}).", field=field)
    return value


def check_start_date(value: dt.date, *, lettre: dt.date | None, signature: dt.date | None,
                     field: str = "date_debut_prealable") -> dt.date:
    """The start of the phase préalable: not after the letter of intent nor after the signature."""
    for day, label in ((lettre, "la lettre d'intention"), (signature, "la signature du contrat")):
        if day is not None and value > day:
            raise DomainError(f"Le début de la phase préalable ({fr(value)}) ne peut pas suivre {label} "
                              f"({fr(day)}).", field=field)
    return value


def check_expected_signature(debut: dt.date, prevue: dt.date | None) -> None:
    """The expected signature comes 6 months at least after the start (« Avant la signature : 6 mois à 1 an »,
    fiche pratique n°5: the préalable, the diagnostic and the plan together) and less than 4 years after it."""
    if prevue is None:
        return
    months = (prevue.year - debut.year) * 12 + prevue.month - debut.month
    if months < method.MIN_PLAN_MONTHS:
        raise DomainError("La fiche pratique compte 6 mois à un an avant la signature (phase préalable, diagnostic "
                          "et plan d'action) : prévoyez la signature au moins 6 mois après le début de la démarche.",
                          field="date_signature_prevue")
    if months > method.MAX_PLAN_MONTHS:
        raise DomainError("Prévoyez la signature moins de 4 ans après le début de la démarche (la fiche pratique "
                          "compte 6 mois à un an avant la signature).", field="date_signature_prevue")


def check_not_before_start(value: dt.date, *, debut: dt.date | None, what: str, field: str) -> dt.date:
    """A day of the contract's life (a milestone reached, ...): not before the start of its phase préalable, the
    day the contract began (no bound when that day is not known). `what`: the date's name, capitalised
    (« La date de réalisation »)."""
    if debut is not None and value < debut:
        raise DomainError(f"{what} ({fr(value)}) ne peut pas précéder le début du contrat : sa phase préalable a "
                          f"commencé le {fr(debut)}.", field=field)
    return value
