"""Reads for the action plan, always from the user's point of view (another tenant's object is 404).

Every page reads a bounded number of queries whatever the number of axes, sheets, indicators or years:
children come through `Prefetch`, the latest value of each indicator through a subquery.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from cls_portal.accounts.models import Role
from cls_portal.core.charts import series_chart
from cls_portal.core.history import history_for
from cls_portal.territories.models import Delegation
from contracts.models import Contract, in_departements_q
from contracts.timeline import Item, Mark
from diagnostics.models import Priorite

from .enums import VALIDATED_STATUSES, Avancement, FicheStatut, Financeur
from .models import (
    Axe,
    CommentaireRevue,
    FicheAction,
    Financement,
    Indicateur,
    Jalon,
    LigneBudget,
    PartenaireFiche,
    SuiviAnnuel,
    ValeurIndicateur,
    ValeurPeriode,
)
from .periods import completeness, periods_per_year

ZERO = Decimal("0")


# -- contract -------------------------------------------------------------------------------------

def contracts_piloted_by(user):
    """Ids of the contracts where `user` pilots or co-pilots a sheet (`contracts.registry.visibility`)."""
    return FicheAction.objects.filter(Q(pilote_personne=user) | Q(copilotes_personnes=user)).values("contract_id")


def piloted_region_codes(user):
    """The régions of the contracts where `user` pilots or co-pilots a sheet (`resources.registry.member_regions`)."""
    return (Contract.objects.filter(pk__in=contracts_piloted_by(user))
            .values_list("ars__region_id", flat=True).distinct())


def contract_for_plan(user, pk) -> Contract:
    """The contract with what the permission predicates read (coordinators, délégations), or 404."""
    qs = (Contract.objects.visible_to(user).select_related("collectivite", "ars", "referent")
          .prefetch_related("coordinators", Prefetch("delegations", queryset=Delegation.objects.only(
              "id", "departement_id", "nom"))))
    return get_object_or_404(qs, pk=pk)


def contract_years(contract, today: dt.date | None = None) -> list[int]:
    """Years of implementation (signature year → end or this year). Empty before signature."""
    if not contract.date_signature:
        return []
    today = today or timezone.localdate()
    last = min(contract.date_signature.year + contract.duree_annees - 1, today.year)
    return list(range(contract.date_signature.year, max(last, contract.date_signature.year) + 1))


# -- completeness and progress (pure functions over prefetched objects) ---------------------------

def fiche_missing(fiche: FicheAction) -> list[str]:
    """What must be filled before the sheet can be submitted (reads the prefetched indicators)."""
    missing = []
    if not fiche.pilote_organisation_id:
        missing.append("l'organisation pilote")
    if not fiche.pilote_personne_id and not fiche.pilote_nom.strip():  # an account, or a name without one
        missing.append("la personne pilote")
    if not fiche.objectif_general.strip():
        missing.append("l'objectif général")
    if not fiche.objectifs_operationnels.strip():
        missing.append("les objectifs opérationnels")
    if not fiche.description.strip():
        missing.append("la description de l'action")
    if not fiche.public_cible.strip():
        missing.append("le public cible")
    if not fiche.date_debut or not fiche.date_fin:
        missing.append("les dates de début et de fin")
    if not any(i.cible is not None for i in fiche.indicateurs.all()):
        missing.append("au moins un indicateur avec une valeur cible")
    return missing


def completeness_percent(missing: list[str]) -> int:
    return round(100 * (8 - len(missing)) / 8)


@dataclass
class Progress:
    fiches: int = 0
    realisees: int = 0
    validees: int = 0
    indicateurs_cibles: int = 0
    indicateurs_atteints: int = 0

    @property
    def part_realisees(self) -> Decimal | None:
        return Decimal(self.realisees) / self.fiches if self.fiches else None

    @property
    def part_atteints(self) -> Decimal | None:
        return Decimal(self.indicateurs_atteints) / self.indicateurs_cibles if self.indicateurs_cibles else None

    def add(self, other: Progress) -> None:
        for name in ("fiches", "realisees", "validees", "indicateurs_cibles", "indicateurs_atteints"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def fiches_progress(fiches) -> Progress:
    """Share of sheets done (abandoned ones left out) and indicators whose latest value reaches the target.

    Indicators must carry `derniere_valeur` (see `_indicateurs_with_last_value`).
    """
    p = Progress()
    for fiche in fiches:
        if fiche.statut == FicheStatut.ABANDONNEE:
            continue
        p.fiches += 1
        p.realisees += fiche.statut == FicheStatut.REALISEE
        p.validees += fiche.statut in VALIDATED_STATUSES
        for ind in fiche.indicateurs.all():
            if ind.cible is None:
                continue
            p.indicateurs_cibles += 1
            p.indicateurs_atteints += bool(ind.atteint(ind.derniere_valeur))
    return p


def _indicateurs_with_last_value():
    last = ValeurIndicateur.objects.filter(indicateur=OuterRef("pk")).order_by("-annee")
    return Indicateur.objects.annotate(derniere_valeur=Subquery(last.values("valeur")[:1]),
                                       derniere_annee=Subquery(last.values("annee")[:1]))


# -- plan page ------------------------------------------------------------------------------------

@dataclass
class AxeRow:
    axe: Axe
    fiches: list
    progress: Progress


@dataclass
class Plan:
    axes: list[AxeRow]
    progress: Progress
    statuts: dict = field(default_factory=dict)


def plan_for(contract, only: Q | None = None) -> Plan:
    """Axes with their sheets (those matching `only`, see `permissions.plan_scope`), each sheet with its
    completeness and its last follow-up's progress; progress per axe and overall. 4 queries."""
    last_suivi = SuiviAnnuel.objects.filter(fiche=OuterRef("pk")).order_by("-annee")
    fiches_qs = (FicheAction.objects.select_related("pilote_organisation", "pilote_personne")
                 .annotate(dernier_avancement=Subquery(last_suivi.values("avancement")[:1]),
                           dernier_suivi=Subquery(last_suivi.values("annee")[:1]))
                 .prefetch_related(Prefetch("indicateurs", queryset=_indicateurs_with_last_value()))
                 .order_by("numero"))
    if only is not None:
        fiches_qs = fiches_qs.filter(only)
    axes = (Axe.objects.filter(contract=contract).select_related("priorite_diagnostic")
            .prefetch_related(Prefetch("fiches", queryset=fiches_qs)).order_by("numero"))
    rows, total = [], Progress()
    statuts: dict[str, int] = defaultdict(int)
    for axe in axes:
        fiches = list(axe.fiches.all())
        for fiche in fiches:
            fiche.missing = fiche_missing(fiche)
            fiche.completeness = completeness_percent(fiche.missing)
            statuts[fiche.get_statut_display()] += 1
        progress = fiches_progress(fiches)
        total.add(progress)
        rows.append(AxeRow(axe=axe, fiches=fiches, progress=progress))
    return Plan(axes=rows, progress=total, statuts=dict(statuts))


