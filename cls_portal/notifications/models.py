from django.conf import settings
from django.db import models


class Notification(models.Model):
    """An in-app notification; an e-mail is sent too unless the user opted out of that kind."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("type", max_length=64, db_index=True)
    title = models.CharField("titre", max_length=255)
    body = models.TextField("message", blank=True)
    url = models.CharField("lien", max_length=500, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("lue le", null=True, blank=True)
    # `email_wanted`: an e-mail is due (the user did not opt out); `emailed`: the SMTP server accepted it.
    email_wanted = models.BooleanField("e-mail à envoyer", default=False)
    emailed = models.BooleanField("envoyée par e-mail", default=False)
    # Claimed by the sending task (a concurrent run leaves it alone); cleared when an attempt fails.
    email_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_attempts = models.PositiveSmallIntegerField("tentatives d'envoi", default=0)

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class SentReminder(models.Model):
    """The log of reminders already sent: one row per (kind, object, period), claimed before sending.

    Moved from the regional app (same table, renamed by migration 0002; rows kept)."""

    kind = models.CharField("type de rappel", max_length=32)
    # "contract:12", "fiche:40": the object the reminder is about (reminders span several models).
    object_key = models.CharField("objet", max_length=64)
    # The period the reminder belongs to ("2025", "2028-03-14", "tour-2"): a new period, a new reminder.
    period = models.CharField("période", max_length=32)
    contract = models.ForeignKey("contracts.Contract", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+", verbose_name="contrat")
    nb_recipients = models.PositiveSmallIntegerField("nombre de destinataires", default=0)
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "rappel envoyé"
        verbose_name_plural = "rappels envoyés"
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "object_key", "period"],
                                               name="sent_reminder_unique")]

    def __str__(self):
        return f"{self.kind} {self.object_key} ({self.period})"
