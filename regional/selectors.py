"""Reads of the regional view, always from the user's point of view (`Contract.objects.visible_to`; the
dashboard's scope: the user's own région or départements, `dashboard_scope`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    When,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from actions.models import Axe, ChampAction, FicheAction, Indicateur, ValeurIndicateur
from cls_portal.accounts.models import Role
from cls_portal.accounts.selectors import delegation_in_region
from cls_portal.territories.models import Delegation, Departement, Region
from contracts.enums import ACTIVE_PHASES, Phase
from contracts.models import QPV, Contract, in_force_today, q_in_force, q_owes_year, runs_in_year
from contracts.selectors import (
    coordinators_at,
    nb_communes_subquery,
    population_subquery,
    q_post_planned_at,
)
from funding import selectors as funding_selectors
from reports.enums import ReportKind
from reports.models import Report

from .coverage import Coverage, coverage


def q_active(at: dt.date | None = None) -> Q:
    """Signed and active ("en vigueur"): the contracts' rule, `contracts.models.q_in_force`, today (by the phase
    and the end date) or on a past date `at` (by the dated history and the end date)."""
    return q_in_force(at)


def post_filled(day: dt.date, at: dt.date | None = None):
    """The post is filled (funding's rule for the year): today with the contract's coordinators, on a past date
    `at` with the coordinators in post on that date."""
    return funding_selectors.post_filled(day.year, None if at is None else coordinators_at(at))


def _flag(q: Q) -> Case:
    return Case(When(q, then=True), default=False, output_field=BooleanField())


def report_published(kind: str, year: int):
    return Exists(Report.objects.filter(contract_id=OuterRef("pk"), kind=kind, year=year, published=True))


def q_report_expected(year: int) -> Q:
    """A report for `year` is expected from the contracts not closed for which `year` is a year of their life
    (`q_owes_year`): a contract that reached its end date on 31/12/2025 still owes its 2025 reports."""
    return q_owes_year(year)


def report_expected(phase: str, date_signature: dt.date | None, duree_annees: int, year: int) -> bool:
    """`q_report_expected` for one contract, from its columns."""
    return phase in ACTIVE_PHASES and runs_in_year(date_signature, duree_annees, year)


def contracts_for_list(user):
    """Contracts the user sees, with what the list page prints (no per-row query)."""
    return (Contract.objects.visible_to(user)
            .select_related("collectivite")
            .prefetch_related(Prefetch("delegations", queryset=Delegation.objects.select_related("departement")))
            .annotate(population=population_subquery())
            .order_by("nom", "pk"))


def contracts_for_export(user):
    """The list's rows with every column an export or the directory may print (no per-row query)."""
    return (contracts_for_list(user).select_related("ars", "referent", "epci").prefetch_related("coordinators")
            .annotate(nb_communes=nb_communes_subquery()))


# --- Dashboard scope -------------------------------------------------------------------------

@dataclass
class Scope:
    """What a dashboard covers: a région, or the départements of a délégation."""

    label: str
    region: Region | None
    departement_codes: list[str] | None  # None: the whole région
    contracts: object  # Contract queryset (visible to the user)
    regions: list = field(default_factory=list)  # the régions the user may switch between
    params: dict = field(default_factory=dict)   # query parameters selecting the scope on list pages

    def coverage(self, at: dt.date | None = None) -> Coverage:
        if self.departement_codes is None:
            return coverage(region_code=self.region.code, contracts=self.contracts, code=self.region.code,
                            nom=self.region.nom, at=at)
        return coverage(departement_codes=self.departement_codes, contracts=self.contracts, nom=self.label, at=at)


def dashboard_scope(user, region_code: str | None = None) -> Scope:
    """The user's région (an administrator's: any) or délégation départements. Its contracts are filtered on
    them alone: `visible_to` grants a regional team its régions' contracts and a délégation its départements', so
    it removes none of them, and its filter, in the six queries of the regional view that read the scope, cost
    0.7 ms of SQL building."""
    contracts = Contract.objects.all()
    if user.is_portal_admin or user.has_role(Role.REGION):
        regions = Region.objects.filter(ars__isnull=False).order_by("nom")
        if not user.is_portal_admin:
            regions = regions.filter(code__in=user.region_codes())
        regions = list(regions)
        if not region_code and user.is_portal_admin:
            # An administrator holds no région: open on the one with the most contracts (the first in alphabetical
            # order, Auvergne-Rhône-Alpes, showed zeros to a portal used by one région).
            busiest = (contracts.values("ars__region_id").annotate(n=Count("pk")).order_by("-n", "ars__region_id")
                       .values_list("ars__region_id", flat=True).first())
            region = next((r for r in regions if r.code == busiest), regions[0] if regions else None)
        else:
            region = next((r for r in regions if r.code == region_code), None) if region_code else (
                regions[0] if regions else None)
        if region is None:
            raise Http404("Région inconnue.")
        return Scope(label=region.nom, region=region, departement_codes=None,
                     contracts=contracts.filter(ars__region_id=region.code), regions=regions,
                     params={"region": region.code})
    codes = sorted(user.departement_codes())
    deps = list(Departement.objects.filter(code__in=codes).select_related("region"))
    label = ", ".join(d.nom for d in deps) or "Aucun département"
    return Scope(label=label, region=deps[0].region if deps else None, departement_codes=codes,
                 contracts=contracts.in_departements(codes),
                 params={"departement": codes})


# --- Putting a région into service ----------------------------------------------------------------------------

def setup_steps(region, has_contracts: bool) -> dict[str, int] | None:
    """The regional view's set-up list, while a step is undone: délégation agents invited (an agent, or an open
    invitation), contracts in the région, a funding rule (without it no coordinator can ask for funding). None
    once all three are done; else each step's flag and `left`, the number undone. One query, for the regional
    team's view of today."""
    flags = Region.objects.filter(pk=region.pk).annotate(
        _delegation=ExpressionWrapper(delegation_in_region(), output_field=BooleanField()),
        _rule=ExpressionWrapper(funding_selectors.region_has_rule(), output_field=BooleanField()),
    ).values("_delegation", "_rule").get()
    steps = {"delegation": flags["_delegation"], "contracts": has_contracts, "rule": flags["_rule"]}
    left = sum(1 for done in steps.values() if not done)
    return {**steps, "left": left} if left else None


# --- QPV: each counted once ------------------------------------------------------------------------------

def region_departements(region) -> list[Departement]:
    return list(Departement.objects.filter(region=region).order_by("code")) if region else []


def _scope_qpvs(scope: Scope):
    if scope.departement_codes is None:
        return QPV.objects.filter(departement__region_id=scope.region.code if scope.region else None)
    return QPV.objects.filter(departement_id__in=scope.departement_codes)


def qpvs_of(scope: Scope) -> list[QPV]:
    """The scope's QPV reference list, each with the number of contracts listing it (one query)."""
    return list(_scope_qpvs(scope).select_related("departement").annotate(nb_contracts=Count("contracts"))
                .order_by("departement_id", "nom", "code"))


@dataclass(frozen=True)
class QPVCoverage:
    total: int            # QPV in the reference list of the scope
    covered: int          # distinct QPV listed by an active contract
    with_population: int  # QPV whose population is entered
    population: int       # their population
    covered_population: int  # population of the covered QPV among them

    @property
    def share(self):
        """Covered share of the QPV population, over the QPV whose population is entered; None without any."""
        if not self.population:
            return None
        return (Decimal(self.covered_population) / Decimal(self.population)).quantize(Decimal("0.000001"))


def qpv_coverage(scope: Scope, at: dt.date | None = None) -> QPVCoverage:
    """Distinct QPV covered by the scope's active contracts (today, or on `at`): a QPV listed by two contracts
    counts once. Two queries."""
    qpvs = _scope_qpvs(scope).order_by()
    listed = Contract.qpvs.through.objects.filter(contract__in=scope.contracts.filter(q_active(at))).values("qpv_id")
    agg = dict(n=Count("code"), n_pop=Count("population"), pop=Sum("population"))
    total, covered = qpvs.aggregate(**agg), qpvs.filter(pk__in=listed).aggregate(**agg)
    return QPVCoverage(total=total["n"], covered=covered["n"], with_population=total["n_pop"],
                       population=total["pop"] or 0, covered_population=covered["pop"] or 0)


# --- Dashboard figures -----------------------------------------------------------------------

@dataclass
class Figure:
    label: str
    value: object
    url: str
    hint: str = ""


def list_url(scope: Scope, base: str | None = None, **filters) -> str:
    """The contract list (`base`: its path, when the caller reversed it once for many links: a `reverse()`
    costs more than the rest of a link) filtered on the scope and `filters`."""
    query = {**scope.params, **{k: v for k, v in filters.items() if v not in (None, "")}}
    return (base or reverse("regional:contracts")) + "?" + urlencode(query, doseq=True)


def dashboard_data(scope: Scope, *, today: dt.date | None = None, at: dt.date | None = None) -> dict:
    """Every figure of the dashboard with the link to the contracts behind it (constant queries).

    `at`: a past date (or today) whose figures are read from the dated history (signature, closure, perimeter
    periods, coordinators' terms); the links then carry it (`au=`). None: today's figures by the phase."""
    today = today or timezone.localdate()
    day = at or today
    last_year = day.year - 1
    qs = scope.contracts.order_by()
    # One row of flags per contract, counted here: the same figures as an aggregate with a filtered COUNT per
    # figure, whose SQL took twice as long to build as the rows take to read (a région has a few hundred
    # contracts, France 1 255). Every flag is a CASE or an EXISTS: never NULL. The flags that the row's own
    # columns give are read from them: active today (phase, signature and end date: `in_force_today`), report
    # expected (`report_expected`)
    # and co-funded (the funding year of `day`, one at most, joined with its amounts: `committed`); their CASE and
    # EXISTS cost 1 ms of SQL building.
    flags = dict(_planned=_flag(q_post_planned_at(day)), _coord=post_filled(day, at),
                 _act=report_published(ReportKind.ACTIVITE, last_year),
                 _fin=report_published(ReportKind.FINANCIER, last_year), _year=funding_selectors.year_of(day.year))
    if at is not None:
        flags["_active"] = _flag(q_active(at))
    rows = qs.annotate(**flags).values_list(
        "_planned", "_coord", "_act", "_fin", "clsm", "qpv", "nb_qpv", "phase", "date_signature", "duree_annees",
        "_year__montant_accorde", "_year__total_verse", *(["_active"] if at is not None else []))
    agg = dict.fromkeys(("total", "active", "cofunded", "clsm", "qpv_contracts", "posts_planned", "posts_filled",
                         "posts_vacant", "reports_expected", "act_published", "fin_published"), 0)
    agg["nb_qpv"] = None
    # The contracts per phase and per year of signature, and the ARS funding of the year, are counted from the
    # same rows too (a query each cost 0.5, 0.7 and 1 ms, mostly building their SQL, for a few columns more here).
    by_phase: dict[str, int] = {}
    by_year: dict[int, int] = {}
    granted = []
    for planned, coord, act, fin, clsm, qpv, nb_qpv, phase, signed_on, years, amount, paid, *dated_active in rows:
        active = dated_active[0] if at is not None else in_force_today(phase, signed_on, years, today)
        cofunded = amount is not None
        expected = report_expected(phase, signed_on, years, last_year)
        agg["total"] += 1
        granted.append((amount, paid))
        by_phase[phase] = by_phase.get(phase, 0) + 1
        if signed_on is not None:
            by_year[signed_on.year] = by_year.get(signed_on.year, 0) + 1
        if active:
            agg["active"] += 1
            agg["cofunded"] += bool(cofunded)
            agg["clsm"] += bool(clsm)
            agg["qpv_contracts"] += bool(qpv)
            if nb_qpv is not None:
                agg["nb_qpv"] = (agg["nb_qpv"] or 0) + nb_qpv
        if planned:
            agg["posts_planned"] += 1
            agg["posts_filled" if coord else "posts_vacant"] += 1
        if expected:
            agg["reports_expected"] += 1
            agg["act_published"] += bool(act)
            agg["fin_published"] += bool(fin)
    signed = sorted(by_year.items())
    cov = scope.coverage(at)
    qpv = qpv_coverage(scope, at)
    funding = funding_selectors.dashboard_funding(granted, day.year)
    dated = {"au": at.isoformat()} if at else {}
    base = reverse("regional:contracts")  # once for the page's ~40 links
    u = lambda **kw: list_url(scope, base, **kw)  # noqa: E731
    ud = lambda **kw: list_url(scope, base, **dated, **kw)  # noqa: E731  (figures that depend on the date)

    figures = {
        "total": Figure("Contrats (toutes phases)", agg["total"], u()),
        "active": Figure("Contrats signés et actifs", agg["active"], ud(actif="1")),
        "covered": Figure("Population couverte", cov.total.covered, ud(actif="1")),
        "cofunded": Figure(f"Contrats actifs cofinancés par l'ARS en {day.year}", agg["cofunded"],
                           ud(actif="1", financement=f"engage_{day.year}")),
        "clsm": Figure("Contrats avec un CLSM", agg["clsm"], ud(actif="1", clsm="oui")),
        "qpv_contracts": Figure("Contrats couvrant des QPV", agg["qpv_contracts"], ud(actif="1", qpv="oui")),
        "nb_qpv": Figure("QPV déclarés par les contrats actifs (somme)", agg["nb_qpv"] or 0,
                         ud(actif="1", qpv="oui"),
                         hint="Somme des nombres déclarés : un QPV couvert par deux contrats y compte deux fois."),
        "qpv_covered": Figure("QPV couverts (chacun compté une fois)", qpv.covered, ud(actif="1", qpv="oui"),
                              hint="QPV du référentiel régional cochés sur au moins un contrat actif."),
        "posts_planned": Figure("Postes de coordination prévus", agg["posts_planned"], ud(poste="prevu"),
                                hint="Un poste est prévu dès la lettre d'intention, jusqu'à la clôture du contrat."),
        "posts_filled": Figure("Coordinateurs en poste", agg["posts_filled"],
                               ud(poste="prevu", coordination="pourvu"), hint=funding["posts_hint"]),
        "posts_vacant": Figure("Postes de coordination vacants", agg["posts_vacant"],
                               ud(poste="prevu", coordination="vacant"), hint=funding["posts_hint"]),
        "committed": Figure(f"Financement ARS engagé en {day.year}", funding["committed"],
                            u(financement=f"engage_{day.year}")),
    }
    reports = []
    for kind, key in ((ReportKind.ACTIVITE, "act"), (ReportKind.FINANCIER, "fin")):
        published = agg[f"{key}_published"]
        reports.append({
            "label": ReportKind(kind).label,
            "published": Figure("publiés", published, u(rapport=f"{kind}_publie", annee_rapport=last_year)),
            "missing": Figure("manquants", agg["reports_expected"] - published,
                              u(rapport=f"{kind}_manquant", annee_rapport=last_year)),
        })
    phases = [Figure(label, by_phase.get(value, 0), u(phase=value)) for value, label in Phase.choices]
    signed_years = [Figure(str(y), n, u(annee_signature=y)) for y, n in signed]
    departements = [{"area": d, "url": ud(actif="1", departement=d.code)} for d in cov.departements]
    return {"figures": figures, "phases": phases, "signed_years": signed_years, "coverage": cov,
            "departements": departements, "reports": reports, "last_year": last_year, "year": day.year,
            "funding": funding, "day": day, "at": at, "qpv": qpv,
            "champs": fiches_by_champ(scope)}


def population_split(contracts) -> dict[int, list[tuple[str, int]]]:
    """Population of each contract's perimeter per département, for the contracts on more than one:
    {contract id: [(département name, inhabitants), ...]} (one query; `contracts` a queryset or a list)."""
    ids = contracts.values("pk") if hasattr(contracts, "values") else [c.pk for c in contracts]
    rows = (Contract.communes.through.objects.filter(contract_id__in=ids).order_by("commune__departement_id")
            .values("contract_id", "commune__departement_id", "commune__departement__nom")
            .annotate(p=Sum("commune__population")))
    split: dict[int, list[tuple[str, int]]] = {}
    for row in rows:
        split.setdefault(row["contract_id"], []).append((row["commune__departement__nom"], row["p"] or 0))
    return {pk: parts for pk, parts in split.items() if len(parts) > 1}


# --- Fields of action -----------------------------------------------------------------------------------------

def q_fiche_in_champ(champ_id, field: str = "pk") -> Q:
    """Sheets (`field`: "pk" on sheets, "fiche_id" on indicators) in a field of action: set on the sheet or on
    its axe. Subqueries: no join, no duplicate row."""
    on_sheet = FicheAction.champs.through.objects.filter(champaction_id=champ_id).values("ficheaction_id")
    on_axe = FicheAction.objects.filter(axe_id__in=Axe.champs.through.objects.filter(
        champaction_id=champ_id).values("axe_id")).values("pk")
    return Q(**{f"{field}__in": on_sheet}) | Q(**{f"{field}__in": on_axe})


def q_contract_in_champ(champ_id) -> Q:
    """Contracts with at least one sheet in the field of action."""
    return Q(pk__in=FicheAction.objects.filter(q_fiche_in_champ(champ_id)).values("contract_id"))


def fiches_by_champ(scope: Scope) -> list[Figure]:
    """Sheets of the scope's contracts per field of action (a sheet counts in each of its fields, once in
    each), each linking to the sheet list filtered by that field. One query: the (field, sheet) pairs set on the
    sheet or on its axe, deduplicated by a UNION, counted per field and joined to the fields' list. (A count per
    field through two correlated IN subqueries took 7.4 ms of PostgreSQL at 1 255 contracts, the pairs 2 ms.)"""
    contracts = scope.contracts.order_by().values("pk")
    on_sheet = (FicheAction.champs.through.objects.filter(ficheaction__contract__in=contracts).order_by()
                .values_list("champaction_id", "ficheaction_id"))
    on_axe = (FicheAction.objects.filter(contract__in=contracts, axe__champs__isnull=False).order_by()
              .values_list("axe__champs", "pk"))
    pairs, params = on_sheet.union(on_axe).query.sql_with_params()  # UNION: each (field, sheet) once
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.{q('id')}, c.{q('libelle')}, c.{q('actif')}, COALESCE(p.n, 0) "
            f"FROM {q(ChampAction._meta.db_table)} c LEFT JOIN (SELECT u.{q('champaction_id')} AS champ, COUNT(*) AS n "
            f"FROM ({pairs}) u GROUP BY u.{q('champaction_id')}) p ON p.champ = c.{q('id')} "
            f"ORDER BY c.{q('ordre')}, c.{q('libelle')}", params)
        rows = cursor.fetchall()
    base = reverse("regional:fiches") + "?" + urlencode({**scope.params}, doseq=True)
    return [Figure(libelle, int(n), f"{base}&champ={pk}") for pk, libelle, actif, n in rows if actif or n]


