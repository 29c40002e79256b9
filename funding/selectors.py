"""Reads, always from the user's point of view. Page queries do not grow with the number of rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Case, Count, Exists, FilteredRelation, OuterRef, Prefetch, Q, Sum, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from actions.enums import Financeur
from actions.models import Financement, LigneBudget
from cls_portal.core import history
from cls_portal.core.errors import DomainError
from cls_portal.core.formatting import format_date_long, format_euros, format_number, format_percent
from cls_portal.core.models import HistoryEntry
from cls_portal.territories.models import Delegation
from contracts.models import Contract, in_departements_q, q_owes_year
from contracts.selectors import contract_get_for_user

from . import rules
from .enums import A_TRAITER, Statut
from .models import (
    AnneeFinancement,
    BilanFinancier,
    Decision,
    DialogueGestion,
    EngagementAnnuel,
    RegleFinancement,
    Versement,
    rule_for,
    rule_or_none,
    year_refusal,
)

ZERO = Decimal("0")


def rules_of_region(region_id) -> list[RegleFinancement]:
    return list(RegleFinancement.objects.filter(region_id=region_id).select_related("region").order_by("-valid_from"))


def region_has_rule():
    """A condition on a `Region` queryset: whether the région has a funding rule (a version, whatever its date)."""
    return Q(Exists(RegleFinancement.objects.filter(region=OuterRef("pk"))))


def pick_rule(versions: list[RegleFinancement], year: int) -> rules.Regle | None:
    """Same answer as `models.rule_or_none`, from versions already loaded (newest first)."""
    for v in versions:
        if v.valid_from.year <= year:
            return v.as_rule()
    return None


def no_rule_text(versions: list[RegleFinancement], year: int, region_nom: str) -> str:
    """What a page says of a year no rule covers (a year filed before the région's first rule existed)."""
    return rules.sans_regle(year, region_nom=region_nom,
                            premiere_regle=versions[-1].valid_from if versions else None) or ""


def request_rule(contract, year: int, *, today: dt.date | None = None) -> rules.Regle:
    """The rule a request of `contract` for `year` is checked against; `DomainError` on `annee` when the
    year is outside the contract's life or before the région's first rule."""
    refusal = year_refusal(contract, int(year), today=today or timezone.localdate())
    if refusal:
        raise DomainError(refusal, field="annee")
    return rule_for(contract.ars.region_id, int(year))


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
    regle: rules.Regle | None
    maximum: Decimal
    explication: str
    decisions: list = field(default_factory=list)
    decision: Decision | None = None
    versements: list = field(default_factory=list)
    bilan: BilanFinancier | None = None
    historique: list = field(default_factory=list)
    importee: bool = False  # brought in by the past years import (`services.is_imported`: no decision PDF)


def contract_funding(contract) -> list[AnneeVue]:
    """The contract's years, newest first, with decisions, payments, statement and history (fixed query count)."""
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
            "actor", "content_type").order_by("-at", "-id"):
        entries[e.object_id].append(history.line(e))
    versions = rules_of_region(contract.ars.region_id)
    vues = []
    for a in annees:
        regle = pick_rule(versions, a.annee)
        decisions = list(a.decisions.all())
        figures = dict(etp=a.etp, mois=a.mois_pourvus, cout_eligible=a.cout_eligible)
        vues.append(AnneeVue(
            annee=a, regle=regle,
            maximum=rules.ars_maximum(regle, **figures) if regle else ZERO,
            explication=(rules.explication_nommee(regle, **figures) if regle
                         else no_rule_text(versions, a.annee, contract.ars.region.nom).rstrip(".")),
            decisions=decisions, decision=decisions[0] if decisions else None,
            versements=list(a.versements.all()), bilan=bilans.get(a.pk), historique=entries[a.pk],
            importee=bool(decisions) and all(not d.document for d in decisions),
        ))
    return vues


def contract_dialogues(contract) -> list[DialogueGestion]:
    return list(DialogueGestion.objects.filter(contract=contract).select_related("recorded_by").order_by("-annee"))


@dataclass
class PreparationDialogue:
    """What the coordinator brings to the year's dialogue de gestion, which the délégation records: the post's
    statement of the year before and the request of the year after, each with where it stands."""

    annee: int
    delegations: list
    bilan: AnneeFinancement | None  # the year before, if filed: its statement is due once decided
    demande: AnneeFinancement | None  # the year after, if already filed

    @property
    def precedente(self) -> int:
        return self.annee - 1

    @property
    def suivante(self) -> int:
        return self.annee + 1


