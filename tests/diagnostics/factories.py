"""Diagnostic factories, with traits for the review states."""

import datetime as dt
from decimal import Decimal

import factory

from diagnostics.enums import Nature, Statut, Theme, TypeConsultation
from diagnostics.models import (
    ActeurCartographie,
    Consultation,
    Diagnostic,
    ElementPortrait,
    EtapeRetroplanning,
    Indicateur,
    PolitiqueCroisee,
    Priorite,
    RessourceLocale,
)
from tests.factories import ContractFactory


class DiagnosticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diagnostic

    contract = factory.SubFactory(ContractFactory, diagnostic=True)
    numero = 1
    statut = Statut.BROUILLON
    perimetre_hypothese = "Les communes de l'intercommunalité."

    class Params:
        soumis = factory.Trait(statut=Statut.SOUMIS)
        a_modifier = factory.Trait(statut=Statut.A_MODIFIER, commentaire_revue="Complétez le portrait.")
        valide = factory.Trait(statut=Statut.VALIDE)


class IndicateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicateur

    diagnostic = factory.SubFactory(DiagnosticFactory)
    theme = Theme.OFFRE_SOINS
    libelle = factory.Sequence(lambda n: f"Densité de médecins généralistes {n}")
    valeur = Decimal("6.8")
    valeur_departement = Decimal("8.1")
    valeur_region = Decimal("8.3")
    valeur_france = Decimal("9.0")
    unite = "pour 10 000 habitants"
    source = "Assurance maladie (SNDS)"
    annee = 2023


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    diagnostic = factory.SubFactory(DiagnosticFactory)
    type = TypeConsultation.FOCUS_GROUPE
    date = dt.date(2025, 10, 14)
    publics = ["habitants"]
    nb_participants = 12
    synthese = "Difficultés d'accès à un médecin traitant."


class EtapeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EtapeRetroplanning

    diagnostic = factory.SubFactory(DiagnosticFactory)
    libelle = factory.Sequence(lambda n: f"Étape {n}")
    date_debut = dt.date(2025, 9, 1)


class PolitiqueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolitiqueCroisee

    diagnostic = factory.SubFactory(DiagnosticFactory)
    politique = "prs"
    intitule = "PRS Normandie 2023-2028"
    implications = "Priorité à l'accès aux soins de premier recours."


class RessourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RessourceLocale

    diagnostic = factory.SubFactory(DiagnosticFactory)
    nom = factory.Sequence(lambda n: f"Maison de santé {n}")


class PortraitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ElementPortrait

    diagnostic = factory.SubFactory(DiagnosticFactory)
    theme = Theme.OFFRE_SOINS
    nature = Nature.FAIBLESSE
    texte = "Faible densité de médecins généralistes."


class ActeurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActeurCartographie

    diagnostic = factory.SubFactory(DiagnosticFactory)
    acteur = factory.Sequence(lambda n: f"Association {n}")
    role_potentiel = "Relais auprès des habitants"
    apports = "Connaissance du terrain"
    interet_partenaire = "Visibilité"
    risque = "Disponibilité limitée"


class PrioriteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priorite

    diagnostic = factory.SubFactory(DiagnosticFactory)
    ordre = factory.Sequence(lambda n: n + 1)
    intitule = factory.Sequence(lambda n: f"Priorité de santé {n}")
    action_titre = "Première action"


def filled(diagnostic, *, n: int = 1):
    """Give every section `n` rows."""
    for _ in range(n):
        IndicateurFactory(diagnostic=diagnostic)
        ConsultationFactory(diagnostic=diagnostic)
        EtapeFactory(diagnostic=diagnostic)
        PolitiqueFactory(diagnostic=diagnostic)
        RessourceFactory(diagnostic=diagnostic)
        PortraitFactory(diagnostic=diagnostic)
        ActeurFactory(diagnostic=diagnostic)
        PrioriteFactory(diagnostic=diagnostic)
    return diagnostic
