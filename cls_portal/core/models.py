from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class HistoryEntry(models.Model):
    """One change to a tracked object (contract, action sheet, funding record...): who, when, what.

    `changes` maps a field name to `[old, new]` (JSON-serialisable display values). `contract_id`
    is denormalised so a contract's whole history (its own and its children's) is one indexed query.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    obj = GenericForeignKey("content_type", "object_id")
    contract_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField("action", max_length=255)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    changes = models.JSONField("changements", default=dict, blank=True)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "entrée d'historique"
        verbose_name_plural = "historique"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self):
        return f"{self.action} ({self.at:%d/%m/%Y %H:%M})"
