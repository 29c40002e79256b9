from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class HistoryEntry(models.Model):
    """One change to a tracked object (contract, action sheet, funding record...): who, when, what.

    `action` is a typed event code: a member of one app's event enumeration (`ContractEvent`,
    `ActionEvent`...), registered with `cls_portal.core.history` which turns it into a French sentence.
    `changes` maps a field name to `[old, new]` (stored values: codes, ISO dates, amounts as text; shown
    with the field's label and displayed value). `context` holds what the sentence names (the sheet's
    code, the year...), captured when the event happened. `contract_id` is denormalised so a contract's
    whole history (its own and its children's) is one indexed query.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    obj = GenericForeignKey("content_type", "object_id")
    contract_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField("événement", max_length=255, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    changes = models.JSONField("changements", default=dict, blank=True)
    comment = models.TextField("commentaire", blank=True)
    context = models.JSONField("contexte", default=dict, blank=True)

    class Meta:
        verbose_name = "entrée d'historique"
        verbose_name_plural = "historique"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self):
        from .history import sentence

        return f"{sentence(self)} ({self.at:%d/%m/%Y %H:%M})"
