"""The log of reminders already sent: one row per (kind, object, period), claimed before sending."""

from django.db import models


class SentReminder(models.Model):
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
