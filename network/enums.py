from django.db import models


class EventType(models.TextChoices):
    FORMATION = "formation", "Journée de formation"
    ECHANGE = "echange", "Échange de pratiques"
    REUNION = "reunion_regionale", "Réunion régionale des coordinateurs"
    AUTRE = "autre", "Autre rencontre"


class Presence(models.TextChoices):
    PRESENT = "present", "Présent"
    ABSENT = "absent", "Absent"
    EXCUSE = "excuse", "Excusé"


class NetworkEvent(models.TextChoices):
    EVENEMENT_CREE = "network.evenement_cree", "Rencontre du réseau créée"
    EVENEMENT_MODIFIE = "network.evenement_modifie", "Rencontre du réseau modifiée"
    INVITATIONS = "network.invitations", "Coordinateurs invités"
    PRESENCES = "network.presences", "Présences enregistrées"
    COORDONNEES = "network.coordonnees", "Coordonnées dans le réseau modifiées"
    ACTUALITE_PUBLIEE = "network.actualite_publiee", "Actualité du réseau publiée"
