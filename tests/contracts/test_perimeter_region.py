"""A perimeter never leaves the région of the contract's ARS (`52121`, `2A004` from a Calvados contract)."""

import pytest
from django.test import Client
from django.urls import reverse

from cls_portal.core.errors import DomainError
from contracts import services
from tests import factories as f

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize("code", ["52121", "2A004"])
def test_communes_form_refuses_a_commune_of_another_region_next_to_the_field(world, code):
    region = f.RegionFactory(code="94" if code.startswith("2A") else world.other.region.code, nom="Ailleurs")
    dep = world.other.departement if code == "52121" else f.DepartementFactory(code="2A", nom="Corse-du-Sud",
                                                                               region=region)
    f.CommuneFactory(code=code, departement=dep, nom="Hors région")
    contract = world.own.contract
    before = set(contract.communes.values_list("code", flat=True))
    url = reverse("contracts:perimeter", args=[contract.pk])
    response = _client(world.users["coordinateur"]).post(url, {
        "form": "communes", "version": contract.version, "garder": sorted(before), "ajouter": code})
    assert response.status_code == 200
    errors = response.context["communes_form"].errors["ajouter"]
    assert errors == [f"Ces communes ne sont pas dans la région {world.own.region.nom} (ARS du contrat) : {code}."]
    assert set(contract.communes.values_list("code", flat=True)) == before
    assert not contract.delegations.filter(departement=dep).exists()


def test_service_refuses_an_epci_or_communes_outside_the_region(world):
    contract = world.own.contract
    outside = list(world.other.contract.communes.all())
    with pytest.raises(DomainError, match="ne sont pas dans la région"):
        services.contract_set_perimeter(actor=world.users["coordinateur"], contract=contract,
                                        commune_codes=[c.code for c in outside])
    with pytest.raises(DomainError, match="ne sont pas dans la région"):
        services.contract_create(actor=world.users["admin"], nom="CLS", collectivite=world.own.collectivite,
                                 ars=world.own.contract.ars, commune_codes=[c.code for c in outside])


def test_epci_choices_are_those_of_the_contract_region(world):
    contract = world.own.contract
    response = _client(world.users["coordinateur"]).get(reverse("contracts:perimeter", args=[contract.pk]))
    epcis = set(response.context["epci_form"].fields["epci"].queryset)
    other_epci = world.other.contract.communes.first().epci
    assert other_epci not in epcis
