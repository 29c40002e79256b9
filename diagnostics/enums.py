"""Choices of the diagnostic and its review workflow, written as data."""

from django.db import models


class Statut(models.TextChoices):
    BROUILLON = "brouillon", "En cours de rédaction"
    SOUMIS = "soumis", "Soumis à la délégation"
    A_MODIFIER = "a_modifier", "Modifications demandées"
    VALIDE = "valide", "Validé"


EDITABLE_STATUSES = {Statut.BROUILLON, Statut.A_MODIFIER}

class Transition(models.TextChoices):
    """Names of the review transitions (the table: diagnostics/workflow.py)."""

    SOUMETTRE = "soumettre", "Soumettre à la délégation"
    COMMENTER = "commenter", "Commenter"
    DEMANDER_MODIFICATIONS = "demander_modifications", "Demander des modifications"
    VALIDER = "valider", "Valider le diagnostic"


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


class DiagnosticEvent(models.TextChoices):
    """Typed history events of diagnostics (sentences and audiences: diagnostics/history.py)."""

    CREE = "diagnostic_cree", "Diagnostic commencé"
    NOUVELLE_VERSION = "diagnostic_nouvelle_version", "Nouvelle version du diagnostic"
    PREPARATION = "diagnostic_preparation", "Préparation du diagnostic modifiée"
    RETROPLANNING = "diagnostic_retroplanning", "Rétroplanning modifié"
    INDICATEURS = "diagnostic_indicateurs", "Données quantitatives modifiées"
    INDICATEURS_IMPORTES = "diagnostic_import_indicateurs", "Indicateurs importés"
    CONSULTATIONS = "diagnostic_consultations", "Consultations modifiées"
    POLITIQUES = "diagnostic_politiques", "Croisement avec les politiques modifié"
    RESSOURCES = "diagnostic_ressources", "Ressources locales modifiées"
    PORTRAIT = "diagnostic_portrait", "Portrait de territoire modifié"
    ACTEURS = "diagnostic_acteurs", "Cartographie des acteurs modifiée"
    PRIORITES = "diagnostic_priorites", "Priorités modifiées"
    SOUMIS = "diagnostic_soumis", "Diagnostic soumis à la délégation"
    COMMENTE = "diagnostic_commente", "Commentaire de la délégation"
    MODIFICATIONS_DEMANDEES = "diagnostic_modifications_demandees", "Modifications demandées"
    VALIDE = "diagnostic_valide", "Diagnostic validé"
    AXE_CREE = "diagnostic_priorite_axe", "Axe créé à partir d'une priorité"


# Review events whose comment is part of the exchange shown on the diagnostic page.
REVIEW_EVENTS = [DiagnosticEvent.SOUMIS, DiagnosticEvent.COMMENTE, DiagnosticEvent.MODIFICATIONS_DEMANDEES,
                 DiagnosticEvent.VALIDE]
# The section saved (views.SECTIONS key) -> its event.
SECTION_EVENTS = {
    "etapes": DiagnosticEvent.RETROPLANNING, "retroplanning": DiagnosticEvent.RETROPLANNING,
    "indicateurs": DiagnosticEvent.INDICATEURS, "consultations": DiagnosticEvent.CONSULTATIONS,
    "politiques": DiagnosticEvent.POLITIQUES, "ressources": DiagnosticEvent.RESSOURCES,
    "portrait": DiagnosticEvent.PORTRAIT, "acteurs": DiagnosticEvent.ACTEURS, "priorites": DiagnosticEvent.PRIORITES,
}


class AxeType(models.TextChoices):
    """Type of an axe of the action plan, chosen first on the diagnostic priority it answers."""

    THEMATIQUE = "thematique", "Thématique"
    POPULATIONNEL = "populationnel", "Populationnel"
    MIXTE = "mixte", "Mixte"
    TRANSVERSAL = "transversal", "Transversal"