def plan_drafts(plan: Plan) -> list[FicheAction]:
    """The drafts among the sheets of `plan` (no query: read from `plan_for`)."""
    return [fiche for row in plan.axes for fiche in row.fiches if fiche.statut == FicheStatut.BROUILLON]


def plan_in_review(plan: Plan) -> int:
    """How many sheets of `plan` are with the délégation or back from it (« soumise », « à modifier »)."""
    return sum(1 for row in plan.axes for fiche in row.fiches
               if fiche.statut in (FicheStatut.SOUMISE, FicheStatut.A_MODIFIER))


def draft_ids(contract) -> list[int]:
    """The drafts of `contract`, every one of them (the coordinator's view of the plan)."""
    return list(FicheAction.objects.filter(contract=contract, statut=FicheStatut.BROUILLON)
                .order_by("pk").values_list("pk", flat=True))


def axe_get_for_user(user, pk) -> Axe:
    qs = Axe.objects.filter(contract__in=Contract.objects.visible_to(user)).select_related(
        "contract", "priorite_diagnostic").prefetch_related("contract__coordinators")
    return get_object_or_404(qs, pk=pk)


def priorites_for(contract, axe=None):
    """Diagnostic priorities of the contract an axe may answer (free ones, plus the axe's own)."""
    qs = Priorite.objects.filter(diagnostic__contract=contract).select_related("diagnostic")
    free = Q(axe__isnull=True)
    if axe is not None and axe.pk:
        free |= Q(axe=axe)
    return qs.filter(free).order_by("-diagnostic__numero", "ordre")