def dialogue_preparation(contract, vues: list[AnneeVue], today: dt.date) -> PreparationDialogue:
    """From the years already read for the page (`contract_funding`): one query, the contract's délégations."""
    by_year = {v.annee.annee: v.annee for v in vues}
    return PreparationDialogue(annee=today.year, delegations=list(contract.delegations.order_by("departement_id")),
                               bilan=by_year.get(today.year - 1), demande=by_year.get(today.year + 1))


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
        qs = qs.filter(in_departements_q([departement], field="contract_id"))
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
    for r in (contracts.filter(q_owes_year(year)).annotate(decided=Exists(decided)).filter(decided=False)
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
                              sans_decision=contracts.filter(q_owes_year(year)).annotate(decided=Exists(decided))
                              .filter(decided=False).count())
    multi = (contracts.filter(annees_financement__annee=year).annotate(n=Count("delegations", distinct=True))
             .filter(n__gt=1).count())
    return total, multi


def contracts_without_dialogue(contracts, year: int):
    """`contracts` with no dialogue de gestion recorded for `year` (the reminder, the funding pages)."""
    return contracts.exclude(pk__in=DialogueGestion.objects.filter(annee=year).values("contract_id"))


def contract_for_user(user, contract_pk) -> Contract:
    return contract_get_for_user(user, contract_pk)


# The financial report's post summary (reports calls it) --------------------------------------------------------

def post_year_summary(contract, year: int) -> dict | None:
    """The coordination post's year as the annual financial report shows it (plain values): figures, the ARS
    maximum in words, the current decision, payments, statement and balance. None when nothing was filed
    for that year. Five queries."""
    annee = (AnneeFinancement.objects.filter(contract=contract, annee=year)
             .prefetch_related(Prefetch("decisions", queryset=Decision.objects.order_by("-created_at", "-id")),
                               Prefetch("versements", queryset=Versement.objects.order_by("date", "id")))
             .first())
    if annee is None:
        return None
    regle = rule_or_none(contract.ars.region_id, year)
    cout = annee.cout_eligible
    if regle is None:  # a year filed before the région's first rule: no maximum to state
        versions = rules_of_region(contract.ars.region_id)
        regle_text = no_rule_text(versions, year, contract.ars.region.nom)
        plafond, calcul = ZERO, regle_text
    else:
        regle_text = (f"{format_percent(regle.taux)} d'un coût de référence de "
                      f"{format_euros(regle.cout_reference)} par poste à temps plein, plafond annuel de "
                      f"{format_euros(regle.plafond_annuel)}"
                      + (f", temps de travail minimum {format_number(regle.etp_minimum.normalize())} ETP"
                         if regle.etp_minimum else "")
                      + (", cofinancement à part égale par la collectivité" if regle.part_egale else "")
                      + f" (règle {regle.region} en vigueur depuis le {format_date_long(regle.depuis)})")
        plafond = rules.ars_maximum(regle, etp=annee.etp, mois=annee.mois_pourvus, cout_eligible=cout)
        calcul = rules.explication(regle, etp=annee.etp, mois=annee.mois_pourvus, cout_eligible=cout)
    decision = next(iter(annee.decisions.all()), None)
    accorde = decision.montant_accorde if decision else None
    versements = [{"date": v.date, "libelle": v.reference or "Versement", "montant": v.montant}
                  for v in annee.versements.all()]
    verse = sum((v["montant"] for v in versements), ZERO)

    def share(label, amount):
        return {"label": label, "montant": amount, "part": (amount / cout) if cout else None}

    bilan = BilanFinancier.objects.filter(annee=annee).first()
    post = {
        "regle": regle_text,
        "etp": annee.etp, "mois_pourvus": annee.mois_pourvus, "cout_eligible": cout,
        "plafond_ars": plafond, "calcul_plafond": calcul,
        "parts": [share("ARS (demandé)", annee.demande_ars),
                  share("Collectivité", annee.demande_collectivite),
                  share(f"Autres partenaires{f' ({annee.autres_partenaires})' if annee.autres_partenaires else ''}",
                        annee.demande_autres)],
        "statut": annee.get_statut_display(),
        "montant_accorde": accorde, "date_decision": decision.date_decision if decision else None,
        "versements": versements, "total_verse": verse,
        "solde": (accorde - verse) if accorde is not None else None,
        "bilan": None,
    }
    if bilan is not None:
        post["bilan"] = {"cout_reel": bilan.cout_reel, "etp_reel": bilan.etp_reel,
                         "mois_pourvus_reels": bilan.mois_pourvus_reels, "part_ars_due": bilan.part_ars_due,
                         "part_collectivite_reelle": bilan.part_collectivite_reelle,
                         "part_autres_reelle": bilan.part_autres_reelle,
                         "a_reverser": bilan.montant_a_reverser, "explication": bilan.explication}
        post["solde"] = bilan.part_ars_due - verse
    post["trop_percu"] = -post["solde"] if post["solde"] is not None and post["solde"] < 0 else ZERO
    return post


