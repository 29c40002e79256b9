"""The action plan's reminder (registered with the notifications app in `ActionsConfig.ready()`)."""

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

from .enums import FicheStatut
from .models import FicheAction

REVUE_EN_ATTENTE = "revue_en_attente"  # shared with the diagnostic's review reminder


def sheets_waiting_review(today: dt.date, run: dict) -> Iterator[Reminder]:
    """Sheets submitted more than REVIEW_WAITING_DAYS ago and not answered: the délégation, once per round."""
    who = recipients(run)
    days = settings.REVIEW_WAITING_DAYS
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.max))
    # A submitted sheet is frozen until the délégation answers: its last change is its submission.
    fiches = (FicheAction.objects.filter(statut=FicheStatut.SOUMISE, updated_at__lte=cutoff)
              .select_related("axe").prefetch_related(Prefetch("contract", queryset=with_recipients(Contract.objects))))
    for fiche in fiches:
        contract = fiche.contract
        yield Reminder(
            REVUE_EN_ATTENTE, f"fiche:{fiche.pk}", f"tour-{fiche.nb_soumissions}", contract,
            title=f"Fiche {fiche.code} en attente de revue depuis plus de {days} jours",
            body=f"La fiche action « {fiche.titre} » du {contract.nom} a été soumise le "
                 f"{timezone.localtime(fiche.updated_at):%d/%m/%Y} et attend votre revue.",
            url=reverse("actions:plan", kwargs={"contract_pk": contract.pk}),
            users=who.delegation(contract))
