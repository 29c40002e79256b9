"""Typed history events of notifications (a user's e-mail preferences), registered by the app's `ready`."""

from django.db import models

from cls_portal.core import history

from .kinds import KINDS


class NotificationEvent(models.TextChoices):
    PREFERENCES = "notifications_preferences", "Préférences d'e-mails modifiées"


def register():
    history.register_events(NotificationEvent, audience="compte", sentences={
        NotificationEvent.PREFERENCES: "Préférences d'e-mails modifiées"})
    # About a person, not a contract: never shown on a contract's pages.
    history.register_audience("compte", lambda user, contract: False)
    history.register_labels({kind: f"E-mails : {label}" for kind, label in KINDS.items()})
