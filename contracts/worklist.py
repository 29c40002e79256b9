"""What waits on contracts (work-list source registered in `ContractsConfig.ready()`), and the scopes every
app's source uses: the contracts an audience looks after, and the département an item is rolled up under."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db.models import Exists, F, Min, OuterRef, Q, Subquery
from django.utils import timezone

from cls_portal.core.worklist import COORDINATEUR, DELEGATION, REGION, Pending, WorkItem, url_maker

from .enums import Phase, ProposalStatus, StepStatus
from .models import Contract, Step, TransitionProposal, in_departements_q
from .workflow import TRANSITIONS


def scope(user, audience: str):
    """The contracts `audience` looks after for `user`, as a queryset (used as a subquery, never evaluated
    alone): a délégation its départements', the regional team its régions', a coordinator his own. Built once
    per request and audience (every kind of item filters on it), kept on the user object like the work list."""
    memo = user.__dict__.setdefault("_worklist_scopes", {})
    if audience not in memo:
        memo[audience] = _scope(user, audience)
    return memo[audience]


def _scope(user, audience: str):
    qs = Contract.objects.all()
    if audience == DELEGATION:
        return qs if user.is_portal_admin else qs.in_departements(user.departement_codes())
    if audience == REGION:
        return qs if user.is_portal_admin else qs.filter(ars__region_id__in=user.region_codes())
    if audience == COORDINATEUR:
        return qs.filter(coordinators=user)
    return qs.none()


def in_scope(user, audience: str, field: str = "contract") -> Q:
    """Rows whose contract (the foreign key `field`) `audience` looks after for `user`, as `scope` says, in the
    filter cheapest to build: the regional team's a join on the contract's ARS, a délégation's the one subquery
    of its départements' contracts (`in_departements_q`), the other audiences' `field__in=scope(...)`. A queryset
    as subquery cost 0.13 ms more of SQL building per kind of item (0.41 ms instead of 0.27 for the regional team's
    sheets to review), and the regional view builds ten."""
    memo = user.__dict__.setdefault("_worklist_scope_filters", {})
    if (audience, field) not in memo:
        if audience in (DELEGATION, REGION) and user.is_portal_admin:
            memo[audience, field] = Q()
        elif audience == REGION:
            memo[audience, field] = Q(**{f"{field}__ars__region_id__in": user.region_codes()})
        elif audience == DELEGATION:
            memo[audience, field] = in_departements_q(user.departement_codes(), f"{field}_id")
        else:
            memo[audience, field] = Q(**{f"{field}__in": scope(user, audience)})
    return memo[audience, field]


def departement_of(field: str = "pk") -> Subquery:
    """The code of the first département of the contract named by `field` (regional roll-up)."""
    through = Contract.delegations.through.objects.filter(contract_id=OuterRef(field))
    return Subquery(through.order_by("delegation__departement_id").values("delegation__departement_id")[:1])


def contract_departements():
    """(contract id, code of its first département) of every contract with a département: what
    `departement_of` gives one row (`worklist.contract_departements`, for the roll-up's counting statement)."""
    return (Contract.delegations.through.objects.order_by().values("contract_id")
            .annotate(dep=Min("delegation__departement_id")).values_list("contract_id", "dep"))


def rollup(audience: str, field: str = "contract_id"):
    """A `Pending`'s `departement` (the code of each row's contract's first département) for the regional
    roll-up only: the délégation's list does not show it, and the menu's count never reads it (a subquery
    spared), as a function building the subquery, called only when rows are read (the roll-up's counts join
    `contract_departements` instead). The work lists give it to the rows as `dep`; items read it with
    `departement(row)`."""
    return partial(departement_of, field) if audience == REGION else None


def departement(row) -> str:
    """The row's `dep` (a model instance, or a dict for a `Pending` read as `values`)."""
    return (row.get("dep") if isinstance(row, dict) else getattr(row, "dep", None)) or ""


def _transition_label(name) -> str:
    t = TRANSITIONS.get(name)
    return t.label if t else name


def proposals_to_decide(user, audience) -> Pending:
    contract_url = url_maker("contracts:detail")

    kind = dict(kind="proposition_a_decider", label="Changement de phase à décider", rank=10)

    def item(p):
        who = p.proposed_by.get_full_name() or str(p.proposed_by) if p.proposed_by else ""
        return WorkItem(title=_transition_label(p.transition), url=contract_url(p.contract_id) + "#cycle",
                        contract_id=p.contract_id, contract=p.contract.nom, departement=departement(p),
                        due=timezone.localdate(p.proposed_at), detail=f"Proposé par {who}" if who else "", **kind)

    qs = TransitionProposal.objects.filter(in_scope(user, audience), status=ProposalStatus.PENDING)
    # Only the columns the item reads (with every column of the contract and of the user, building the SQL took
    # 0.6 ms instead of 0.4).
    return Pending(qs.select_related("contract", "proposed_by")
                   .only("transition", "proposed_at", "contract__nom", "proposed_by__first_name",
                         "proposed_by__last_name", "proposed_by__username"), item, departement=rollup(audience),
                   due="proposed_at", **kind)


def proposals_refused(user) -> Pending:
    """The coordinator's last proposal when it was refused and nothing was proposed since, while the contract
    is still in the phase it wanted to leave."""
    later = TransitionProposal.objects.filter(contract_id=OuterRef("contract_id"), pk__gt=OuterRef("pk"))
    contract_url = url_maker("contracts:detail")

    def item(p):
        return WorkItem("proposition_refusee", "Proposition refusée par la délégation", _transition_label(p.transition),
                        contract_url(p.contract_id) + "#cycle", p.contract_id, p.contract.nom, "",
                        timezone.localdate(p.decided_at) if p.decided_at else None,
                        f"Motif : {p.decision_comment}" if p.decision_comment else "Aucun motif indiqué.", rank=10)

    return Pending(TransitionProposal.objects.filter(status=ProposalStatus.REFUSED,
                                                     contract__in=scope(user, COORDINATEUR),
                                                     contract__phase=F("from_phase"))
                   .exclude(Exists(later)).select_related("contract"), item)


def steps_overdue(user, audience, today) -> Pending:
    retroplanning_url = url_maker("contracts:retroplanning")

    kind = dict(kind="etape_en_retard", label="Étape en retard", rank=60)

    def item(s):
        return WorkItem(title=s.titre, url=retroplanning_url(s.contract_id), contract_id=s.contract_id,
                        contract=s.contract.nom, departement=departement(s), due=s.date_prevue,
                        detail=f"Prévue le {s.date_prevue:%d/%m/%Y}", **kind)

    steps = (Step.objects.filter(in_scope(user, audience), date_prevue__lt=today)
             .exclude(contract__phase=Phase.CLOS).exclude(statut=StepStatus.REALISEE))
    return Pending(steps.select_related("contract").only("titre", "date_prevue", "contract__nom")
                   .order_by("date_prevue", "id"), item, departement=rollup(audience), due="date_prevue", **kind)


def contracts_expired(user, audience, today) -> Pending:
    """Contracts past their end date and not closed: no longer in force (not counted in the figures nor the
    coverage) until the délégation has the final evaluation run and closes them."""
    contract_url = url_maker("contracts:detail")

    kind = dict(kind="contrat_echu", label="Contrat arrivé à échéance", rank=15)

    def item(c):
        todo = "clôture à décider" if c.phase == Phase.EVALUATION_FINALE else "évaluation finale puis clôture à mener"
        return WorkItem(title=f"Arrivé à échéance le {c.date_fin:%d/%m/%Y}", url=contract_url(c.pk) + "#cycle",
                        contract_id=c.pk, contract=c.nom, departement=departement(c), due=c.date_fin,
                        detail=f"Plus compté comme actif : {todo}", **kind)

    # One row per contract: the roll-up's order needs no due date (the name comes first).
    return Pending(scope(user, audience).expired(today).only("nom", "phase", "date_signature", "duree_annees"),
                   item, departement=rollup(audience, "pk"), contract="pk", contract_name="nom", **kind)


def source(user, audience: str, today: dt.date) -> list[Pending]:
    if audience in (DELEGATION, REGION):
        return [proposals_to_decide(user, audience), contracts_expired(user, audience, today),
                steps_overdue(user, audience, today)]
    if audience == COORDINATEUR:
        return [proposals_refused(user), steps_overdue(user, audience, today)]
    return []
