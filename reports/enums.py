from dataclasses import dataclass

from django.db import models


class ReportKind(models.TextChoices):
    ACTIVITE = "activite", "Rapport d'activité"
    FINANCIER = "financier", "Rapport financier"
    EVALUATION = "evaluation", "Rapport d'évaluation finale"


@dataclass(frozen=True)
class KindRule:
    """What a kind of report is: annual (in campaigns, one per year of the contract) or produced at the end of
    the contract, in the phases listed (empty: any phase)."""

    annual: bool
    phases: tuple[str, ...] = ()
    phase_reason: str = ""


# The reports of the workflow, as data: a new kind is a line here, a template and a data builder (data.py).
KIND_RULES = {
    ReportKind.ACTIVITE: KindRule(annual=True),
    ReportKind.FINANCIER: KindRule(annual=True),
    ReportKind.EVALUATION: KindRule(
        annual=False, phases=("evaluation_finale", "clos"),
        phase_reason="Le rapport d'évaluation finale se produit quand le contrat est en phase d'évaluation finale "
                     "(ou clos)."),
}
ANNUAL_KINDS = [k for k, rule in KIND_RULES.items() if rule.annual]


class ReportStatus(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours"
    PRET = "pret", "Prêt"
    ECHEC = "echec", "Échec"


# A job in one of these states is still expected to produce a file.
UNFINISHED = [ReportStatus.EN_ATTENTE, ReportStatus.EN_COURS]
# A job in one of these states is over (a campaign's `nb_done`).
FINISHED = [ReportStatus.PRET, ReportStatus.ECHEC]


class ReportEvent(models.TextChoices):
    """Typed history events of annual reports (sentences and audiences: reports/history.py)."""

    DEMANDE = "rapport_demande", "Rapport demandé"
    CAMPAGNE_LANCEE = "rapport_campagne_lancee", "Campagne de rapports lancée"
    PRET = "rapport_pret", "Rapport prêt"
    ECHEC = "rapport_echec", "Échec de la production d'un rapport"
    RELANCE = "rapport_relance", "Production d'un rapport relancée"
    PUBLIE = "rapport_publie", "Rapport publié"
    RESSOURCE = "rapport_ressource", "Ressource suivie par un rapport"