# -- the sheet ------------------------------------------------------------------------------------

def _fiche_base(user):
    return FicheAction.objects.filter(contract__in=Contract.objects.visible_to(user)).select_related(
        "axe", "contract", "contract__collectivite", "contract__referent", "pilote_organisation", "pilote_personne",
    ).prefetch_related(
        "copilotes_personnes", "contract__coordinators",
        Prefetch("contract__delegations", queryset=Delegation.objects.only("id", "departement_id", "nom")),
    )


def fiche_get_for_user(user, pk) -> FicheAction:
    """The sheet (with what permissions read) or 404."""
    return get_object_or_404(_fiche_base(user), pk=pk)


def fiche_get_for_edit(user, pk) -> FicheAction:
    qs = _fiche_base(user).prefetch_related("communes", "indicateurs")
    return get_object_or_404(qs, pk=pk)


def jalon_get_for_user(user, pk) -> Jalon:
    """A milestone of a sheet `user` may open (with its sheet and contract), or 404."""
    return get_object_or_404(Jalon.objects.select_related("fiche__axe", "fiche__contract")
                             .filter(fiche__contract__in=Contract.objects.visible_to(user)), pk=pk)


def fiche_get_detail(user, pk) -> FicheAction:
    """The sheet page: every child prefetched (constant number of queries whatever the years)."""
    qs = _fiche_base(user).select_related(
        "contract__ars", "groupe_travail", "ressource__current_version").prefetch_related(
        "communes", "jalons", "lignes_budget", "reunions",
        Prefetch("partenaires", queryset=PartenaireFiche.objects.select_related("organisation")),
        Prefetch("financements", queryset=Financement.objects.select_related("organisation")),
        Prefetch("indicateurs", queryset=_indicateurs_with_last_value().prefetch_related(
            Prefetch("valeurs", queryset=ValeurIndicateur.objects.select_related("saisi_par")))),
        Prefetch("suivis", queryset=SuiviAnnuel.objects.select_related("saisi_par").order_by("-annee")),
        Prefetch("commentaires", queryset=CommentaireRevue.objects.select_related("auteur")),
    )
    return get_object_or_404(qs, pk=pk)


@dataclass
class Budget:
    annees: list[dict]
    financeurs: list[dict]
    total_prevu: Decimal
    total_realise: Decimal
    total_finance: Decimal


def budget_totals(lignes, financements) -> Budget:
    """Totals per year (planned, actual, funded) and per funder. Decimal all the way."""
    per_year: dict[int, dict] = {}
    for ligne in lignes:
        y = per_year.setdefault(ligne.annee, {"annee": ligne.annee, "prevu": ZERO, "realise": ZERO, "finance": ZERO})
        y["prevu"] += ligne.montant_prevu
        y["realise"] += ligne.montant_realise or ZERO
    per_funder: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for fin in financements:
        y = per_year.setdefault(fin.annee, {"annee": fin.annee, "prevu": ZERO, "realise": ZERO, "finance": ZERO})
        y["finance"] += fin.montant
        per_funder[fin.financeur] += fin.montant
    annees = [per_year[k] for k in sorted(per_year)]
    for y in annees:
        y["ecart"] = y["prevu"] - y["finance"]
    financeurs = [{"financeur": Financeur(k).label, "montant": v} for k, v in sorted(per_funder.items(),
                                                                                        key=lambda kv: -kv[1])]
    return Budget(annees=annees, financeurs=financeurs, total_prevu=sum((y["prevu"] for y in annees), ZERO),
                  total_realise=sum((y["realise"] for y in annees), ZERO),
                  total_finance=sum((y["finance"] for y in annees), ZERO))


