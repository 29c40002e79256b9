"""Writes on contracts. Each service is atomic, takes an explicit `actor` and records history."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cls_portal.core import history
from cls_portal.core.errors import DomainError
from cls_portal.territories.models import Commune, Delegation

from .models import Contract


def _delegations_for(communes) -> list[Delegation]:
    deps = {c.departement_id for c in communes}
    return list(Delegation.objects.filter(departement_id__in=deps))


@transaction.atomic
def contract_create(*, actor, nom: str, collectivite, ars, epci=None, commune_codes: list[str] | None = None,
                    prs: str = "", duree_annees: int = 5, date_debut_prealable: dt.date | None = None,
                    coordinators=(), referent=None, **extra) -> Contract:
    """Create a contract on a perimeter (an EPCI's communes, or an explicit list of communes).

    Preconditions: `collectivite` is a collectivité; the perimeter is not empty; duration 3 to 5 years.
    The délégations concerned are derived from the communes' départements.
    """
    if not collectivite.is_collectivite:
        raise DomainError("La structure porteuse doit être une collectivité.", field="collectivite")
    if not 3 <= int(duree_annees) <= 5:
        raise DomainError("La durée d'un CLS est de 3 à 5 ans.", field="duree_annees")
    if commune_codes:
        communes = list(Commune.objects.filter(code__in=commune_codes))
    elif epci is not None:
        communes = list(epci.communes.all())
    else:
        communes = []
    if not communes:
        raise DomainError("Le périmètre doit comprendre au moins une commune.", field="communes")
    contract = Contract.objects.create(
        nom=nom, collectivite=collectivite, ars=ars, epci=epci, prs=prs, duree_annees=duree_annees,
        date_debut_prealable=date_debut_prealable, referent=referent, **extra,
    )
    contract.communes.set(communes)
    contract.delegations.set(_delegations_for(communes))
    contract.coordinators.set(coordinators)
    history.record(actor=actor, obj=contract, action="création", changes={"nom": [None, nom]})
    return contract
