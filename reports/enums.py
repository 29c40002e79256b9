from django.db import models


class ReportKind(models.TextChoices):
    ACTIVITE = "activite", "Rapport d'activité"
    FINANCIER = "financier", "Rapport financier"


class ReportStatus(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours"
    PRET = "pret", "Prêt"
    ECHEC = "echec", "Échec"


# A job in one of these states is still expected to produce a file.
UNFINISHED = [ReportStatus.EN_ATTENTE, ReportStatus.EN_COURS]