def indicator_charts(fiche) -> list[dict]:
    """One SVG chart (values by year against the target) per indicator, with its text alternative."""
    out = []
    for ind in fiche.indicateurs.all():
        valeurs = list(ind.valeurs.all())
        for v in valeurs:  # a sub-annual indicator's year made from some of its periods only
            v.completude = completeness(v.periodes_renseignees, ind.frequence)
        chart = series_chart([(v.annee, v.valeur) for v in valeurs],
                             title=f"Fiche {fiche.code} — {ind.libelle}", target=ind.cible,
                             baseline=ind.valeur_reference,
                             unit=ind.unite, target_label=f"Cible {ind.annee_cible}" if ind.annee_cible else "Cible",
                             target_at_most=not ind.hausse_attendue)
        out.append({"indicateur": ind, "valeurs": valeurs, "chart": chart,
                    "periodique": bool(periods_per_year(ind.frequence)),
                    "atteint": ind.atteint(ind.derniere_valeur)})
    return out


def fiche_history(fiche, user) -> list:
    """History lines of the sheet that `user` may read (the review exchange only for those who see it)."""
    from cls_portal.core import history

    entries = history.visible(history_for(fiche), user, fiche.contract)[:100]
    return history.lines(entries)


def change_requests(fiche, comments=None) -> list:
    """The délégation's comments of the latest "ask for changes" round: what the coordinator must fix."""
    if fiche.statut != FicheStatut.A_MODIFIER:
        return []
    comments = list(comments if comments is not None else fiche.commentaires.select_related("auteur"))
    asked = [c for c in comments if c.transition == "demander_modification"]
    if not asked:
        return []
    tour = max(c.tour for c in asked)
    return [c for c in asked if c.tour == tour]


def fiche_transitions(fiche) -> list:
    from .workflow import transitions_from

    return [t for t in transitions_from(fiche.statut) if not t.hints.get("plan_level")]


def pilot_candidates(contract, fiche=None):
    """People who can pilot a sheet: pilots of organisations of the contract's départements (or national ones),
    the contract's coordinators, and whoever already pilots this sheet."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    deps = [d.departement_id for d in contract.delegations.all()]
    pilots = Q(memberships__role=Role.PILOTE) & (Q(memberships__organisation__departement_id__in=deps)
                                                 | Q(memberships__organisation__departement__isnull=True))
    q = pilots | Q(contracts_coordonnes=contract)
    if fiche is not None and fiche.pk:
        q |= Q(fiches_pilotees=fiche) | Q(fiches_copilotees=fiche)
    return User.objects.filter(q, is_active=True).distinct().order_by("last_name", "first_name")


# -- follow-up ------------------------------------------------------------------------------------

def followup_year(contract, annee: int) -> list[dict]:
    """Sheets that run in `annee` (validated and later), each with its follow-up of that year or None."""
    fiches = (FicheAction.objects.filter(contract=contract, statut__in=[*VALIDATED_STATUSES, FicheStatut.ABANDONNEE])
              .select_related("axe", "pilote_organisation", "pilote_personne")
              .prefetch_related("copilotes_personnes",
                                Prefetch("suivis", queryset=SuiviAnnuel.objects.filter(annee=annee)
                                         .select_related("saisi_par"), to_attr="suivi_annee"))
              .order_by("axe__numero", "numero"))
    rows = []
    for f in fiches:
        f.contract = contract  # permission checks read its prefetched coordinators
        rows.append({"fiche": f, "suivi": f.suivi_annee[0] if f.suivi_annee else None})
    return rows


def suivi_for(fiche, annee: int) -> SuiviAnnuel | None:
    return SuiviAnnuel.objects.filter(fiche=fiche, annee=annee).first()


def suivi_before(fiche, annee: int) -> SuiviAnnuel | None:
    """The sheet's latest follow-up of a year before `annee` (None: none)."""
    return SuiviAnnuel.objects.filter(fiche=fiche, annee__lt=annee).order_by("-annee").first()


# What a sheet's status says of its progress, and the progress states a follow-up of an earlier year may keep
# under that status (it can say more: « En cours, en retard » for a running sheet). A validated sheet's status says
# little (the coordinator may not have marked it started): the last follow-up's state stands unless it is final.
_PROGRESS_OF_STATUS = {
    FicheStatut.VALIDEE: (Avancement.NON_DEMARREE, {Avancement.NON_DEMARREE, Avancement.EN_COURS,
                                                    Avancement.EN_RETARD, Avancement.SUSPENDUE}),
    FicheStatut.EN_COURS: (Avancement.EN_COURS, {Avancement.EN_COURS, Avancement.EN_RETARD, Avancement.SUSPENDUE}),
    FicheStatut.REALISEE: (Avancement.REALISEE, {Avancement.REALISEE}),
    FicheStatut.REPORTEE: (Avancement.SUSPENDUE, {Avancement.SUSPENDUE, Avancement.NON_DEMARREE}),
    FicheStatut.ABANDONNEE: (Avancement.ABANDONNEE, {Avancement.ABANDONNEE}),
}


