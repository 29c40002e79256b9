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


class ReportEvent(models.TextChoices):
    """Typed history events of annual reports (sentences and audiences: reports/history.py)."""

    DEMANDE = "rapport_demande", "Rapport demandé"
    CAMPAGNE_LANCEE = "rapport_campagne_lancee", "Campagne de rapports lancée"
    PRET = "rapport_pret", "Rapport prêt"
    ECHEC = "rapport_echec", "Échec de la production d'un rapport"
    RELANCE = "rapport_relance", "Production d'un rapport relancée"
    PUBLIE = "rapport_publie", "Rapport publié"
    RESSOURCE = "rapport_ressource", "Ressource suivie par un rapport"
