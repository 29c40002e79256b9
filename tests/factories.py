"""Core factories: territories, organisations, users with roles, contracts, axes and sheets."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from actions.enums import FicheStatut
from actions.models import Axe, FicheAction
from cls_portal.accounts.models import RoleMembership
from cls_portal.territories.models import (
    ARS,
    EPCI,
    Commune,
    Delegation,
    Departement,
    Organisation,
    OrganisationType,
    Region,
)
from contracts.enums import Phase
from contracts.models import Contract
from contracts.periods import record_coordinator, record_perimeter


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"R{n % 100:02d}")  # fits max_length=3 (PostgreSQL enforces it)
    nom = factory.Sequence(lambda n: f"Région {n}")


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{100 + n % 900}")
    nom = factory.Sequence(lambda n: f"Département {n}")
    region = factory.SubFactory(RegionFactory)


class ARSFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ARS
        django_get_or_create = ["region"]

    region = factory.SubFactory(RegionFactory)
    nom = factory.LazyAttribute(lambda o: f"ARS {o.region.nom}")


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation
        django_get_or_create = ["departement"]

    departement = factory.SubFactory(DepartementFactory)
    ars = factory.LazyAttribute(lambda o: ARSFactory(region=o.departement.region))
    nom = factory.LazyAttribute(lambda o: f"Délégation départementale {o.departement.nom}")
    email = factory.LazyAttribute(lambda o: f"dd{o.departement.code}@ars.example.fr")


class EPCIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EPCI
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{200000000 + n % 100000000}")
    nom = factory.Sequence(lambda n: f"CC Intercom {n}")
    type = "CC"


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{90000 + n % 10000}")
    nom = factory.Sequence(lambda n: f"Commune {n}")
    population = 1000
    departement = factory.SubFactory(DepartementFactory)
    region = factory.LazyAttribute(lambda o: o.departement.region)
    epci = None


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["nom", "type"]

    nom = factory.Sequence(lambda n: f"Organisation {n}")
    type = OrganisationType.ASSOCIATION


class CollectiviteFactory(OrganisationFactory):
    nom = factory.Sequence(lambda n: f"Communauté de communes {n}")
    type = OrganisationType.EPCI


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Prénom"
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.fr")
    password = factory.PostGenerationMethodCall("set_password", "demo")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def with_role(user, role, *, organisation=None, region=None, departements=()):
    m = RoleMembership.objects.create(user=user, role=role, organisation=organisation, region=region)
    if departements:
        m.departements.set(departements)
    user.forget_roles()
    return user


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    nom = factory.Sequence(lambda n: f"Contrat local de santé n°{n}")
    collectivite = factory.SubFactory(CollectiviteFactory)
    ars = factory.SubFactory(ARSFactory)
    prs = "PRS 2023-2028"
    phase = Phase.MISE_EN_OEUVRE
    date_debut_prealable = dt.date(2023, 1, 1)
    date_signature = dt.date(2024, 3, 15)
    duree_annees = 5

    @factory.post_generation
    def communes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.communes.set(extracted)
            record_perimeter(obj, [c.code for c in extracted], None)

    @factory.post_generation
    def delegations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.delegations.set(extracted)

    @factory.post_generation
    def coordinators(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.coordinators.set(extracted)
            for user in extracted:
                record_coordinator(obj, user, joined=True, day=None)

    class Params:
        prealable = factory.Trait(phase=Phase.PREALABLE, date_signature=None)
        diagnostic = factory.Trait(phase=Phase.DIAGNOSTIC, date_signature=None)


class AxeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axe

    contract = factory.SubFactory(ContractFactory)
    numero = factory.Sequence(lambda n: n + 1)
    titre = factory.Sequence(lambda n: f"Axe stratégique {n}")


class FicheActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FicheAction
        skip_postgeneration_save = True

    axe = factory.SubFactory(AxeFactory)
    contract = factory.LazyAttribute(lambda o: o.axe.contract)
    numero = factory.Sequence(lambda n: n + 1)
    titre = factory.Sequence(lambda n: f"Fiche action {n}")
    statut = FicheStatut.BROUILLON

    class Params:
        validee = factory.Trait(statut=FicheStatut.VALIDEE)
