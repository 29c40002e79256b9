from django.db import models


class Phase(models.TextChoices):
    PREALABLE = "prealable", "Phase préalable"
    DIAGNOSTIC = "diagnostic", "Diagnostic et élaboration du plan d'action"
    MISE_EN_OEUVRE = "mise_en_oeuvre", "Mise en œuvre et évaluation"
    EVALUATION_FINALE = "evaluation_finale", "Évaluation finale"
    CLOS = "clos", "Clos"


# Phases in which a contract is signed and running ("signés et actifs" in the ARS figures).
ACTIVE_PHASES = [Phase.MISE_EN_OEUVRE, Phase.EVALUATION_FINALE]
