"""The signature date is the délégation's: the coordinator cannot set it (the help text always said so);
the délégation gives it when validating the signature, within a plausible window."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from cls_portal.core.errors import DomainError
from contracts import services
from contracts.enums import Phase

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def test_identity_form_has_no_signature_date_and_ignores_one_posted(world):
    contract = world.own.contract
    client = _client(world.users["coordinateur"])
    url = reverse("contracts:edit", args=[contract.pk])
    form = client.get(url).context["form"]
    assert "date_signature" not in form.fields
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(nom=contract.nom, duree_annees=contract.duree_annees, version=contract.version,
                date_signature="9999-12-31")
    client.post(url, data)
    contract.refresh_from_db()
    assert contract.date_signature != dt.date(9999, 12, 31)


def test_service_refuses_a_signature_date_from_the_identity_update(world):
    contract = world.own.contract
    with pytest.raises(DomainError, match="renseignée par la délégation") as exc:
        services.contract_update(actor=world.users["coordinateur"], contract=contract, version=None,
                                 data={"date_signature": dt.date(9999, 12, 31)})
    assert exc.value.field == "date_signature"


def _propose_signature(s):
    s.ready_to_sign()
    return services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="signer")


def test_delegation_gives_the_signature_date_when_validating(setup):
    s = setup(Phase.DIAGNOSTIC)
    proposal = _propose_signature(s)
    client = _client(s.ars_user)
    page = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    assert 'name="date_signature"' in page
    client.post(reverse("contracts:proposal_decide", args=[s.contract.pk, proposal.pk]),
                {"decision": "valider", "comment": "", "date_signature": "2024-05-28"})
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.MISE_EN_OEUVRE and s.contract.date_signature == dt.date(2024, 5, 28)


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1989-12-31"])
def test_an_implausible_signature_date_is_refused_and_nothing_changes(setup, value):
    s = setup(Phase.DIAGNOSTIC)
    proposal = _propose_signature(s)
    response = _client(s.ars_user).post(reverse("contracts:proposal_decide", args=[s.contract.pk, proposal.pk]),
                                        {"decision": "valider", "date_signature": value}, follow=True)
    assert response.status_code == 200
    assert "Saisissez une date entre le 01/01/1990 et le" in response.content.decode()
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.DIAGNOSTIC and s.contract.date_signature is None


def test_service_refuses_a_signature_date_outside_the_window(setup):
    s = setup(Phase.DIAGNOSTIC)
    proposal = _propose_signature(s)
    with pytest.raises(DomainError, match="Saisissez une date entre"):
        services.proposal_validate(actor=s.ars_user, contract=s.contract, proposal_pk=proposal.pk,
                                   date_signature=dt.date(9999, 12, 31))


def test_a_signature_date_saved_before_the_rules_does_not_break_the_pages(world):
    from contracts.models import Contract

    Contract.objects.filter(pk=world.own.contract.pk).update(date_signature=dt.date(9999, 12, 31))
    client = _client(world.users["delegation"])
    for url in (reverse("contracts:detail", args=[world.own.contract.pk]), reverse("contracts:list"),
                reverse("contracts:delegation_dashboard")):
        assert client.get(url).status_code == 200, url
