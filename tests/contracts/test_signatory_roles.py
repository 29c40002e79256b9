"""The mandatory signatories are the contract's own: its collectivité porteuse, its ARS, a préfecture. A commune
entered as « Signataire obligatoire : ARS » and a signature dated 2031 were accepted, and the lifecycle's condition
« Signataires obligatoires enregistrés » turned done. From an empty database the form now offers the ARS (made by
the territories import) and says where to create a missing préfecture; a mistaken row can be removed until the
contract is signed."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cls_portal.core.errors import DomainError
from cls_portal.territories.importer import ars_organisations
from cls_portal.territories.models import Organisation, OrganisationType
from contracts import services, workflow
from contracts.enums import Phase, SignatoryRole
from contracts.models import Signatory
from tests import factories as f

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def _post(s, **data):
    return _client(s.coordinateur).post(reverse("contracts:signatory_add", args=[s.contract.pk]),
                                        {"representant": "", "date_signature": "", **data})


def _commune(s, nom="Commune de Lisieux"):
    return f.OrganisationFactory(nom=nom, type=OrganisationType.COMMUNE, departement=s.dep)


@pytest.mark.parametrize(("role", "message"), [
    (SignatoryRole.ARS, "L'ARS signataire obligatoire est l'ARS du contrat"),
    (SignatoryRole.PREFECTURE, "Choisissez une préfecture : Commune de Lisieux n'en est pas une (Commune)."),
    (SignatoryRole.COLLECTIVITE, "La collectivité signataire obligatoire est la collectivité porteuse du contrat "
                                 "(Bayeux Intercom)"),
])
def test_a_commune_is_refused_as_a_mandatory_signatory_next_to_the_field(setup, role, message):
    s = setup(Phase.DIAGNOSTIC)
    response = _post(s, organisation=_commune(s).pk, role=role)
    assert response.status_code == 200
    assert message in response.context["form"].errors["organisation"][0]
    assert not Signatory.objects.filter(contract=s.contract).exists()


def test_the_same_commune_may_sign_as_another_signatory(setup):
    s = setup(Phase.DIAGNOSTIC)
    response = _post(s, organisation=_commune(s).pk, role=SignatoryRole.AUTRE_SIGNATAIRE)
    assert response.status_code == 302
    assert Signatory.objects.filter(contract=s.contract, role=SignatoryRole.AUTRE_SIGNATAIRE).exists()


def test_an_ars_of_another_region_is_not_the_contracts_ars(setup):
    s = setup(Phase.DIAGNOSTIC)
    other = f.OrganisationFactory(nom="ARS Grand Est", type=OrganisationType.ARS,
                                  region=f.RegionFactory(code="44", nom="Grand Est"))
    with pytest.raises(DomainError, match="l'ARS du contrat"):
        services.signatory_add(actor=s.coordinateur, contract=s.contract, organisation=other, role=SignatoryRole.ARS)


def test_a_signature_date_in_the_future_is_refused_next_to_the_field(setup):
    s = setup(Phase.DIAGNOSTIC)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = _post(s, organisation=s.collectivite.pk, role=SignatoryRole.COLLECTIVITE,
                     date_signature=tomorrow.isoformat())
    assert response.status_code == 200
    assert "Une date de signature ne peut pas être un jour à venir" in response.context["form"].errors[
        "date_signature"][0]
    assert not Signatory.objects.filter(contract=s.contract).exists()


def test_the_guard_turns_done_only_with_the_right_organisations(setup):
    s = setup(Phase.DIAGNOSTIC)
    ars_organisations([s.contract.ars])  # what import_territories makes, from an empty database on
    ars = Organisation.objects.get(type=OrganisationType.ARS)
    form = _client(s.coordinateur).get(reverse("contracts:signatory_add", args=[s.contract.pk])).context["form"]
    assert ars in form.fields["organisation"].queryset  # the ARS is offered
    assert reverse("contracts:organisation_create") in form.fields["organisation"].help_text  # and where to add
    prefecture = f.OrganisationFactory(nom="Préfecture du Calvados", type=OrganisationType.PREFECTURE,
                                       departement=s.dep)
    for org, role in ((s.collectivite, SignatoryRole.COLLECTIVITE), (ars, SignatoryRole.ARS),
                      (prefecture, SignatoryRole.PREFECTURE)):
        assert _post(s, organisation=org.pk, role=role, date_signature="2024-01-15").status_code == 302
    assert workflow.signataires_obligatoires(s.contract, None) is None


def test_a_mistaken_row_is_removed_until_the_contract_is_signed(setup):
    s = setup(Phase.DIAGNOSTIC)
    row = Signatory.objects.create(contract=s.contract, organisation=_commune(s), role=SignatoryRole.ARS,
                                   date_signature=dt.date(2024, 1, 15))  # saved before the rules
    client = _client(s.coordinateur)
    page = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    url = reverse("contracts:signatory_remove", args=[s.contract.pk, row.pk])
    assert f'action="{url}"' in page  # the « Retirer » button
    assert client.post(url).status_code == 302
    assert not Signatory.objects.filter(pk=row.pk).exists()


def test_once_the_contract_is_signed_its_signatories_stay(setup):
    s = setup(Phase.MISE_EN_OEUVRE)
    row = Signatory.objects.create(contract=s.contract, organisation=s.collectivite, role=SignatoryRole.COLLECTIVITE,
                                   date_signature=dt.date(2024, 3, 15))
    client = _client(s.coordinateur)
    url = reverse("contracts:signatory_remove", args=[s.contract.pk, row.pk])
    assert f'action="{url}"' not in client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    client.post(url)
    assert Signatory.objects.filter(pk=row.pk).exists()
