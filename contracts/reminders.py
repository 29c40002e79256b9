"""The contracts' reminders (registered with the notifications app in `ContractsConfig.ready()`), and
`recipients(run)`, the people a contract's reminders go to, which the other apps' reminders use too."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Prefetch
from django.urls import reverse

from cls_portal.accounts.models import Role, RoleMembership
from cls_portal.notifications.reminders import Reminder
from cls_portal.territories.models import Delegation

from .enums import Phase, StepStatus
from .models import Contract, Step

DERNIERE_ANNEE = "derniere_annee"
CONTRAT_ECHU = "contrat_echu"
ETAPE_EN_RETARD = "etape_en_retard"


def with_recipients(qs):
    """Contracts with what `Recipients` reads (référent, coordinators, délégations) prefetched."""
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


def recipients(run: dict) -> Recipients:
    """One `Recipients` per reminder run: the délégation users are read once for every source."""
    return run.setdefault("contracts.recipients", Recipients())


def _one_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def last_year(today: dt.date, run: dict) -> Iterator[Reminder]:
    who = recipients(run)
    contracts = with_recipients(Contract.objects.filter(phase=Phase.MISE_EN_OEUVRE, date_signature__isnull=False))
    for contract in contracts:
        end = contract.date_fin
        if not _one_year_before(end) < today <= end:
            continue
        yield Reminder(
            DERNIERE_ANNEE, f"contract:{contract.pk}", end.isoformat(), contract,
            title=f"Dernière année du contrat — {contract.nom}",
            body=f"Le {contract.nom} prend fin le {end:%d/%m/%Y}. Sa dernière année commence : préparez "
                 f"l'évaluation finale avec le COPIL, elle prépare le renouvellement du contrat.",
            url=reverse("contracts:detail", kwargs={"pk": contract.pk}), users=who.both(contract))


def contract_ended(today: dt.date, run: dict) -> Iterator[Reminder]:
    """Contracts past their end date and not closed (`Contract.objects.expired`): no longer counted as in force,
    they wait for the final evaluation and the closure. Once per contract and end date, the day after it."""
    who = recipients(run)
    for contract in with_recipients(Contract.objects.expired(today)).order_by("pk"):
        end = contract.date_fin
        todo = ("Sa clôture est à décider par la délégation." if contract.phase == Phase.EVALUATION_FINALE else
                "Menez l'évaluation finale avec le COPIL, puis la délégation décide sa clôture.")
        yield Reminder(
            CONTRAT_ECHU, f"contract:{contract.pk}", end.isoformat(), contract,
            title=f"Contrat arrivé à échéance — {contract.nom}",
            body=f"Le {contract.nom} a pris fin le {end:%d/%m/%Y} et n'est pas clos : il n'est plus compté "
                 f"comme actif dans les chiffres ni dans l'annuaire. {todo}",
            url=reverse("contracts:detail", kwargs={"pk": contract.pk}) + "#cycle", users=who.both(contract))


def overdue_steps(today: dt.date, run: dict) -> Iterator[Reminder]:
    """Steps of the method past their planned date and not done (the contract's rétroplanning)."""
    who = recipients(run)
    steps = (Step.objects.filter(date_prevue__lt=today).exclude(statut=StepStatus.REALISEE)
             .exclude(contract__phase=Phase.CLOS)
             .prefetch_related(Prefetch("contract", queryset=with_recipients(Contract.objects)))
             .order_by("contract_id", "ordre", "id"))
    for step in steps:
        contract = step.contract
        yield Reminder(
            ETAPE_EN_RETARD, f"step:{step.pk}", step.date_prevue.isoformat(), contract,
            title=f"Étape en retard — {step.titre}",
            body=f"L'étape « {step.titre} » du {contract.nom} était prévue pour le {step.date_prevue:%d/%m/%Y} "
                 f"et n'est pas marquée comme réalisée. Mettez à jour le rétroplanning ou réalisez l'étape.",
            url=reverse("contracts:retroplanning", kwargs={"pk": contract.pk}), users=who.both(contract))