def avancement_initial(statut: str, annee: int, previous=None) -> tuple[str, str]:
    """The progress a year's follow-up not yet saved starts from, and the hint that says where it comes from:
    the latest earlier follow-up (`previous`, a `SuiviAnnuel`) when the sheet's status has not said otherwise
    since, else what the status implies (« En cours » for a running sheet). The person checks it and saves."""
    implied, kept = _PROGRESS_OF_STATUS.get(statut, (Avancement.NON_DEMARREE, {Avancement.NON_DEMARREE}))
    if previous is not None and previous.avancement in kept:
        return previous.avancement, f"Proposé d'après le suivi {previous.annee} : à confirmer pour {annee}."
    status = FicheStatut(statut).label if statut in FicheStatut.values else statut
    return implied, f"Proposé d'après le statut de la fiche (« {status} ») : à confirmer pour {annee}."


def suivi_proposal(fiche, annee: int) -> tuple[str, str]:
    """The progress a year's follow-up not yet saved starts from, and its hint (`avancement_initial`), from the
    sheet's status and its latest earlier follow-up."""
    return avancement_initial(fiche.statut, annee, suivi_before(fiche, annee))


def valeurs_for(fiche, annee: int) -> dict[int, ValeurIndicateur]:
    return {v.indicateur_id: v for v in ValeurIndicateur.objects.filter(indicateur__fiche=fiche, annee=annee)}


def periodes_for(fiche, annee: int) -> dict[tuple[int, int], ValeurPeriode]:
    """{(indicator id, period number): value} of the sheet's sub-annual indicators in `annee` (one query)."""
    return {(p.indicateur_id, p.periode): p
            for p in ValeurPeriode.objects.filter(indicateur__fiche=fiche, annee=annee)}


# -- sheet list ----------------------------------------------------------------------------------

def fiche_list_for(contract):
    """Sheets of a contract by axe, with their planned budget and number of indicators (no query per row)."""
    from django.db.models import DecimalField, IntegerField, Sum
    from django.db.models.functions import Coalesce

    budget = (LigneBudget.objects.filter(fiche=OuterRef("pk")).values("fiche")
              .annotate(t=Sum("montant_prevu")).values("t"))
    n_ind = (Indicateur.objects.filter(fiche=OuterRef("pk")).values("fiche")
             .annotate(n=Count("pk")).values("n"))
    return (FicheAction.objects.filter(contract=contract)
            .select_related("axe", "pilote_organisation", "pilote_personne")
            .annotate(budget_prevu=Coalesce(Subquery(budget, output_field=DecimalField(max_digits=14,
                                                                                       decimal_places=2)), ZERO),
                      nb_indicateurs=Coalesce(Subquery(n_ind, output_field=IntegerField()), 0))
            .order_by("axe__numero", "numero"))


# -- the pilot's sheets ---------------------------------------------------------------------------

def sheets_of_pilot(user):
    """The sheets `user` pilots or co-pilots, by contract then axe (one query; co-pilots: one more)."""
    return (FicheAction.objects.filter(pk__in=FicheAction.objects.filter(
        Q(pilote_personne=user) | Q(copilotes_personnes=user)).values("pk"))
        .select_related("axe", "contract", "pilote_personne", "pilote_organisation")
        .prefetch_related("copilotes_personnes")
        .order_by("contract__nom", "axe__numero", "numero"))


# -- review queue ---------------------------------------------------------------------------------

def review_queue_for(user):
    """Sheets awaiting the délégation's review in the user's départements (all of them for an admin)."""
    qs = FicheAction.objects.filter(statut=FicheStatut.SOUMISE)
    if not user.is_portal_admin:
        qs = qs.filter(in_departements_q(user.departement_codes(), field="contract_id"))
    return (qs.select_related("axe", "contract", "pilote_organisation")
            .annotate(nb_commentaires=Count("commentaires"))
            .order_by("updated_at", "pk"))


