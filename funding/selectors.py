"""Reads, always from the user's point of view. Page queries do not grow with the number of rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404

from actions.enums import Financeur
from actions.models import Financement, LigneBudget
from cls_portal.territories.models import Delegation
from contracts.models import Contract
from contracts.selectors import contract_get_for_user

from . import rules
from .enums import A_TRAITER, Statut
from .models import AnneeFinancement, BilanFinancier, Decision, DialogueGestion, RegleFinancement, Versement

ZERO = Decimal("0")


def rules_of_region(region_id) -> list[RegleFinancement]:
    return list(RegleFinancement.objects.filter(region_id=region_id).select_related("region").order_by("-valid_from"))


def pick_rule(versions: list[RegleFinancement], year: int) -> rules.Regle:
    """Same answer as `models.rule_for`, from versions already loaded (newest first)."""
    for v in versions:
        if v.valid_from.year <= year:
            return v.as_rule()
    return rules.REGLE_PAR_DEFAUT


def annee_get_for_user(user, pk) -> AnneeFinancement:
    """The year if its contract is visible to `user`, else 404."""
    qs = AnneeFinancement.objects.visible_to(user).select_related("contract", "contract__ars").prefetch_related(
        "contract__coordinators", Prefetch("contract__delegations",
                                           queryset=Delegation.objects.select_related("departement")))
    return get_object_or_404(qs, pk=pk)


@dataclass
class AnneeVue:
    """A year of the contract page with everything it shows already computed."""

    annee: AnneeFinancement
    regle: rules.Regle
    maximum: Decimal
    explication: str
    decisions: list = field(default_factory=list)
    decision: Decision | None = None
    versements: list = field(default_factory=list)
    bilan: BilanFinancier | None = None
    historique: list = field(default_factory=list)


def contract_funding(contract) -> list[AnneeVue]:
    """The contract's years, newest first, with decisions, payments, statement and history (fixed query count)."""
    from django.contrib.contenttypes.models import ContentType

    from cls_portal.core.models import HistoryEntry

    annees = list(
        AnneeFinancement.objects.filter(contract=contract).select_related("deposee_par", "instruite_par")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("decided_by", "remplace")
                     .order_by("-created_at", "-id")),
            Prefetch("versements", queryset=Versement.objects.select_related("recorded_by").order_by("date", "id")),
        ).order_by("-annee")
    )
    bilans = {b.annee_id: b for b in BilanFinancier.objects.filter(annee__in=annees).select_related("recorded_by")}
    ct = ContentType.objects.get_for_model(AnneeFinancement)
    entries = defaultdict(list)
    for e in HistoryEntry.objects.filter(content_type=ct, object_id__in=[a.pk for a in annees]).select_related(
            "actor").order_by("-at", "-id"):
        entries[e.object_id].append(e)
    versions = rules_of_region(contract.ars.region_id)
    vues = []
    for a in annees:
        regle = pick_rule(versions, a.annee)
        decisions = list(a.decisions.all())
        vues.append(AnneeVue(
            annee=a, regle=regle,
            maximum=rules.ars_maximum(regle, etp=a.etp, mois=a.mois_pourvus, cout_eligible=a.cout_eligible),
            explication=rules.explication(regle, etp=a.etp, mois=a.mois_pourvus, cout_eligible=a.cout_eligible),
            decisions=decisions, decision=decisions[0] if decisions else None,
            versements=list(a.versements.all()), bilan=bilans.get(a.pk), historique=entries[a.pk],
        ))
    return vues


def contract_dialogues(contract) -> list[DialogueGestion]:
    return list(DialogueGestion.objects.filter(contract=contract).select_related("recorded_by").order_by("-annee"))


@dataclass
class LigneFinanceurs:
    annee: int
    par_financeur: list  # [(label, amount)]
    total_financements: Decimal
    total_budget: Decimal

    @property
    def ecart(self) -> Decimal:
        return self.total_financements - self.total_budget