def champs_with_counts() -> list[ChampAction]:
    """The reference list with how many axes and sheets carry each field (every région: the list is shared)."""
    return list(ChampAction.objects.annotate(nb_axes=Count("axes", distinct=True),
                                             nb_fiches=Count("fiches", distinct=True)).order_by("ordre", "libelle"))


def fiches_for_list(user):
    return (FicheAction.objects.filter(contract__in=Contract.objects.visible_to(user))
            .select_related("contract", "axe", "pilote_organisation", "pilote_personne")
            .prefetch_related("indicateurs", "champs", "axe__champs")
            .order_by("contract__nom", "contract_id", "axe__numero", "numero"))


def indicateurs_for_list(user):
    return (Indicateur.objects.filter(fiche__contract__in=Contract.objects.visible_to(user))
            .select_related("fiche__contract", "fiche__axe")
            .prefetch_related("valeurs")
            .order_by("fiche__contract__nom", "fiche__contract_id", "fiche__axe__numero", "fiche__numero", "id"))


def value_years(indicateurs) -> list[int]:
    return sorted(set(ValeurIndicateur.objects.filter(indicateur__in=indicateurs.values("pk"))
                      .values_list("annee", flat=True).distinct()))


NO_DEPARTEMENT = "aucun"  # the work list's filter value for the items of contracts without a département