# Figures of the regional dashboard and its lists (regional calls these) ----------------------------------------
#
# A post counts as filled for a year when the contract's funding year says it was filled the twelve months; a
# contract that has filed no funding year for it falls back on whether a coordinator is named on the contract
# (a post paid by the collectivité alone is filled too). The same expression serves the dashboard's count and
# the list filter, so a figure and the list behind it always agree.

def post_filled(year: int, coordinator=None) -> Case:
    """`coordinator`: the queryset (on `OuterRef("pk")`) telling whether a coordinator is named, when no funding
    year says it; by default the contract's current coordinators (the regional figures of a past date pass the
    coordinators in post on that date)."""
    year_rows = AnneeFinancement.objects.filter(contract_id=OuterRef("pk"), annee=year)
    if coordinator is None:
        coordinator = Contract.coordinators.through.objects.filter(contract_id=OuterRef("pk"))
    filled = Q(Exists(year_rows.filter(mois_pourvus=12))) | (~Q(Exists(year_rows)) & Q(Exists(coordinator)))
    return Case(When(filled, then=True), default=False, output_field=BooleanField())


def committed(year: int):
    return Exists(AnneeFinancement.objects.filter(contract_id=OuterRef("pk"), annee=year,
                                                  montant_accorde__isnull=False))


def year_of(year: int) -> FilteredRelation:
    """A contract's funding year `year`, to join to its row (`annotate(name=year_of(year))`, then
    `name__montant_accorde`...): one at most (one funding year per contract and year), none without a request."""
    return FilteredRelation("annees_financement", condition=Q(annees_financement__annee=year))


def dashboard_funding(granted: Iterable[tuple[Decimal | None, Decimal | None]], year: int) -> dict:
    """ARS commitment for `year` over some contracts: `granted`, the amount granted and paid of each one's
    funding year `year` (`year_of`; None, None without one), read on the contracts' rows by the caller (the
    regional view's figures: a query of its own cost 1 ms)."""
    committed = [(amount, paid) for amount, paid in granted if amount is not None]
    return {"committed": sum(amount for amount, _ in committed), "paid": sum(paid for _, paid in committed),
            "nb_contracts": len(committed),
            "posts_hint": f"Postes {year} : d'après l'année de financement déclarée (poste pourvu les 12 mois), "
                          f"sinon d'après le coordinateur nommé sur le contrat."}


def filter_coordination(qs, value: str, year: int, coordinator=None):
    """Contracts whose coordination post is filled ("pourvu") or vacant ("vacant") in `year`."""
    qs = qs.alias(_filled=post_filled(year, coordinator))
    return qs.filter(_filled=(value == "pourvu"))


def filter_committed(qs, year: int):
    return qs.filter(committed(year))


def engagements(contract) -> list:
    return list(EngagementAnnuel.objects.filter(contract=contract).order_by("annee"))


def engagement_rows(contract) -> list[dict]:
    """Each year of the multi-year commitment beside what was requested and granted that year (two queries)."""
    years = {a.annee: a for a in AnneeFinancement.objects.filter(contract=contract)}
    return [{"annee": e.annee, "prevu": e.montant_prevu,
             "demande": years[e.annee].demande_ars if e.annee in years else None,
             "accorde": years[e.annee].montant_accorde if e.annee in years else None}
            for e in engagements(contract)]


# --- dates a funding decision or payment is checked against (services and forms) ------------------------
def request_filed_on(annee: AnneeFinancement) -> dt.date | None:
    """The day the year's request was filed (« Demande déposée le … »). None for a year brought in by the past
    years import (its first decision has no signed PDF): its row dates from the import, not from the request."""
    first = annee.decisions.order_by("created_at", "id").only("document").first()
    if first is not None and not first.document:
        return None
    return timezone.localdate(annee.deposee_le)


def first_decision_date(annee: AnneeFinancement) -> dt.date | None:
    """The date of the year's first decision (None: not decided): no payment precedes it."""
    return annee.decisions.order_by("date_decision").values_list("date_decision", flat=True).first()
