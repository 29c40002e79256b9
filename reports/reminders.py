"""The annual reports' reminder (registered with the notifications app in `ReportsConfig.ready()`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse

from cls_portal.notifications.reminders import Reminder
from contracts.models import Contract, q_owes_year
from contracts.reminders import recipients, with_recipients

from .enums import ANNUAL_KINDS
from .models import Report

RAPPORT_DU = "rapport_du"

# Last year's activity and financial reports are expected once the COPIL's yearly review can have
# met: from this day-month of the following year, a missing published report is reminded.
REPORTS_DUE_FROM = (3, 1)


def reports_due(today: dt.date, run: dict) -> Iterator[Reminder]:
    if (today.month, today.day) < REPORTS_DUE_FROM:
        return
    who = recipients(run)
    year = today.year - 1
    # Owed for every year the contract ran, the last one included once its end date is past (`q_owes_year`).
    contracts = with_recipients(Contract.objects.filter(q_owes_year(year)))
    published = set(Report.objects.published().filter(year=year, contract__in=contracts.values("pk"))
                    .values_list("contract_id", "kind"))
    for contract in contracts:
        for kind, label in ((k.value, k.label) for k in ANNUAL_KINDS):
            if (contract.pk, kind) in published:
                continue
            yield Reminder(
                RAPPORT_DU, f"contract:{contract.pk}:{kind}", str(year), contract,
                title=f"{label} {year} attendu — {contract.nom}",
                body=f"Le {label.lower()} {year} du {contract.nom} n'est pas encore publié. Préparez-le pour la "
                     f"revue annuelle du COPIL puis faites-le publier.",
                url=reverse("reports:contract", kwargs={"pk": contract.pk}), users=who.coordinators(contract))
