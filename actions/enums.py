"""Choices and the status workflow of action sheets, written as data."""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    target: str
    by: str
    needs_comment: bool = False
    button_class: str = "fr-btn--secondary"


TRANSITIONS: dict[str, Transition] = {t.name: t for t in [
    Transition("soumettre", "Soumettre à la délégation", (FicheStatut.BROUILLON, FicheStatut.A_MODIFIER),
               FicheStatut.SOUMISE, Acteur.COORDINATEUR, button_class=""),
    Transition("demander_modification", "Demander des modifications", (FicheStatut.SOUMISE,),
               FicheStatut.A_MODIFIER, Acteur.DELEGATION, needs_comment=True),
    Transition("valider", "Valider la fiche", (FicheStatut.SOUMISE,), FicheStatut.VALIDEE, Acteur.DELEGATION,
               button_class=""),
    Transition("demarrer", "Démarrer l'action", (FicheStatut.VALIDEE, FicheStatut.REPORTEE), FicheStatut.EN_COURS,
               Acteur.PILOTAGE),
    Transition("terminer", "Déclarer réalisée", (FicheStatut.EN_COURS,), FicheStatut.REALISEE, Acteur.PILOTAGE),
    Transition("reporter", "Reporter", (FicheStatut.VALIDEE, FicheStatut.EN_COURS), FicheStatut.REPORTEE,
               Acteur.PILOTAGE, needs_comment=True),
    Transition("abandonner", "Abandonner", (FicheStatut.BROUILLON, FicheStatut.A_MODIFIER, FicheStatut.VALIDEE,
                                             FicheStatut.EN_COURS, FicheStatut.REPORTEE),
               FicheStatut.ABANDONNEE, Acteur.COORDINATEUR, needs_comment=True),
]}


def transitions_from(statut: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if statut in t.sources]


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