def action_funding_rollup(contract) -> list[LigneFinanceurs]:
    """Funders of the contract's action sheets per year, beside the sheets' budget lines (read-only: the
    sheets belong to the actions app). Two queries."""
    labels = dict(Financeur.choices)
    funding = defaultdict(dict)
    for row in (Financement.objects.filter(fiche__contract=contract).values("annee", "financeur")
                .annotate(total=Sum("montant")).order_by("annee", "financeur")):
        funding[row["annee"]][row["financeur"]] = row["total"] or ZERO
    budget = {row["annee"]: row["total"] or ZERO for row in
              LigneBudget.objects.filter(fiche__contract=contract).values("annee").annotate(total=Sum("montant_prevu"))}
    lines = []
    for year in sorted(set(funding) | set(budget)):
        per = funding.get(year, {})
        lines.append(LigneFinanceurs(
            annee=year,
            par_financeur=[(labels.get(k, k), v) for k, v in sorted(per.items(), key=lambda kv: list(labels).index(
                kv[0]) if kv[0] in labels else 99)],
            total_financements=sum(per.values(), ZERO), total_budget=budget.get(year, ZERO)))
    return lines


# Lists and dashboards ----------------------------------------------------------------------------------------------

def annees_for_user(user, *, annee=None, statut=None, departement=None):
    """Years of the contracts visible to `user`, filtered like the home page and its export."""
    qs = (AnneeFinancement.objects.visible_to(user)
          .select_related("contract", "contract__collectivite", "contract__ars")
          .prefetch_related(Prefetch("contract__delegations",
                                     queryset=Delegation.objects.select_related("departement")))
          .order_by("-annee", "contract__nom"))
    if annee:
        qs = qs.filter(annee=annee)
    if statut == "a_traiter":
        qs = qs.filter(statut__in=A_TRAITER)
    elif statut:
        qs = qs.filter(statut=statut)
    if departement:
        qs = qs.filter(contract__delegations__departement_id=departement).distinct()
    return qs


@dataclass
class TotauxDepartement:
    code: str
    nom: str
    demande: Decimal = ZERO
    engage: Decimal = ZERO
    verse: Decimal = ZERO
    a_reverser: Decimal = ZERO
    postes_pourvus: int = 0
    postes_vacants: int = 0
    sans_decision: int = 0


def totals_by_departement(user, year: int) -> list[TotauxDepartement]:
    """ARS commitment, payments, recoveries and posts per département for one year (three queries).

    A contract over several départements counts in each of them.
    """
    contracts = Contract.objects.visible_to(user)
    rows = {}
    for r in (AnneeFinancement.objects.filter(contract__in=contracts, annee=year)
              .values("contract__delegations__departement_id", "contract__delegations__departement__nom")
              .annotate(demande=Sum("demande_ars"), engage=Sum("montant_accorde"), verse=Sum("total_verse"),
                        a_reverser=Sum("montant_a_reverser"),
                        pourvus=Count("id", filter=Q(mois_pourvus=12)),
                        vacants=Count("id", filter=Q(mois_pourvus__lt=12)))):
        code = r["contract__delegations__departement_id"]
        rows[code] = TotauxDepartement(code=code, nom=r["contract__delegations__departement__nom"],
                                       demande=r["demande"] or ZERO, engage=r["engage"] or ZERO,
                                       verse=r["verse"] or ZERO, a_reverser=r["a_reverser"] or ZERO,
                                       postes_pourvus=r["pourvus"], postes_vacants=r["vacants"])
    decided = AnneeFinancement.objects.filter(contract=OuterRef("pk"), annee=year,
                                              statut__in=[Statut.DECIDEE, Statut.SOLDEE])
    for r in (contracts.active().annotate(decided=Exists(decided)).filter(decided=False)
              .values("delegations__departement_id", "delegations__departement__nom")
              .annotate(n=Count("id", distinct=True))):
        code = r["delegations__departement_id"]
        row = rows.setdefault(code, TotauxDepartement(code=code, nom=r["delegations__departement__nom"]))
        row.sans_decision = r["n"]
    return [rows[k] for k in sorted(rows, key=lambda c: c or "")]


