"""Action-plan factories (indicators, yearly values, follow-ups)."""

import factory

from actions.enums import Avancement
from actions.models import Indicateur, SuiviAnnuel, ValeurIndicateur
from tests.factories import FicheActionFactory


class IndicateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicateur

    fiche = factory.SubFactory(FicheActionFactory)
    libelle = factory.Sequence(lambda n: f"Indicateur {n}")
    unite = "personnes"
    cible = 100


class ValeurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ValeurIndicateur

    indicateur = factory.SubFactory(IndicateurFactory)
    annee = 2024
    valeur = 50


class SuiviFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuiviAnnuel

    fiche = factory.SubFactory(FicheActionFactory)
    annee = 2024
    avancement = Avancement.EN_COURS
    realise = "Deux permanences ouvertes."
