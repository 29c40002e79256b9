"""The diagnostic's reminder (registered with the notifications app in `DiagnosticsConfig.ready()`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from cls_portal.notifications.reminders import Reminder
from contracts.models import Contract
from contracts.reminders import recipients, with_recipients

from .enums import Statut
from .models import Diagnostic

REVUE_EN_ATTENTE = "revue_en_attente"  # shared with the action sheets' review reminder


def diagnostics_waiting_review(today: dt.date, run: dict) -> Iterator[Reminder]:
    """Diagnostics submitted more than REVIEW_WAITING_DAYS ago and not answered: the délégation."""
    who = recipients(run)
    days = settings.REVIEW_WAITING_DAYS
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.max))
    diagnostics = (Diagnostic.objects.filter(statut=Statut.SOUMIS, soumis_le__lte=cutoff)
                   .prefetch_related(Prefetch("contract", queryset=with_recipients(Contract.objects))))
    for diag in diagnostics:
        contract = diag.contract
        yield Reminder(
            REVUE_EN_ATTENTE, f"diagnostic:{diag.pk}", timezone.localtime(diag.soumis_le).date().isoformat(),
            contract, title=f"Diagnostic en attente de revue depuis plus de {days} jours — {contract.nom}",
            body=f"Le diagnostic local de santé du {contract.nom} a été soumis le "
                 f"{timezone.localtime(diag.soumis_le):%d/%m/%Y} et attend votre revue.",
            url=reverse("diagnostics:contract", kwargs={"contract_pk": contract.pk}), users=who.delegation(contract))
