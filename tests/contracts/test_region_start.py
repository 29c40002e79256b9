"""Starting a région from the portal (issue 13): a new CLS with its steps planned, steps the délégation
adds, removes and reorders, partner organisations (SIRET, région-limited lists)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from cls_portal.core.errors import DomainError
from cls_portal.core.models import HistoryEntry
from cls_portal.territories.models import Organisation, OrganisationType
from contracts import forms, services
from contracts.enums import ContractEvent, Phase, StepKind, StepStatus
from contracts.models import Contract, Step
from tests import factories as f

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def _create(user, **data):
    payload = {"nom": "CLS du Bocage", "date_debut_prealable": "2026-01-05", "duree_annees": "5", **data}
    return _client(user).post(reverse("contracts:create"), payload)


def test_delegation_creates_a_contract_from_an_epci_code_collectivite_created_on_the_spot(world):
    epci = world.own.epci
    new_epci = f.EPCIFactory(nom="CC du Bocage test")
    communes = [f.CommuneFactory(departement=world.own.departement, epci=new_epci, population=p) for p in (900, 400)]
    response = _create(world.users["delegation"], collectivite_code=new_epci.code,
                       date_signature_prevue="2027-01-05", referent=world.users["delegation"].pk)
    contract = Contract.objects.get(nom="CLS du Bocage")
    assert response.status_code == 302 and response["Location"].endswith(f"/cls/{contract.pk}/#etapes")
    assert contract.phase == Phase.PREALABLE
    assert contract.collectivite.type == OrganisationType.EPCI and contract.collectivite.epci == new_epci
    assert contract.collectivite.region_id == world.own.region.code
    assert contract.epci == new_epci and set(contract.communes.all()) == set(communes)
    assert list(contract.delegations.all()) == [world.own.delegation]
    assert contract.referent == world.users["delegation"] and contract.ars.region_id == world.own.region.code
    assert epci != new_epci
    # The method's steps, their dates on the 12-month plan (« 6 mois à 1 an » before signature), ending here.
    steps = {s.kind: s for s in contract.steps.all()}
    assert steps[StepKind.ENGAGEMENT].date_debut_prevue == dt.date(2026, 1, 5)
    assert steps[StepKind.SIGNATURE].date_prevue == dt.date(2027, 1, 5)
    assert steps[StepKind.ENGAGEMENT].date_prevue == dt.date(2026, 1, 5) + dt.timedelta(days=round(365 * 3 / 12))
    assert steps[StepKind.MISE_EN_OEUVRE].date_prevue is None  # dated at signature
    assert HistoryEntry.objects.filter(contract_id=contract.pk, action=ContractEvent.CREE).count() == 1


def test_default_plan_puts_signature_a_year_after_the_start(world):
    """« Avant la signature : 6 mois à 1 an » (fiche pratique n°5): by default the year."""
    _create(world.users["region"], collectivite=world.own.collectivite.pk, communes=world.own.communes[0].code)
    contract = Contract.objects.get(nom="CLS du Bocage")
    steps = {s.kind: s for s in contract.steps.all()}
    assert steps[StepKind.SIGNATURE].date_prevue == dt.date(2027, 1, 5)
    assert steps[StepKind.ENGAGEMENT].date_prevue == dt.date(2026, 4, 5)  # lettre d'intention within 3 months
    assert steps[StepKind.PLAN_ACTION].date_prevue == dt.date(2026, 12, 5)
    assert [c.code for c in contract.communes.all()] == [world.own.communes[0].code]
    assert contract.epci is None


@pytest.mark.parametrize("data,field,message", [
    ({"collectivite_code": "52121"}, "collectivite_code", "n'est ni le SIREN d'un EPCI"),
    ({"communes": "{other}"}, "communes", "ne sont pas dans la région Normandie"),
    ({"communes": "99999"}, "communes", "Codes de communes inconnus : 99999."),
    ({"date_signature_prevue": "2026-03-01"}, "date_signature_prevue",
     "La fiche pratique compte 6 mois à un an avant la signature (phase préalable, diagnostic et plan d'action) : "
     "prévoyez la signature au moins 6 mois après le début de la démarche."),
    ({}, "collectivite", "Choisissez la collectivité porteuse"),
])
def test_bad_creation_input_is_shown_next_to_its_field_and_creates_nothing(world, data, field, message):
    if data.get("communes") == "{other}":
        data = {"communes": world.other.communes[0].code}
    if "collectivite_code" not in data and field != "collectivite":
        data["collectivite"] = world.own.collectivite.pk
    orgs = Organisation.objects.count()
    response = _create(world.users["region"], **data)
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field]), response.context["form"].errors
    assert not Contract.objects.filter(nom="CLS du Bocage").exists() and Organisation.objects.count() == orgs


def test_delegation_cannot_open_a_contract_outside_its_departements(world):
    dep = f.DepartementFactory(code="61", nom="Orne", region=world.own.region)
    f.DelegationFactory(departement=dep)
    commune = f.CommuneFactory(departement=dep)
    response = _create(world.users["delegation"], collectivite=world.own.collectivite.pk, communes=commune.code)
    assert response.context["form"].errors["communes"] == [
        "Le périmètre doit comprendre au moins une commune de vos départements."]
    assert not Contract.objects.filter(nom="CLS du Bocage").exists()
    # The regional team may: the whole région is its.
    assert _create(world.users["region"], collectivite=world.own.collectivite.pk,
                   communes=commune.code).status_code == 302


def test_every_creation_refusal_is_said_at_the_first_submission(world):
    """A wrong duration, a commune outside the délégation's départements and a signature planned too soon were
    refused one per submission (the duration first, then the perimeter, then the date)."""
    dep = f.DepartementFactory(code="61", nom="Orne", region=world.own.region)
    f.DelegationFactory(departement=dep)
    commune = f.CommuneFactory(departement=dep)
    response = _create(world.users["delegation"], collectivite=world.own.collectivite.pk, communes=commune.code,
                       duree_annees="9", date_signature_prevue="2026-03-01")
    errors = response.context["form"].errors
    assert set(errors) == {"duree_annees", "communes", "date_signature_prevue"}, errors
    assert errors["duree_annees"] == ["La durée d'un CLS est de 3 à 5 ans."]
    assert errors["communes"] == ["Le périmètre doit comprendre au moins une commune de vos départements."]
    assert errors["date_signature_prevue"][0].startswith("La fiche pratique compte 6 mois à un an")
    assert not Contract.objects.filter(nom="CLS du Bocage").exists()


def test_collectivite_choices_are_the_region_s_collectivites(world):
    form = forms.ContractCreateForm(region=world.own.region)
    offered = set(form.fields["collectivite"].queryset)
    assert world.own.collectivite in offered and world.other.collectivite not in offered
    assert world.own.pilote_org not in offered  # a CPAM is not a collectivité


# --- steps ------------------------------------------------------------------------------------------

def _titles(contract):
    return list(contract.steps.order_by("ordre", "annee", "id").values_list("titre", flat=True))


def test_delegation_adds_moves_and_removes_steps(world):
    contract = world.own.contract
    client = _client(world.users["delegation"])
    response = client.post(reverse("contracts:step_add", args=[contract.pk]), {
        "titre": "Réunion publique avec les habitants", "phase": Phase.DIAGNOSTIC,
        "date_debut_prevue": "2026-03-01", "date_prevue": "2026-03-31"})
    assert response.status_code == 302
    titles = _titles(contract)
    added = titles.index("Réunion publique avec les habitants")
    assert titles[added - 1] == StepKind.SIGNATURE.label  # after the last step of its phase
    step = contract.steps.get(titre="Réunion publique avec les habitants")
    assert step.kind == StepKind.AUTRE
    client.post(reverse("contracts:step_move", args=[contract.pk, step.pk]), {"direction": "up"})
    assert _titles(contract).index("Réunion publique avec les habitants") == added - 1
    first = contract.steps.order_by("ordre", "id").first()
    client.post(reverse("contracts:step_move", args=[contract.pk, first.pk]), {"direction": "up"})  # already first
    assert _titles(contract).index("Réunion publique avec les habitants") == added - 1
    client.post(reverse("contracts:step_delete", args=[contract.pk, step.pk]))
    assert "Réunion publique avec les habitants" not in _titles(contract)
    events = set(HistoryEntry.objects.filter(contract_id=contract.pk).values_list("action", flat=True))
    assert {ContractEvent.ETAPE_AJOUTEE, ContractEvent.ETAPE_DEPLACEE, ContractEvent.ETAPE_SUPPRIMEE} <= events


def test_a_done_step_is_not_deleted_and_dates_stay_in_order(world):
    contract = world.own.contract
    step = contract.steps.first()
    Step.objects.filter(pk=step.pk).update(statut=StepStatus.REALISEE)
    with pytest.raises(DomainError, match="réalisée"):
        services.step_delete(actor=world.users["delegation"], step=step)
    assert Step.objects.filter(pk=step.pk).exists()
    with pytest.raises(DomainError, match="ne peut pas précéder"):
        services.step_add(actor=world.users["delegation"], contract=contract, titre="X", phase=Phase.PREALABLE,
                          date_debut_prevue=dt.date(2026, 5, 1), date_prevue=dt.date(2026, 4, 1))


def test_contract_page_shows_step_controls_to_the_delegation_only(world):
    url = reverse("contracts:detail", args=[world.own.contract.pk])
    add = reverse("contracts:step_add", args=[world.own.contract.pk])
    assert add in _client(world.users["delegation"]).get(url).content.decode()
    assert add not in _client(world.users["coordinateur"]).get(url).content.decode()


# --- organisations ----------------------------------------------------------------------------------

@pytest.mark.parametrize("siret,ok", [("73282932000074", True), ("35600000000001", True), ("73282932000075", False),
                                      ("7328293200007", False), ("7328293200007A", False)])
def test_siret_is_optional_but_checked(world, siret, ok):
    response = _client(world.users["coordinateur"]).post(reverse("contracts:organisation_create"), {
        "nom": "CCAS de Bayeux", "type": OrganisationType.CCAS, "siret": siret[:7] + " " + siret[7:]})
    created = Organisation.objects.filter(nom="CCAS de Bayeux").first()
    if ok:
        assert response.status_code == 302 and created.siret == siret and created.region_id == "28"
    else:
        assert created is None and response.context["form"].errors["siret"]


def test_coordinator_creates_a_collectivite_service_offered_in_the_region_only(world):
    client = _client(world.users["coordinateur"])
    client.post(reverse("contracts:organisation_create"), {
        "nom": "Service jeunesse test", "type": OrganisationType.SERVICE_JEUNESSE, "email": "jeunesse@example.fr"})
    org = Organisation.objects.get(nom="Service jeunesse test")
    assert org in forms.SignatoryForm(contract=world.own.contract).fields["organisation"].queryset
    assert org not in forms.SignatoryForm(contract=world.other.contract).fields["organisation"].queryset
    assert world.other.pilote_org not in forms.MemberForm(contract=world.own.contract).fields["organisation"].queryset
    # The same name and type again: a French message on the name, nothing created.
    response = client.post(reverse("contracts:organisation_create"), {
        "nom": "service jeunesse TEST", "type": OrganisationType.SERVICE_JEUNESSE})
    assert "existe déjà" in response.context["form"].errors["nom"][0]
    assert Organisation.objects.filter(nom__iexact="service jeunesse test").count() == 1
    # Accents, hyphens and apostrophes aside too: « Sérvice-jeunesse test » is the same organisation.
    response = client.post(reverse("contracts:organisation_create"), {
        "nom": "Sérvice-jeunesse  test", "type": OrganisationType.SERVICE_JEUNESSE})
    assert "« Service jeunesse test » de ce type existe déjà" in response.context["form"].errors["nom"][0]
    listing = client.get(reverse("contracts:organisation_list")).content.decode()
    assert "Service jeunesse test" in listing and world.other.pilote_org.nom not in listing


def test_organisation_list_queries_do_not_grow_with_the_list(world, django_assert_max_num_queries):
    for i in range(30):
        f.OrganisationFactory(nom=f"Association test {i}", departement=world.own.departement)
    client = _client(world.users["delegation"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("contracts:organisation_list"))
    assert response.context["page_obj"].paginator.count >= 30


def test_admin_chooses_the_region_first(world):
    client = _client(world.users["admin"])
    response = client.get(reverse("contracts:create"))
    assert "region" in response.context["form"].fields and "nom" not in response.context["form"].fields
    response = client.get(reverse("contracts:create") + f"?region={world.other.region.code}")
    assert response.context["form"].region == world.other.region


@pytest.mark.parametrize("years", ["2", "6"])
def test_a_contract_lasts_three_to_five_years(world, years):
    """« Conclu pour une durée de 3 à 5 ans » (ARS Normandie): anything else is refused next to the field."""
    response = _create(world.users["delegation"], collectivite=world.own.collectivite.pk,
                       communes=world.own.communes[0].code, duree_annees=years)
    assert response.status_code == 200 and not Contract.objects.filter(nom="CLS du Bocage").exists()
    assert "La durée d'un CLS est de 3 à 5 ans." in response.context["form"].errors["duree_annees"]
    with pytest.raises(DomainError, match="de 3 à 5 ans") as refused:
        services.contract_create(actor=world.users["delegation"], nom="CLS du Bocage",
                                 collectivite=world.own.collectivite, ars=world.own.delegation.ars,
                                 commune_codes=[world.own.communes[0].code], duree_annees=int(years))
    assert refused.value.field == "duree_annees"
