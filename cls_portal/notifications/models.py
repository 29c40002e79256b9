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
    emailed = models.BooleanField("envoyée par e-mail", default=False)

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title
