"""Choices of the diagnostic and its review workflow, written as data."""

from django.db import models

from cls_portal.accounts.models import Role


class Statut(models.TextChoices):
    BROUILLON = "brouillon", "En cours de rédaction"
    SOUMIS = "soumis", "Soumis à la délégation"
    A_MODIFIER = "a_modifier", "Modifications demandées"
    VALIDE = "valide", "Validé"


EDITABLE_STATUSES = {Statut.BROUILLON, Statut.A_MODIFIER}

# Review actions whose comment is part of the exchange shown on the diagnostic page (history actions).
REVIEW_ACTIONS = ["diagnostic_soumettre", "diagnostic_commenter", "diagnostic_demander_modifications",
                  "diagnostic_valider"]


class Transition(models.TextChoices):
    SOUMETTRE = "soumettre", "Soumettre à la délégation"
    COMMENTER = "commenter", "Commenter"
    DEMANDER_MODIFICATIONS = "demander_modifications", "Demander des modifications"
    VALIDER = "valider", "Valider le diagnostic"


# action -> (statuses it may start from, status it leads to (None: unchanged), role that fires it)
TRANSITIONS = {
    Transition.SOUMETTRE: ({Statut.BROUILLON, Statut.A_MODIFIER}, Statut.SOUMIS, Role.COORDINATEUR),
    Transition.COMMENTER: ({Statut.BROUILLON, Statut.SOUMIS, Statut.A_MODIFIER}, None, Role.DELEGATION),
    Transition.DEMANDER_MODIFICATIONS: ({Statut.SOUMIS}, Statut.A_MODIFIER, Role.DELEGATION),
    Transition.VALIDER: ({Statut.SOUMIS}, Statut.VALIDE, Role.DELEGATION),
}


class Outil(models.TextChoices):
    ANALYSE_DONNEES = "analyse_donnees", "Analyse de données"
    ENTRETIENS = "entretiens", "Entretiens"
    QUESTIONNAIRE = "questionnaire", "Questionnaire aux habitants"
    FOCUS_GROUPES = "focus_groupes", "Focus groupes"
    REUNIONS_PUBLIQUES = "reunions_publiques", "Réunions publiques"


class AppuiExterne(models.TextChoices):
    AUCUN = "aucun", "Aucun (réalisé en interne)"
    ORS = "ors", "Observatoire régional de santé (ORS)"
    CREAI = "creai", "CREAI"
    CABINET = "cabinet", "Cabinet de conseil"
    AUTRE = "autre", "Autre"


class Theme(models.TextChoices):
    POPULATION = "population", "Population"
    SITUATION_SOCIALE = "situation_sociale", "Situation sociale"
    TERRITOIRE = "territoire", "Territoire"
    OFFRE_SOINS = "offre_soins", "Offre de soins"
    PREVENTION = "prevention", "Prévention"
    MEDICO_SOCIAL = "medico_social", "Offre médico-sociale"
    PARCOURS = "parcours", "Parcours de soins"
    SANTE_MENTALE = "sante_mentale", "Santé mentale"
    ENVIRONNEMENT = "environnement", "Santé environnement"
    ETAT_SANTE = "etat_sante", "État de santé"


class TypeConsultation(models.TextChoices):
    ENTRETIEN = "entretien", "Entretien"
    QUESTIONNAIRE = "questionnaire", "Questionnaire"
    FOCUS_GROUPE = "focus_groupe", "Focus groupe"
    REUNION_PUBLIQUE = "reunion_publique", "Réunion publique"


class Public(models.TextChoices):
    HABITANTS = "habitants", "Habitants"
    ELUS = "elus", "Élus"
    PROFESSIONNELS = "professionnels", "Professionnels"
    ASSOCIATIONS = "associations", "Associations"


class Politique(models.TextChoices):
    PRS = "prs", "Projet régional de santé (PRS)"
    PRSE = "prse", "Plan régional santé environnement (PRSE)"
    PTSM = "ptsm", "Projet territorial de santé mentale (PTSM)"
    CONTRAT_VILLE = "contrat_ville", "Contrat de ville"
    CLSM = "clsm", "Conseil local de santé mentale (CLSM)"
    AUTRE = "autre", "Autre politique"


class Nature(models.TextChoices):
    FORCE = "force", "Force"
    FAIBLESSE = "faiblesse", "Faiblesse"


HISTORY_LABELS = {
    "diagnostic_cree": "Diagnostic commencé",
    "diagnostic_nouvelle_version": "Nouvelle version créée",
    "diagnostic_preparation": "Préparation modifiée",
    "diagnostic_retroplanning": "Rétroplanning modifié",
    "diagnostic_indicateurs": "Données quantitatives modifiées",
    "diagnostic_import_indicateurs": "Indicateurs importés",
    "diagnostic_consultations": "Consultations modifiées",
    "diagnostic_politiques": "Croisement avec les politiques modifié",
    "diagnostic_ressources": "Ressources locales modifiées",
    "diagnostic_portrait": "Portrait de territoire modifié",
    "diagnostic_acteurs": "Cartographie des acteurs modifiée",
    "diagnostic_priorites": "Priorités modifiées",
    "diagnostic_soumettre": "Soumis à la délégation",
    "diagnostic_commenter": "Commentaire de la délégation",
    "diagnostic_demander_modifications": "Modifications demandées",
    "diagnostic_valider": "Validé par la délégation",
    "priorite_axe": "Axe créé dans le plan d'action",
}


class AxeType(models.TextChoices):
    """Type of an axe of the action plan, chosen first on the diagnostic priority it answers."""

    THEMATIQUE = "thematique", "Thématique"
    POPULATIONNEL = "populationnel", "Populationnel"
    MIXTE = "mixte", "Mixte"
    TRANSVERSAL = "transversal", "Transversal"
