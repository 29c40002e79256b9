from django.db import models


class ResourceCategory(models.TextChoices):
    GUIDE = "guide", "Guide régional"
    FICHE_PRATIQUE = "fiche_pratique", "Fiche pratique"
    KIT_COMMUNICATION = "kit_communication", "Kit de communication"
    CHARTE_GRAPHIQUE = "charte_graphique", "Charte graphique"
    MODELE = "modele", "Modèle de document"
    AUTRE = "autre", "Autre ressource"


class ResourceEvent(models.TextChoices):
    CREEE = "resources.creee", "Ressource créée"
    MODIFIEE = "resources.modifiee", "Ressource modifiée"
    VERSION_AJOUTEE = "resources.version_ajoutee", "Nouvelle version"
    ARCHIVEE = "resources.archivee", "Ressource archivée"
    RESTAUREE = "resources.restauree", "Ressource remise en service"
