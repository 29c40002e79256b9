"""Funding figures of the regional view, read from the funding app's yearly coordination posts.

A post counts as filled for a year when the contract's funding year says it was filled the twelve
months; a contract that has filed no funding year for it falls back on whether a coordinator is
named on the contract. The same expression serves the dashboard's count and the list filter, so a
figure and the list behind it always agree.
"""

from __future__ import annotations

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, Sum, When

from contracts.models import Contract
from funding.models import AnneeFinancement
from funding.selectors import contracts_without_dialogue as _without_dialogue


def post_filled(year: int) -> Case:
    year_rows = AnneeFinancement.objects.filter(contract_id=OuterRef("pk"), annee=year)
    coordinator = Contract.coordinators.through.objects.filter(contract_id=OuterRef("pk"))
    filled = Q(Exists(year_rows.filter(mois_pourvus=12))) | (~Q(Exists(year_rows)) & Q(Exists(coordinator)))
    return Case(When(filled, then=True), default=False, output_field=BooleanField())


def committed(year: int):
    return Exists(AnneeFinancement.objects.filter(contract_id=OuterRef("pk"), annee=year,
                                                  montant_accorde__isnull=False))


def dashboard_funding(contracts, year: int) -> dict:
    """ARS commitment for `year` over `contracts` (one query)."""
    agg = AnneeFinancement.objects.filter(contract__in=contracts.values("pk"), annee=year,
                                          montant_accorde__isnull=False).aggregate(
        committed=Sum("montant_accorde"), paid=Sum("total_verse"), nb_contracts=Count("contract_id", distinct=True))
    return {"committed": agg["committed"] or 0, "paid": agg["paid"] or 0, "nb_contracts": agg["nb_contracts"],
            "posts_hint": f"Postes {year} : d'après l'année de financement déclarée (poste pourvu les 12 mois), "
                          f"sinon d'après le coordinateur nommé sur le contrat."}


def filter_coordination(qs, value: str, year: int):
    """Contracts whose coordination post is filled ("pourvu") or vacant ("vacant") in `year`."""
    qs = qs.alias(_filled=post_filled(year))
    return qs.filter(_filled=(value == "pourvu"))


def filter_committed(qs, year: int):
    return qs.filter(committed(year))


def contracts_without_dialogue(contracts, year: int):
    """Ids of `contracts` with no dialogue de gestion recorded for `year`."""
    return _without_dialogue(year).filter(pk__in=contracts.values("pk")).values("pk")
