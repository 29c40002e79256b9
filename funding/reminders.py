"""The funding app's reminder (registered with the notifications app in `FundingConfig.ready()`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse

from cls_portal.notifications.reminders import Reminder
from contracts.models import Contract, q_owes_year
from contracts.reminders import recipients, with_recipients

from .selectors import contracts_without_dialogue
from .services import dialogue_deadline

DIALOGUE_GESTION = "dialogue_gestion"


def dialogue_not_held(today: dt.date, run: dict) -> Iterator[Reminder]:
    """Contracts that owe this year's dialogue (`q_owes_year`: not closed, running this year) with none recorded
    once the deadline (DIALOGUE_GESTION_DEADLINE) is past:
    their coordinators and their délégation (the référent, else the délégation's users)."""
    deadline = dialogue_deadline(today.year)
    if today <= deadline:
        return
    who = recipients(run)
    contracts = with_recipients(Contract.objects.filter(q_owes_year(today.year)))
    for contract in contracts_without_dialogue(contracts, today.year):
        yield Reminder(
            DIALOGUE_GESTION, f"contract:{contract.pk}", str(today.year), contract,
            title=f"Dialogue de gestion {today.year} non tenu — {contract.nom}",
            body=f"Aucun dialogue de gestion {today.year} n'est enregistré pour le {contract.nom} alors que "
                 f"l'échéance du {deadline:%d/%m} est passée. Fixez une date entre la collectivité "
                 f"et la délégation départementale.",
            url=reverse("funding:contract", kwargs={"contract_pk": contract.pk}), users=who.both(contract))
