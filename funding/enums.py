"""Statuses of a year's funding and its typed history events (the workflow: funding/workflow.py)."""

from django.db import models


class Statut(models.TextChoices):
    DEPOSEE = "deposee", "Demande déposée"
    EN_INSTRUCTION = "en_instruction", "En instruction"
    DECIDEE = "decidee", "Décidée"
    SOLDEE = "soldee", "Bilan financier enregistré"


class Acteur(models.TextChoices):
    """Who fires a step (resolved by funding.workflow)."""

    DEMANDEUR = "demandeur", "Coordinateur ou collectivité"
    DELEGATION = "delegation", "Délégation départementale"


# Years the délégation still has to act on.
A_TRAITER = [Statut.DEPOSEE, Statut.EN_INSTRUCTION]


class FundingEvent(models.TextChoices):
    """Typed history events of funding (sentences and audiences: funding/history.py)."""

    REGLE_CREEE = "financement_regle_creee", "Nouvelle version de règle de financement"
    DEMANDE_DEPOSEE = "financement_demande_deposee", "Demande de financement déposée"
    DEMANDE_MODIFIEE = "financement_demande_modifiee", "Demande de financement modifiée"
    INSTRUCTION = "financement_instruction", "Demande prise en instruction"
    DECISION = "financement_decision", "Décision de financement"
    DECISION_REMPLACEE = "financement_decision_remplacee", "Décision de financement remplacée"
    VERSEMENT = "financement_versement", "Versement enregistré"
    BILAN = "financement_bilan", "Bilan financier enregistré"
    DIALOGUE = "financement_dialogue", "Dialogue de gestion enregistré"
    ANNEE_IMPORTEE = "financement_annee_importee", "Année passée importée"
    ENGAGEMENT = "financement_engagement", "Engagement pluriannuel enregistré"
