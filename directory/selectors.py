"""Reads of the public directory (no login, `/annuaire/`). Only what an ARS publishes on its website leaves here:
active contracts, their perimeter and dates, the themes of their axes, the titles of validated
action sheets, the délégation's contact, and published annual reports. Nothing else is selected."""

from __future__ import annotations

from django.db.models import Min, Prefetch, Q
from django.shortcuts import get_object_or_404

from actions.enums import VALIDATED_STATUSES
from actions.models import Axe, FicheAction
from cls_portal.territories.models import Commune, Delegation, Departement, Region
from contracts.models import Contract, Instance, InstanceMember, Meeting
from contracts.selectors import population_subquery
from reports.enums import ReportStatus
from reports.models import Report


def public_contracts():
    """Active contracts with their public fields only (no people, no funding)."""
    return (Contract.objects.active()
            .select_related("collectivite", "epci", "ars")
            .only("nom", "collectivite__nom", "epci__nom", "ars__nom", "phase", "date_signature", "duree_annees",
                  "clsm", "qpv", "nb_qpv", "rural", "generation")
            .prefetch_related(
                Prefetch("delegations", queryset=Delegation.objects.select_related("departement")
                         .only("nom", "email", "departement__nom", "departement__code")),
                Prefetch("communes", queryset=Commune.objects.only("code", "nom").order_by("nom")),
                Prefetch("axes", queryset=Axe.objects.only("contract_id", "numero", "titre").order_by("numero")))
            .annotate(population=population_subquery(), departement_code=Min("delegations__departement_id")))


def directory(*, region: str = "", departement: str = "", q: str = ""):
    qs = public_contracts()
    if region:
        qs = qs.filter(ars__region_id=region)
    if departement:
        qs = qs.in_departements([departement])
    if q:
        qs = qs.filter(Q(nom__icontains=q) | Q(collectivite__nom__icontains=q))
    return qs.order_by("departement_code", "nom", "pk")


def group_by_departement(contracts) -> list[tuple]:
    """[(département, [contracts])] in the order of the (already sorted) contracts; one query for names."""
    contracts = list(contracts)
    names = {d.code: d for d in Departement.objects.filter(code__in={c.departement_code for c in contracts})}
    groups: list[tuple] = []
    for c in contracts:
        dep = names.get(c.departement_code)
        if not groups or groups[-1][0] != dep:
            groups.append((dep, []))
        groups[-1][1].append(c)
    return groups


def filter_choices(region: str = "") -> dict:
    return {"regions": list(Region.objects.filter(ars__isnull=False).order_by("nom")),
            "departements": list(Departement.objects.filter(region_id=region).order_by("code")) if region else []}


def public_contract(pk) -> Contract:
    return get_object_or_404(public_contracts(), pk=pk)


def public_axes(contract):
    """Axes with their validated sheets only (drafts and sheets under review stay private)."""
    fiches = FicheAction.objects.filter(statut__in=VALIDATED_STATUSES).only(
        "axe_id", "numero", "titre", "objectif_general", "statut").order_by("numero")
    return (Axe.objects.filter(contract=contract).order_by("numero")
            .prefetch_related(Prefetch("fiches", queryset=fiches)))


def published_reports(contract):
    return (Report.objects.published().filter(contract=contract, status=ReportStatus.PRET).exclude(file="")
            .only("contract_id", "kind", "year", "version", "published_at", "file")
            .order_by("-year", "kind", "-version"))


def public_report(pk) -> Report:
    """A published, ready report of an active contract; anything else does not exist publicly (404)."""
    return get_object_or_404(
        Report.objects.published().filter(status=ReportStatus.PRET, contract__in=Contract.objects.active())
        .exclude(file="").select_related("contract"), pk=pk)


# -- the read-only summary of a contract (signed in: elected officials, pilots, and anyone who sees it) ------

def summary_contract(user, pk) -> Contract:
    """A contract `user` sees (else 404), with what its summary shows: perimeter and population, instances and
    their members, meetings held. No people other than instance members, no documents, no funding."""
    qs = (Contract.objects.visible_to(user).select_related("collectivite", "epci", "ars")
          .prefetch_related(
              Prefetch("delegations", queryset=Delegation.objects.select_related("departement")),
              Prefetch("communes", queryset=Commune.objects.only("code", "nom", "population").order_by("nom")),
              Prefetch("instances", queryset=Instance.objects.prefetch_related(
                  Prefetch("members", queryset=InstanceMember.objects.select_related("organisation")))))
          .annotate(population=population_subquery()))
    return get_object_or_404(qs, pk=pk)


def meetings_held(contract, today):
    return (Meeting.objects.filter(contract=contract, date__lte=today).select_related("instance")
            .only("date", "lieu", "instance__nom", "revue_annuelle").order_by("-date"))
