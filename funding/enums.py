"""Statuses of a year's funding and its workflow, written as data."""

from dataclasses import dataclass

from django.db import models


class Statut(models.TextChoices):
    DEPOSEE = "deposee", "Demande déposée"
    EN_INSTRUCTION = "en_instruction", "En instruction"
    DECIDEE = "decidee", "Décidée"
    SOLDEE = "soldee", "Bilan financier enregistré"


class Acteur(models.TextChoices):
    """Who fires a step (resolved by funding.permissions)."""

    DEMANDEUR = "demandeur", "Coordinateur ou collectivité"
    DELEGATION = "delegation", "Délégation départementale"


@dataclass(frozen=True)
class Etape:
    name: str
    label: str
    sources: tuple
    target: str
    by: str


# state -> allowed steps; services check them, pages show only the steps available.
ETAPES: dict[str, Etape] = {e.name: e for e in [
    Etape("modifier", "Modifier la demande", (Statut.DEPOSEE,), Statut.DEPOSEE, Acteur.DEMANDEUR),
    Etape("instruire", "Prendre en instruction", (Statut.DEPOSEE,), Statut.EN_INSTRUCTION, Acteur.DELEGATION),
    Etape("decider", "Enregistrer la décision", (Statut.EN_INSTRUCTION, Statut.DECIDEE), Statut.DECIDEE,
          Acteur.DELEGATION),
    Etape("verser", "Enregistrer un versement", (Statut.DECIDEE,), Statut.DECIDEE, Acteur.DELEGATION),
    Etape("bilan", "Enregistrer le bilan financier", (Statut.DECIDEE, Statut.SOLDEE), Statut.SOLDEE,
          Acteur.DEMANDEUR),
]}


def etape_possible(name: str, statut: str) -> bool:
    return statut in ETAPES[name].sources


# Years the délégation still has to act on.
A_TRAITER = [Statut.DEPOSEE, Statut.EN_INSTRUCTION]
