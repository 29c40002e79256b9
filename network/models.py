"""The regional network of coordinators: what each coordinator shows to the network (contact), and the
network's meetings (training days, exchanges, regional meetings) to which the regional team invites the
région's coordinators and whose attendance it records (Normandie: « a réuni le 25 mars les 23
coordinateurs de CLS sur 30 »)."""

from django.conf import settings
from django.db import models

from cls_portal.core.concurrency import VersionedModel
from cls_portal.core.formatting import format_time

from .enums import EventType, Presence


class ContactCard(models.Model):
    """How the network reaches a coordinator (kept by the coordinator)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_contact",
                                verbose_name="personne")
    email = models.EmailField("adresse électronique de contact", blank=True,
                              help_text="Vide : l'adresse du compte.")
    telephone = models.CharField("téléphone", max_length=30, blank=True)

    class Meta:
        verbose_name = "coordonnées dans le réseau"
        verbose_name_plural = "coordonnées dans le réseau"

    def __str__(self):
        return str(self.user)


class Event(VersionedModel):
    region = models.ForeignKey("territories.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name="région")
    titre = models.CharField("titre", max_length=255)
    type = models.CharField("type", max_length=24, choices=EventType.choices)
    date = models.DateField("date")
    heure_debut = models.TimeField("heure de début", null=True, blank=True)
    heure_fin = models.TimeField("heure de fin", null=True, blank=True)
    lieu = models.CharField("lieu", max_length=255, blank=True)
    description = models.TextField("description", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="créée par")
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "rencontre du réseau"
        verbose_name_plural = "rencontres du réseau"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["region", "date"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(heure_fin__isnull=True) | models.Q(heure_debut__isnull=False),
                                   name="network_event_fin_apres_debut_renseigne"),
            models.CheckConstraint(condition=models.Q(heure_fin__isnull=True) | models.Q(heure_debut__isnull=True)
                                   | models.Q(heure_fin__gt=models.F("heure_debut")),
                                   name="network_event_fin_apres_debut"),
        ]

    def __str__(self):
        return f"{self.titre} ({self.date:%d/%m/%Y})"

    @property
    def horaire(self) -> str:
        """`de 9 h 30 à 12 h`, `à 14 h`, or "" when no time is set."""
        if self.heure_debut is None:
            return ""
        if self.heure_fin is None:
            return f"à {format_time(self.heure_debut)}"
        return f"de {format_time(self.heure_debut)} à {format_time(self.heure_fin)}"


class Invitation(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations",
                              verbose_name="rencontre")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_invitations",
                             verbose_name="coordinateur")
    presence = models.CharField("présence", max_length=12, choices=Presence.choices, blank=True)
    invited_at = models.DateTimeField("invité le", auto_now_add=True)

    class Meta:
        verbose_name = "invitation à une rencontre"
        ordering = ["user__last_name", "user__first_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="network_invitation_unique")]

    def __str__(self):
        return f"{self.user} — {self.event}"


class News(models.Model):
    """A piece of news the regional team relays to the région's coordinators (ARS Grand Est: « en relayant
    régulièrement des informations et actualités »). Published once, never edited: a correction is a new one."""

    region = models.ForeignKey("territories.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name="région")
    titre = models.CharField("titre", max_length=255)
    texte = models.TextField("texte")
    lien = models.URLField("lien (facultatif)", blank=True, help_text="Une page à lire pour en savoir plus.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="publiée par")
    created_at = models.DateTimeField("publiée le", auto_now_add=True)

    class Meta:
        verbose_name = "actualité du réseau"
        verbose_name_plural = "actualités du réseau"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["region", "created_at"])]

    def __str__(self):
        return self.titre
