"""Which reminders are due on a given day (reads only). `services.send_reminders` sends them once.

Each reminder names its object and its period: the pair is recorded when it is sent, so the daily
job may run any number of times (or twice at once) and still send it once. A new period (next
year's report, the next review round) is a new reminder.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cls_portal.accounts.models import Role, RoleMembership
from cls_portal.territories.models import Delegation
from contracts.enums import ACTIVE_PHASES, Phase
from contracts.models import Contract
from reports.enums import ReportKind
from reports.models import Report

from . import funding_bridge

# Last year's activity and financial reports are expected once the COPIL's yearly review can have
# met: from this day-month of the following year, a missing published report is reminded.
REPORTS_DUE_FROM = (3, 1)


class Kind:
    RAPPORT_DU = "rapport_du"
    DIALOGUE_GESTION = "dialogue_gestion"
    DERNIERE_ANNEE = "derniere_annee"
    ETAPE_EN_RETARD = "etape_en_retard"
    REVUE_EN_ATTENTE = "revue_en_attente"


@dataclass
class Reminder:
    kind: str
    object_key: str
    period: str
    contract: Contract
    title: str
    body: str
    url: str = ""
    users: list = field(default_factory=list)


def _url(name, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return reverse("contracts:detail", kwargs={"pk": kwargs.get("pk") or kwargs.get("contract_pk")})


def _contracts(qs):
    return qs.select_related("referent").prefetch_related(
        "coordinators", Prefetch("delegations", queryset=Delegation.objects.only("departement_id")))


class Recipients:
    """Coordinators of a contract, and its délégation: the named référent, else every référent of its départements."""

    def __init__(self):
        self._by_dep = None

    def _delegation_users(self):
        if self._by_dep is None:
            self._by_dep = defaultdict(list)
            for m in (RoleMembership.objects.filter(role=Role.DELEGATION, user__is_active=True)
                      .select_related("user").prefetch_related("departements")):
                for d in m.departements.all():
                    self._by_dep[d.code].append(m.user)
        return self._by_dep

    def coordinators(self, contract) -> list:
        return list(contract.coordinators.all())

    def delegation(self, contract) -> list:
        if contract.referent_id and contract.referent.is_active:
            return [contract.referent]
        users = self._delegation_users()
        return [u for d in contract.delegations.all() for u in users.get(d.departement_id, [])]

    def both(self, contract) -> list:
        return self.coordinators(contract) + self.delegation(contract)


def reports_due(today: dt.date, who: Recipients) -> Iterator[Reminder]:
    if (today.month, today.day) < REPORTS_DUE_FROM:
        return
    year = today.year - 1
    contracts = _contracts(Contract.objects.filter(phase__in=ACTIVE_PHASES, date_signature__lte=dt.date(year, 12, 31)))
    published = set(Report.objects.published().filter(year=year, contract__in=contracts.values("pk"))
                    .values_list("contract_id", "kind"))
    for contract in contracts:
        for kind, label in ReportKind.choices:
            if (contract.pk, kind) in published:
                continue
            yield Reminder(
                Kind.RAPPORT_DU, f"contract:{contract.pk}:{kind}", str(year), contract,
                title=f"{label} {year} attendu — {contract.nom}",
                body=f"Le {label.lower()} {year} du {contract.nom} n'est pas encore publié. Préparez-le pour la "
                     f"revue annuelle du COPIL puis faites-le publier.",
                url=_url("reports:contract", pk=contract.pk), users=who.coordinators(contract))


def _deadline(year: int) -> dt.date:
    month, day = (int(x) for x in settings.DIALOGUE_GESTION_DEADLINE.split("-"))
    return dt.date(year, month, day)


def dialogue_not_held(today: dt.date, who: Recipients) -> Iterator[Reminder]:
    if today <= _deadline(today.year):
        return
    contracts = _contracts(Contract.objects.filter(phase__in=ACTIVE_PHASES))
    for contract in contracts.filter(pk__in=funding_bridge.contracts_without_dialogue(contracts, today.year)):
        yield Reminder(
            Kind.DIALOGUE_GESTION, f"contract:{contract.pk}", str(today.year), contract,
            title=f"Dialogue de gestion {today.year} non tenu — {contract.nom}",
            body=f"Aucun dialogue de gestion {today.year} n'est enregistré pour le {contract.nom} alors que "
                 f"l'échéance du {_deadline(today.year):%d/%m} est passée. Fixez une date entre la collectivité "
                 f"et la délégation départementale.",
            url=_url("funding:contract", contract_pk=contract.pk), users=who.both(contract))


def _one_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def last_year(today: dt.date, who: Recipients) -> Iterator[Reminder]:
    contracts = _contracts(Contract.objects.filter(phase=Phase.MISE_EN_OEUVRE, date_signature__isnull=False))
    for contract in contracts:
        end = contract.date_fin
        if not _one_year_before(end) < today <= end:
            continue
        yield Reminder(
            Kind.DERNIERE_ANNEE, f"contract:{contract.pk}", end.isoformat(), contract,
            title=f"Dernière année du contrat — {contract.nom}",
            body=f"Le {contract.nom} prend fin le {end:%d/%m/%Y}. Sa dernière année commence : préparez "
                 f"l'évaluation finale avec le COPIL, elle prépare le renouvellement du contrat.",
            url=_url("contracts:detail", pk=contract.pk), users=who.both(contract))


def reviews_waiting(today: dt.date, who: Recipients) -> Iterator[Reminder]:
    from actions.enums import FicheStatut
    from actions.models import FicheAction
    from diagnostics.enums import Statut as DiagStatut
    from diagnostics.models import Diagnostic

    days = settings.REVIEW_WAITING_DAYS
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.max))
    # A submitted sheet is frozen until the délégation answers: its last change is its submission.
    fiches = (FicheAction.objects.filter(statut=FicheStatut.SOUMISE, updated_at__lte=cutoff)
              .select_related("axe").prefetch_related(Prefetch("contract", queryset=_contracts(Contract.objects))))
    for fiche in fiches:
        contract = fiche.contract
        yield Reminder(
            Kind.REVUE_EN_ATTENTE, f"fiche:{fiche.pk}", f"tour-{fiche.nb_soumissions}", contract,
            title=f"Fiche {fiche.code} en attente de revue depuis plus de {days} jours",
            body=f"La fiche action « {fiche.titre} » du {contract.nom} a été soumise le "
                 f"{timezone.localtime(fiche.updated_at):%d/%m/%Y} et attend votre revue.",
            url=_url("actions:plan", contract_pk=contract.pk),
            users=who.delegation(contract))
    diagnostics = (Diagnostic.objects.filter(statut=DiagStatut.SOUMIS, soumis_le__lte=cutoff)
                   .prefetch_related(Prefetch("contract", queryset=_contracts(Contract.objects))))
    for diag in diagnostics:
        contract = diag.contract
        yield Reminder(
            Kind.REVUE_EN_ATTENTE, f"diagnostic:{diag.pk}", timezone.localtime(diag.soumis_le).date().isoformat(),
            contract, title=f"Diagnostic en attente de revue depuis plus de {days} jours — {contract.nom}",
            body=f"Le diagnostic local de santé du {contract.nom} a été soumis le "
                 f"{timezone.localtime(diag.soumis_le):%d/%m/%Y} et attend votre revue.",
            url=_url("diagnostics:contract", contract_pk=contract.pk), users=who.delegation(contract))


def overdue_steps(today: dt.date, who: Recipients) -> Iterator[Reminder]:
    """Steps of the method past their planned date and not done (the contract's rétroplanning)."""
    from contracts.enums import StepStatus
    from contracts.models import Step

    steps = (Step.objects.filter(date_prevue__lt=today).exclude(statut=StepStatus.REALISEE)
             .exclude(contract__phase=Phase.CLOS)
             .prefetch_related(Prefetch("contract", queryset=_contracts(Contract.objects)))
             .order_by("contract_id", "ordre", "id"))
    for step in steps:
        contract = step.contract
        yield Reminder(
            Kind.ETAPE_EN_RETARD, f"step:{step.pk}", step.date_prevue.isoformat(), contract,
            title=f"Étape en retard — {step.titre}",
            body=f"L'étape « {step.titre} » du {contract.nom} était prévue pour le {step.date_prevue:%d/%m/%Y} "
                 f"et n'est pas marquée comme réalisée. Mettez à jour le rétroplanning ou réalisez l'étape.",
            url=_url("contracts:retroplanning", pk=contract.pk), users=who.both(contract))


SOURCES = [reports_due, dialogue_not_held, last_year, overdue_steps, reviews_waiting]


def due_reminders(today: dt.date) -> Iterator[Reminder]:
    who = Recipients()
    for source in SOURCES:
        yield from source(today, who)
