"""Reads, always from the user's point of view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, Min, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cls_portal.accounts.models import Role
from cls_portal.core.errors import DomainError
from cls_portal.core.models import HistoryEntry
from cls_portal.territories.models import EPCI, Commune, Delegation, Departement, Region

from . import registry
from .enums import (
    SIGNED_DOCUMENT_TYPES,
    PlanChangeKind,
    ProposalStatus,
    SignatoryRole,
    StepStatus,
)
from .models import (
    Avenant,
    AvenantChange,
    Contract,
    CoordinatorTerm,
    Document,
    Instance,
    Meeting,
    PerimeterPeriod,
    PhaseTransition,
    Signatory,
    Step,
    TransitionProposal,
    in_departements_q,
    q_closed_at,
)


def life_years(contract, today: dt.date | None = None) -> tuple[int, int]:
    """First and last year of the contract's life: from its signature for its duration; before signature,
    last year to five years ahead (a plan is drafted before it is signed). For yearly figures (budget,
    funding lines) whose year means "a year of this contract"."""
    if contract.date_signature:
        start = contract.date_signature.year
        return start, start + contract.duree_annees
    year = (today or timezone.localdate()).year
    return year - 1, year + 5


# --- A contract at a past date (the regional figures "au 26/03/2025") ------------------------------------------
#
# In force on a date: `contracts.models.q_in_force(day)`, the one rule (today's too).
# Read from the dated records only: the signature date (set by the signing transition, or by the import), the
# closure in the phase history (`PhaseTransition`), the perimeter's periods (`PerimeterPeriod`) and the
# coordinators' terms (`CoordinatorTerm`). Each is one Q or one subquery: a count at a date costs no more
# queries than today's.

def q_post_planned_at(day: dt.date) -> Q:
    """A coordination post is planned from the letter of intent (a contract imported signed without its
    letter's date: from its signature) until the contract closes. A renewal prepared while the previous
    generation runs is the same post: it counts once the previous one is closed."""
    return ((Q(date_lettre_intention__lte=day) | Q(date_lettre_intention__isnull=True, date_signature__lte=day))
            & ~q_closed_at(day) & (Q(previous__isnull=True) | q_closed_at(day, of="previous")))


def coordinators_at(day: dt.date):
    """The coordinators in post on `day` (a queryset on `OuterRef("pk")`, for `Exists`)."""
    return CoordinatorTerm.objects.at(day).filter(contract_id=OuterRef("pk"))


def perimeters_at(day: dt.date, contracts):
    """Commune codes in the perimeter of `contracts` on `day` (a subquery; a commune may repeat)."""
    return PerimeterPeriod.objects.at(day).filter(contract__in=contracts).values("commune_id")


def annotate_for_lists(qs, today: dt.date, *, population: bool = True):
    """Population, next deadline, overdue steps: one subquery each (no row blow-up).
    `population=False`: the population is only an alias (a list may sort on it without printing it)."""
    open_steps = Step.objects.filter(contract=OuterRef("pk")).exclude(statut=StepStatus.REALISEE).order_by()
    next_deadline = (open_steps.filter(date_prevue__gte=today).values("contract")
                     .annotate(m=Min("date_prevue")).values("m"))
    overdue = open_steps.filter(date_prevue__lt=today).values("contract").annotate(n=Count("id")).values("n")
    pop = (Commune.objects.filter(contracts=OuterRef("pk")).order_by().values("contracts")
           .annotate(s=Sum("population")).values("s"))
    pop = Coalesce(Subquery(pop, output_field=IntegerField()), Value(0))
    qs = qs.annotate(population=pop) if population else qs.alias(population=pop)
    return qs.annotate(
        next_deadline=Subquery(next_deadline),
        overdue_steps=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)),
    )


def population_subquery():
    """Population of a contract's perimeter without joining communes into the outer query."""
    through = Contract.communes.through
    return Coalesce(Subquery(
        through.objects.filter(contract_id=OuterRef("pk")).order_by().values("contract_id")
        .annotate(p=Sum("commune__population")).values("p")[:1], output_field=IntegerField()), 0)


def nb_communes_subquery():
    through = Contract.communes.through
    return Coalesce(Subquery(
        through.objects.filter(contract_id=OuterRef("pk")).order_by().values("contract_id")
        .annotate(n=Count("commune_id")).values("n")[:1], output_field=IntegerField()), 0)


def contract_list_for_user(user, today: dt.date | None = None):
    """Contracts the user may see, annotated for list pages (constant number of queries)."""
    today = today or timezone.localdate()
    qs = (
        Contract.objects.visible_to(user)
        .select_related("collectivite", "ars", "referent")
        .prefetch_related(Prefetch("delegations", queryset=Delegation.objects.select_related("departement")))
    )
    return annotate_for_lists(qs, today).order_by("nom", "pk")


def departements_for(user):
    """The départements a user may filter on: all for administrators; else those of their région(s) and
    délégation, and those of the contracts they see through another role (coordinator, pilot, elected
    official). One query when evaluated."""
    qs = Departement.objects.select_related("region").order_by("code")
    if user.is_portal_admin:
        return qs
    q = Q(region_id__in=user.region_codes()) | Q(code__in=user.departement_codes())
    if user.roles() - {Role.REGION, Role.DELEGATION}:
        q |= Q(code__in=Delegation.objects.filter(contracts__in=Contract.objects.visible_to(user))
               .values("departement_id"))
    return qs.filter(q)


def _in_delegation_scope(qs, user):
    """`qs` limited to the contracts of the délégation user's départements (admins: all), by a subquery
    (no join, no DISTINCT)."""
    if user.is_portal_admin:
        return qs
    return qs.filter(in_departements_q(user.departement_codes()))


def delegation_contracts(user, today: dt.date):
    """The CLS of the délégation user's départements (admins: all), for the dashboard's table: only what it
    prints (name, départements, phase, generation, end date, next deadline, overdue steps, proposals to
    examine). The contract list's queryset (every column of the contract, its collectivité, ARS and référent,
    the population) took 8.8 ms for this table of 25 rows at 1 255 contracts, this one 5.5 ms. The délégation
    scope is already the user's: every contract of it is visible to a délégation user (`visible_to`)."""
    qs = (_in_delegation_scope(Contract.objects.all(), user)
          .only("nom", "phase", "generation", "date_signature", "duree_annees")
          .prefetch_related(Prefetch("delegations", queryset=Delegation.objects.select_related("departement")
                                     .only("departement__nom"))))
    return annotate_for_lists(qs, today, population=False).order_by("nom", "pk")


def coordinator_contracts(user, today: dt.date):
    """The coordinator's own CLS with their open steps and next meetings prefetched."""
    qs = Contract.objects.filter(coordinators=user).select_related("collectivite", "referent")
    return annotate_for_lists(qs, today).prefetch_related(
        Prefetch("steps", to_attr="open_steps", queryset=Step.objects.exclude(statut=StepStatus.REALISEE)
                 .filter(date_prevue__isnull=False).order_by("date_prevue")),
        Prefetch("meetings", to_attr="next_meetings", queryset=Meeting.objects.filter(date__gte=today)
                 .select_related("instance").order_by("date")),
        Prefetch("proposals", to_attr="pending", queryset=TransitionProposal.objects.filter(
            status=ProposalStatus.PENDING)),
    ).order_by("nom")


def reviewers(contract) -> list:
    """Who hears about a submission or a proposal: the contract's référent, else the délégation's users."""
    if contract.referent_id:
        return [contract.referent]
    deps = [d.departement_id for d in contract.delegations.all()]
    return list(get_user_model().objects.filter(memberships__role=Role.DELEGATION,
                                                memberships__departements__in=deps).distinct())


def decision_recipients(contract, proposal) -> list:
    """Who hears of the délégation's decision on a proposal: the contract's coordinators and the proposal's
    author (an admin proposes for a contract that has no coordinator yet, in its phase préalable)."""
    users = list(contract.coordinators.all())
    if proposal.proposed_by_id and all(u.pk != proposal.proposed_by_id for u in users):
        users.append(proposal.proposed_by)
    return users


def contract_get_for_user(user, pk) -> Contract:
    """The contract if `user` may see it, else 404 (never 403: another tenant's object does not exist)."""
    qs = (
        Contract.objects.visible_to(user)
        .select_related("collectivite", "ars", "ars__region", "referent", "epci", "previous")
        .prefetch_related("coordinators",
                          Prefetch("delegations", queryset=Delegation.objects.select_related("departement")))
    )
    return get_object_or_404(qs, pk=pk)


def contract_perimeter(contract):
    return contract.communes.select_related("departement").order_by("nom")


def signatories(contract):
    return Signatory.objects.filter(contract=contract).select_related("organisation")


def documents(contract):
    return (Document.objects.filter(contract=contract).select_related("uploaded_by", "supersedes")
            .annotate(n_next=Count("superseded_by")).order_by("type", "-version_doc", "-id"))


def steps(contract):
    return Step.objects.filter(contract=contract).order_by("ordre", "annee", "date_prevue", "id")


def instances(contract):
    return Instance.objects.filter(contract=contract).prefetch_related(
        Prefetch("members", queryset=Instance.members.rel.related_model.objects.select_related("organisation")))


def meetings(contract):
    return Meeting.objects.filter(contract=contract).select_related("instance", "compte_rendu_document")


def avenants(contract):
    return (Avenant.objects.filter(contract=contract).select_related("document")
            .prefetch_related("signataires__organisation", "changes__fiche__axe"))


def history(contract, user, limit=50) -> list:
    """The contract's history lines (its own and its children's) that `user` may read: each line is filtered
    by the predicate of the page it describes (funding lines only for those who may open the funding page)."""
    from cls_portal.core import history as core_history

    entries = core_history.visible(HistoryEntry.objects.filter(contract_id=contract.pk), user, contract)
    return core_history.lines(entries.select_related("actor", "content_type").order_by("-at", "-id")[:limit])


def referent_candidates(contract):
    """Who may be the contract's ARS référent: the délégation agents of one of its départements (the référent of a
    CLS is an agent of the délégation départementale, fiche pratique n°5)."""
    deps = [d.departement_id for d in contract.delegations.all()]
    return get_user_model().objects.filter(
        memberships__role=Role.DELEGATION, memberships__departements__in=deps).distinct().order_by(
        "last_name", "first_name", "username")


def referent_history(contract) -> list:
    """Who named each référent of the contract, and when: the history lines that changed it (newest first)."""
    from cls_portal.core import history as core_history

    entries = HistoryEntry.objects.filter(contract_id=contract.pk, changes__has_key="referent")
    return core_history.lines(entries.select_related("actor", "content_type").order_by("-at", "-id")[:20])


def proposals(contract) -> list[TransitionProposal]:
    """Every phase-change proposal of the contract, with who proposed and who decided (one query)."""
    return list(TransitionProposal.objects.filter(contract=contract).select_related("proposed_by", "decided_by")
                .order_by("proposed_at", "pk"))


def pending_in(proposal_list) -> TransitionProposal | None:
    """The proposal waiting for the délégation (at most one: a database constraint)."""
    return next((p for p in proposal_list if p.status == ProposalStatus.PENDING), None)


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # "proposition", "validation", "refus", "phase"
    title: str
    actor: object
    comment: str
    note: str = ""  # how it happened, when it is not the usual way


UNPROPOSED_NOTE = "Par la délégation, sans proposition (aucun coordinateur désigné)"


def timeline(contract, proposal_list=None) -> list[TimelineEntry]:
    """Proposals, decisions and phase changes of the contract, oldest first (`proposal_list`: the
    contract's proposals when the caller already read them).

    A phase change normally proposed that has no proposal and an actor is one the délégation made itself on a
    contract without coordinator (`workflow.Transition.unproposed_event`): it says so, as the history does.
    Read from the phase change's own row (no query more): the closures dated by an import or by the backfill
    migration have no actor, and a proposal is never deleted but with its contract."""
    from . import workflow

    unproposed = {t.name for t in workflow.LIFECYCLE if t.unproposed_event}
    entries = []
    for p in proposals(contract) if proposal_list is None else proposal_list:
        label = workflow.TRANSITIONS[p.transition].label if p.transition in workflow.TRANSITIONS else p.transition
        entries.append(TimelineEntry(p.proposed_at, "proposition", f"Proposition : {label}", p.proposed_by,
                                     p.comment))
        if p.status == ProposalStatus.REFUSED:
            entries.append(TimelineEntry(p.decided_at, "refus", f"Proposition refusée : {label}", p.decided_by,
                                         p.decision_comment))
        elif p.status == ProposalStatus.ACCEPTED:
            entries.append(TimelineEntry(p.decided_at, "validation", f"Proposition validée : {label}",
                                         p.decided_by, p.decision_comment))
    for t in PhaseTransition.objects.filter(contract=contract).select_related("actor"):
        title = f"Changement de phase : {t.get_from_phase_display()} → {t.get_to_phase_display()}"
        note = UNPROPOSED_NOTE if (t.proposal_id is None and t.actor_id is not None
                                   and t.transition in unproposed) else ""
        entries.append(TimelineEntry(t.at, "phase", title, t.actor, "" if t.proposal_id else t.comment, note))
    return sorted(entries, key=lambda e: (e.at, {"proposition": 0, "refus": 1, "validation": 1, "phase": 2}[e.kind]))


def sheets_added_by_avenant(contract) -> set[int]:
    """The sheets an avenant of `contract` already adds to the plan (« Fiche ajoutée »)."""
    return set(AvenantChange.objects.filter(avenant__contract=contract, kind=PlanChangeKind.AJOUT,
                                            fiche__isnull=False).values_list("fiche_id", flat=True))


def avenant_sheet_refusal(fiche, kind: str, *, added: set[int]) -> str | None:
    """Why a new avenant cannot list `fiche` as a change of `kind` (None: it can), in French.

    « Fiche ajoutée »: a sheet written after signature, not yet in the signed plan (neither validated nor
    dropped) and that no earlier avenant adds (`added`, from `sheets_added_by_avenant`). « Fiche modifiée » and
    « Fiche retirée »: a sheet of the signed plan still carried out (`registry.amendable_sheet_statuses`: validated,
    running or postponed), not one already done or abandoned. Statuses come from the action plan (registry).
    """
    statut = fiche.get_statut_display().lower()
    if kind == PlanChangeKind.AJOUT:
        if fiche.pk in added:
            return f"La fiche {fiche.code} est déjà ajoutée au plan par un avenant précédent."
        if fiche.statut in registry.validated_sheet_statuses.get():
            return (f"La fiche {fiche.code} fait déjà partie du plan signé ({statut}) : un avenant la modifie ou la "
                    "retire, il ne l'ajoute pas.")
        if fiche.statut in registry.dropped_sheet_statuses.get():
            return f"La fiche {fiche.code} est {statut} : un avenant ne l'ajoute pas au plan."
        return None
    if fiche.statut in registry.amendable_sheet_statuses.get():
        return None
    if fiche.statut in registry.validated_sheet_statuses.get() or fiche.statut in registry.dropped_sheet_statuses.get():
        return f"La fiche {fiche.code} est {statut} : un avenant ne la modifie ni ne la retire plus."
    return (f"La fiche {fiche.code} n'est pas validée ({statut}) : un avenant ne modifie ou ne retire que les fiches "
            "du plan signé.")


def avenant_sheet_options(contract) -> dict[str, list]:
    """The sheets a new avenant of `contract` may list, by kind of change (see `avenant_sheet_refusal`)."""
    added = sheets_added_by_avenant(contract)
    sheets = list(contract.fiches.select_related("axe").order_by("axe__numero", "numero"))
    return {kind: [f for f in sheets if avenant_sheet_refusal(f, kind, added=added) is None]
            for kind in PlanChangeKind.values}


def in_force(contract, avenant_list) -> list:
    """The avenants in force: initialled by every signatory (a waiting one carries the version it will make)."""
    return [a for a in avenant_list if a.plan_version <= contract.plan_version]


def avenant_rows(contract, avenant_list, signatory_list) -> list[dict]:
    """Each avenant with the signatories (partners aside) whose initials are missing; from prefetched lists."""
    required = [s for s in signatory_list if s.role != SignatoryRole.PARTENAIRE]
    rows = []
    for a in avenant_list:
        done = {s.pk for s in a.signataires.all()}
        rows.append({"avenant": a, "in_force": a.plan_version <= contract.plan_version,
                     "missing": [s for s in required if s.pk not in done]})
    return rows


def plan_versions(contract, avenant_list) -> list[dict]:
    versions = [{"version": 1, "label": "Contrat initial" + (
        f" signé le {contract.date_signature:%d/%m/%Y}" if contract.date_signature else ""), "avenant": None}]
    for a in in_force(contract, avenant_list):
        versions.append({"version": a.plan_version, "label": f"Avenant n°{a.numero} du {a.date:%d/%m/%Y}",
                         "avenant": a})
    return versions


def current_version_label(contract, avenant_list) -> str:
    valid = in_force(contract, avenant_list)
    last = valid[-1] if valid else None
    if last is None:
        return f"version {contract.plan_version} (contrat initial)"
    return f"version {contract.plan_version} (avenant n°{last.numero} du {last.date:%d/%m/%Y})"


SIGNED = SIGNED_DOCUMENT_TYPES


def regions_of(user) -> list:
    """The régions where `user` works: its région (regional team), those of its départements (délégation),
    of its contracts (coordinator); every région for an admin. New contracts and organisations go there."""
    if user.is_portal_admin:
        return list(Region.objects.filter(ars__isnull=False).order_by("nom"))
    q = Q(code__in=user.region_codes()) | Q(departements__code__in=user.departement_codes())
    if user.has_role(Role.COORDINATEUR):
        q |= Q(ars__contracts__coordinators=user)
    return list(Region.objects.filter(q).distinct().order_by("nom"))


def territory_for_code(code: str, region_code: str):
    """The EPCI (SIREN, 9 digits) or commune (INSEE code) `code` of région `region_code`; DomainError
    (French, on `collectivite_code`) when it is neither, unknown, or elsewhere."""
    code = (code or "").strip().upper()
    if len(code) == 9 and code.isdigit():
        epci = EPCI.objects.filter(code=code).first()
        if epci is None:
            raise DomainError(f"Aucun EPCI n'a le SIREN {code}.", field="collectivite_code")
        if not epci.communes.filter(region_id=region_code).exists():
            raise DomainError(f"L'EPCI {epci.nom} n'est pas dans la région du contrat.", field="collectivite_code")
        return epci
    commune = Commune.objects.filter(code=code).first() if len(code) == 5 else None
    if commune is None:
        raise DomainError(f"« {code} » n'est ni le SIREN d'un EPCI (9 chiffres) ni le code INSEE d'une commune "
                          "(5 caractères).", field="collectivite_code")
    if commune.region_id != region_code:
        raise DomainError(f"La commune {commune} n'est pas dans la région du contrat.", field="collectivite_code")
    return commune


def coordinated_region_codes(user):
    """The régions of the contracts `user` coordinates (the library and the network know coordinators by them)."""
    return Contract.objects.filter(coordinators=user).values_list("ars__region_id", flat=True).distinct()