def work_departement_choices(rollup) -> list[tuple[str, str]]:
    """The départements with items in the work list (`worklist.RollUp`), as the filter offers them: (code,
    « Calvados (14) »), and (`NO_DEPARTEMENT`, « Sans département ») last when contracts without one have some.
    One query (the names)."""
    codes = sorted({dep for _, dep in rollup.cells}, key=lambda c: (c == "", c))
    names = dict(Departement.objects.filter(code__in=[c for c in codes if c]).values_list("code", "nom"))
    return [(c, f"{names[c]} ({c})") if c in names else (c or NO_DEPARTEMENT, "Sans département") for c in codes]


def work_table(rollup) -> dict:
    """The regional view's steering table of the work list (`worklist.RollUp`): one row per département with
    items (as `work_departement_choices` names them), one column per kind with items (in the list's order)
    and the total, each number linking to the work list filtered on its cell. Counts only (one statement, no
    item read), plus one query: the départements' names."""
    cells, kinds = rollup.cells, rollup.kinds
    base = reverse("regional:work")
    rows = []
    for value, nom in work_departement_choices(rollup):
        code = "" if value == NO_DEPARTEMENT else value
        row_cells = [{"count": cells.get((k.kind, code), 0), "label": k.label,
                      "url": f"{base}?{urlencode({'departement': value, 'quoi': k.kind})}"} for k in kinds]
        rows.append({"code": code, "nom": nom, "cells": row_cells, "count": sum(c["count"] for c in row_cells),
                     "url": f"{base}?{urlencode({'departement': value})}"})
    return {"kinds": kinds, "rows": rows}


def work_items(rollup, *, departement: str = "", kind: str = ""):
    """The work list's items for the filter's values (`departement`: a code, `NO_DEPARTEMENT`, or "" for
    every one; `kind`: "" for every one), sliced in SQL (`worklist.Slices`)."""
    return rollup.items(departement=None if not departement else "" if departement == NO_DEPARTEMENT
                        else departement, kind=kind)


def work_page_groups(page, items) -> list[dict]:
    """The items of one page of `items` (a `Paginator` page) under their kind's heading: its label, its
    number of items in the whole list, and whether it began on an earlier page."""
    per_kind = items.counts()
    groups: list[dict] = []
    for i, item in enumerate(page.object_list, start=page.start_index() - 1):
        if not groups or groups[-1]["kind"] != item.kind:
            start, count = per_kind[item.kind]
            groups.append({"kind": item.kind, "label": item.label, "count": count, "continued": i > start,
                           "items": []})
        groups[-1]["items"].append(item)
    return groups