def totals_overall(user, year: int) -> tuple[TotauxDepartement, int]:
    """The same figures over all the user's contracts, each counted once (the per-département rows count a
    contract over several départements in each), and how many such contracts there are. Three queries."""
    contracts = Contract.objects.visible_to(user)
    r = (AnneeFinancement.objects.filter(contract__in=contracts, annee=year)
         .aggregate(demande=Sum("demande_ars"), engage=Sum("montant_accorde"), verse=Sum("total_verse"),
                    a_reverser=Sum("montant_a_reverser"), pourvus=Count("id", filter=Q(mois_pourvus=12)),
                    vacants=Count("id", filter=Q(mois_pourvus__lt=12))))
    decided = AnneeFinancement.objects.filter(contract=OuterRef("pk"), annee=year,
                                              statut__in=[Statut.DECIDEE, Statut.SOLDEE])
    total = TotauxDepartement(code="", nom="Total", demande=r["demande"] or ZERO, engage=r["engage"] or ZERO,
                              verse=r["verse"] or ZERO, a_reverser=r["a_reverser"] or ZERO,
                              postes_pourvus=r["pourvus"], postes_vacants=r["vacants"],
                              sans_decision=contracts.active().annotate(decided=Exists(decided))
                              .filter(decided=False).count())
    multi = (contracts.filter(annees_financement__annee=year).annotate(n=Count("delegations", distinct=True))
             .filter(n__gt=1).count())
    return total, multi


def contracts_without_decision(user, year: int):
    decided = AnneeFinancement.objects.filter(contract=OuterRef("pk"), annee=year,
                                              statut__in=[Statut.DECIDEE, Statut.SOLDEE])
    return (Contract.objects.visible_to(user).active().annotate(decided=Exists(decided)).filter(decided=False)
            .select_related("collectivite").order_by("nom"))


def contracts_without_dialogue(year: int):
    """Active contracts with no dialogue de gestion recorded for `year` (for reminders)."""
    done = DialogueGestion.objects.filter(contract=OuterRef("pk"), annee=year)
    return (Contract.objects.active().annotate(done=Exists(done)).filter(done=False)
            .select_related("referent").prefetch_related("coordinators").order_by("nom"))


def contract_for_user(user, contract_pk) -> Contract:
    return contract_get_for_user(user, contract_pk)


# For the regional dashboard (regional.funding_bridge calls these) ---------------------------------------

def post_filled_q(year: int) -> Q:
    """Contracts whose coordination post was filled the whole of `year` (a funding year with 12 months)."""
    return Q(pk__in=AnneeFinancement.objects.filter(annee=year, mois_pourvus=12).values("contract_id"))


def filter_coordination(qs, value: str, year: int):
    """Contracts whose post is filled ("pourvu") or vacant at least part of `year` / not funded ("vacant")."""
    return qs.filter(post_filled_q(year)) if value == "pourvu" else qs.exclude(post_filled_q(year))


def dashboard_funding(contracts, year: int) -> dict:
    """ARS commitment, payments and recoveries of `year` over `contracts`, and posts filled vs vacant (2 queries).

    A post is "pourvu" when its funding year counts 12 months filled; an active contract without a funding
    year, or with a vacancy, counts as vacant.
    """
    agg = AnneeFinancement.objects.filter(contract__in=contracts, annee=year).aggregate(
        engage=Sum("montant_accorde"), verse=Sum("total_verse"), a_reverser=Sum("montant_a_reverser"),
        pourvus=Count("id", filter=Q(mois_pourvus=12)))
    active = contracts.active().count() if hasattr(contracts, "active") else 0
    filled = agg["pourvus"] or 0
    return {"engage": agg["engage"] or ZERO, "verse": agg["verse"] or ZERO, "a_reverser": agg["a_reverser"] or ZERO,
            "posts_filled": filled, "posts_vacant": max(active - filled, 0),
            "posts_hint": f"Selon les demandes de financement {year} : poste pourvu les 12 mois de l'année."}


def dialogue_missing_ids(contracts, year: int) -> set[int]:
    """Ids of `contracts` with no dialogue de gestion recorded for `year` (one query)."""
    done = DialogueGestion.objects.filter(annee=year, contract__in=contracts).values("contract_id")
    return set(contracts.exclude(pk__in=done).values_list("pk", flat=True))
