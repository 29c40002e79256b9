"""Choices of the action plan and its typed history events (the status workflow: actions/workflow.py)."""

from django.db import models

# The type of an axe is chosen first on a diagnostic priority (diagnostics, the layer below), then on the axe.
from diagnostics.enums import AxeType  # noqa: F401


class FicheStatut(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SOUMISE = "soumise", "Soumise"
    A_MODIFIER = "a_modifier", "À modifier"
    VALIDEE = "validee", "Validée"
    EN_COURS = "en_cours", "En cours"
    REALISEE = "realisee", "Réalisée"
    REPORTEE = "reportee", "Reportée"
    ABANDONNEE = "abandonnee", "Abandonnée"


# Statuses that count as "validated" for the contract's signature guard.
VALIDATED_STATUSES = [FicheStatut.VALIDEE, FicheStatut.EN_COURS, FicheStatut.REALISEE, FicheStatut.REPORTEE]
# Statuses out of the plan: the signature guards leave an abandoned sheet aside (a working group's idea dropped
# before signature neither blocks it nor needs a pilot).
DROPPED_STATUSES = [FicheStatut.ABANDONNEE]
# Statuses of a sheet of the signed plan that an avenant may still modify or retire (« Fiche modifiée », « Fiche
# retirée »): neither done (the action is over) nor abandoned (already out of the plan).
AMENDABLE_STATUSES = [FicheStatut.VALIDEE, FicheStatut.EN_COURS, FicheStatut.REPORTEE]
# The coordinator edits a sheet freely in these statuses (a submitted sheet is frozen under review).
EDITABLE_STATUSES = [FicheStatut.BROUILLON, FicheStatut.A_MODIFIER]


class RevueEtat(models.TextChoices):
    """Review state, derived from the status, for the list filter."""

    A_SOUMETTRE = "a_soumettre", "Pas encore soumise"
    EN_REVUE = "en_revue", "En attente de la délégation"
    A_CORRIGER = "a_corriger", "Modifications demandées"
    VALIDEE = "validee", "Validée"

    @classmethod
    def statuts(cls, etat) -> list[str]:
        return {
            cls.A_SOUMETTRE: [FicheStatut.BROUILLON],
            cls.EN_REVUE: [FicheStatut.SOUMISE],
            cls.A_CORRIGER: [FicheStatut.A_MODIFIER],
            cls.VALIDEE: VALIDATED_STATUSES,
        }.get(etat, [])


class Acteur(models.TextChoices):
    """Who may fire a transition (resolved by actions.permissions)."""

    COORDINATEUR = "coordinateur", "Coordinateur du contrat"
    DELEGATION = "delegation", "Délégation départementale"
    PILOTAGE = "pilotage", "Pilote de la fiche ou coordinateur"


class FichePriorite(models.TextChoices):
    HAUTE = "haute", "Haute"
    MOYENNE = "moyenne", "Moyenne"
    BASSE = "basse", "Basse"


class IndicateurType(models.TextChoices):
    PROCESSUS = "processus", "Processus"
    RESULTAT = "resultat", "Résultat"
    IMPACT = "impact", "Impact"


class Frequence(models.TextChoices):
    ANNUELLE = "annuelle", "Annuelle"
    SEMESTRIELLE = "semestrielle", "Semestrielle"
    TRIMESTRIELLE = "trimestrielle", "Trimestrielle"
    MENSUELLE = "mensuelle", "Mensuelle"
    FIN_DE_CONTRAT = "fin_de_contrat", "En fin de contrat"


class Agregation(models.TextChoices):
    """How the periods of a sub-annual indicator make the year's figure (actions/periods.py)."""

    SOMME = "somme", "Somme des périodes"
    DERNIERE = "derniere", "Dernière période renseignée"
    MOYENNE = "moyenne", "Moyenne des périodes"


class Avancement(models.TextChoices):
    NON_DEMARREE = "non_demarree", "Non démarrée"
    EN_COURS = "en_cours", "En cours, conforme au calendrier"
    EN_RETARD = "en_retard", "En cours, en retard"
    REALISEE = "realisee", "Réalisée"
    SUSPENDUE = "suspendue", "Suspendue"
    ABANDONNEE = "abandonnee", "Abandonnée"


class LigneBudgetType(models.TextChoices):
    PERSONNEL = "personnel", "Frais de personnel"
    FONCTIONNEMENT = "fonctionnement", "Fonctionnement"
    PRESTATION = "prestation", "Prestations externes"
    COMMUNICATION = "communication", "Communication"
    INVESTISSEMENT = "investissement", "Investissement"
    AUTRE = "autre", "Autre"


class Financeur(models.TextChoices):
    ARS = "ars", "ARS (fonds d'intervention régional)"
    ARS_AAP = "ars_aap", "ARS — appel à projets"
    COLLECTIVITE = "collectivite", "Collectivité porteuse"
    CPAM = "cpam", "CPAM / Assurance maladie"
    CAF = "caf", "CAF"
    DEPARTEMENT = "departement", "Conseil départemental"
    REGION = "region", "Conseil régional"
    AUTRE = "autre", "Autre financeur"


class PartenaireRole(models.TextChoices):
    COPILOTE = "copilote", "Co-pilote"
    OPERATEUR = "operateur", "Opérateur"
    FINANCEUR = "financeur", "Financeur"
    RELAIS = "relais", "Relais / orientation des publics"
    EXPERT = "expert", "Appui méthodologique ou expertise"
    AUTRE = "autre", "Autre"


class Section(models.TextChoices):
    """Sections of the sheet a review comment can target."""

    GENERAL = "general", "Commentaire général"
    CONTEXTE = "contexte", "Contexte et lien avec le diagnostic"
    OBJECTIFS = "objectifs", "Objectifs"
    DESCRIPTION = "description", "Description, public et territoire"
    PILOTAGE = "pilotage", "Pilotage et partenaires"
    CALENDRIER = "calendrier", "Calendrier et jalons"
    BUDGET = "budget", "Budget et financements"
    INDICATEURS = "indicateurs", "Indicateurs"


class ActionEvent(models.TextChoices):
    """Typed history events of the action plan (sentences and audiences: actions/history.py)."""

    AXE_CREE = "axe_cree", "Axe créé"
    AXE_MODIFIE = "axe_modifie", "Axe modifié"
    AXE_DEPLACE = "axe_deplace", "Axe déplacé"
    FICHE_CREEE = "fiche_creee", "Fiche action créée"
    FICHE_MODIFIEE = "fiche_modifiee", "Fiche action modifiée"
    FICHE_SOUMISE = "fiche_soumise", "Fiche soumise à la délégation"
    FICHE_MODIFICATIONS_DEMANDEES = "fiche_modifications_demandees", "Modifications demandées sur une fiche"
    FICHE_VALIDEE = "fiche_validee", "Fiche validée"
    FICHE_PLAN_SIGNE = "fiche_plan_signe", "Fiche enregistrée avec le plan signé"
    FICHE_DEMARREE = "fiche_demarree", "Action démarrée"
    FICHE_TERMINEE = "fiche_terminee", "Fiche déclarée réalisée"
    FICHE_REPORTEE = "fiche_reportee", "Fiche reportée"
    FICHE_ABANDONNEE = "fiche_abandonnee", "Fiche abandonnée"
    FICHE_RETIREE_PAR_AVENANT = "fiche_retiree_par_avenant", "Fiche retirée du plan par un avenant"
    FICHE_COMMENTEE = "fiche_commentee", "Commentaire de revue"
    SUIVI_ENREGISTRE = "fiche_suivi_enregistre", "Suivi annuel enregistré"
    PLAN_IMPORTE = "plan_importe", "Plan d'action importé"
    PLAN_SIGNE_ENREGISTRE = "plan_signe_enregistre", "Plan d'action signé enregistré"
    VALEURS_IMPORTEES = "valeurs_indicateurs_importees", "Valeurs d'indicateurs importées"
    CHAMP_CREE = "champ_action_cree", "Champ d'action ajouté"
    CHAMP_MODIFIE = "champ_action_modifie", "Champ d'action modifié"
    RESSOURCE_SUIVIE = "fiche_ressource_suivie", "Ressource régionale suivie par une fiche"
    JALON_REALISE = "fiche_jalon_realise", "Réalisation d'un jalon enregistrée"