def timeline_sheets(contract, today: dt.date):
    """The rétroplanning's rows for the action plan: each sheet (abandoned ones aside) from its start to its
    end date, with its milestones (filled when done). Two queries."""
    fiches = (FicheAction.objects.filter(contract=contract).exclude(statut=FicheStatut.ABANDONNEE)
              .select_related("axe").prefetch_related("jalons").order_by("axe__numero", "numero"))
    items = []
    for f in fiches:
        done = f.statut == FicheStatut.REALISEE
        overdue = not done and f.date_fin is not None and f.date_fin < today
        items.append(Item(
            label=f"Fiche {f.code} — {f.titre}", start=f.date_debut or f.date_fin, end=f.date_fin or f.date_debut,
            status=f.get_statut_display(), state="done" if done else ("overdue" if overdue else "planned"),
            url=reverse("actions:fiche_detail", args=[f.pk]), due=f.date_fin,
            marks=[Mark(j.libelle, j.date_realisee or j.date_prevue, j.date_realisee is not None)
                   for j in f.jalons.all()]))
    return ("Fiches actions et jalons", items) if items else None


def meeting_sheets(contract) -> dict[int, list[str]]:
    """{meeting id: ["1.2 Titre", …]}: the sheets each meeting of the contract worked on (one query)."""
    out: dict[int, list[str]] = {}
    rows = (FicheAction.reunions.through.objects.filter(meeting__contract=contract)
            .select_related("ficheaction__axe").order_by("ficheaction__axe__numero", "ficheaction__numero"))
    for row in rows:
        out.setdefault(row.meeting_id, []).append(f"{row.ficheaction.code} {row.ficheaction.titre}")
    return out


@dataclass
class IndicatorSummary:
    fiche: FicheAction
    indicateur: Indicateur
    values: list  # one per year of `years` (None: not entered); a sub-annual indicator's: its periods' aggregate
    last: object  # the last value entered, whatever its year
    last_year: int | None
    reached: bool | None  # the target reached by the last value (None: no target or no value)
    notes: list = field(default_factory=list)  # per year: « 3 périodes sur 4 renseignées » or ""

    @property
    def cells(self) -> list[tuple]:
        """(value, note) per year, for templates."""
        return list(zip(self.values, self.notes or [""] * len(self.values), strict=True))


def summary_counts(rows: list[IndicatorSummary]) -> dict:
    """How many indicators of a summary reach their target, miss it, or cannot say (no target or no value)."""
    return {"reached": sum(1 for r in rows if r.reached), "missed": sum(1 for r in rows if r.reached is False),
            "unknown": sum(1 for r in rows if r.reached is None)}


def indicator_summary(contract, only: Q | None = None, today: dt.date | None = None) -> tuple[list[int], list]:
    """End-of-contract summary of every indicator of the sheets `only` lets the user read (see
    `permissions.plan_scope`): baseline, the value of each year of implementation, target, reached or not.
    (years, rows); 3 queries whatever the number of sheets, indicators and years."""
    years = contract_years(contract, today)
    fiches = (FicheAction.objects.filter(contract=contract).select_related("axe")
              .prefetch_related(Prefetch("indicateurs", queryset=Indicateur.objects.order_by("pk")
                                         .prefetch_related("valeurs")))
              .order_by("axe__numero", "numero"))
    if only is not None:
        fiches = fiches.filter(only)
    rows = []
    for fiche in fiches:
        for ind in fiche.indicateurs.all():
            stored = {v.annee: v for v in ind.valeurs.all()}
            by_year = {y: v.valeur for y, v in stored.items()}
            last_year = max(by_year) if by_year else None
            last = by_year.get(last_year)
            notes = [completeness(stored[y].periodes_renseignees, ind.frequence) if y in stored else ""
                     for y in years]
            rows.append(IndicatorSummary(fiche=fiche, indicateur=ind, values=[by_year.get(y) for y in years],
                                         last=last, last_year=last_year, reached=ind.atteint(last), notes=notes))
    return years, rows
