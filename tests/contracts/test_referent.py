"""The contract's ARS référent is named by the ARS (fiche pratique n°5: « un référent nominatif sera désigné »; he
is an agent of the délégation départementale): the délégation of the contract or the regional team, on
`/cls/<pk>/referent/`, among the délégation agents of the contract's départements, with who named him and when.
Once a coordinator existed, the délégation had no way to do it (the only selector was in the coordinator's identity
form, which answers 403 to the délégation)."""

import pytest
from django.test import Client
from django.urls import reverse

from cls_portal.accounts.models import Role
from cls_portal.core.errors import DomainError
from cls_portal.core.models import HistoryEntry
from contracts import permissions, services
from contracts.enums import ContractEvent, Phase
from contracts.forms import ContractIdentityForm
from tests import factories as f

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def _agent(s, username="dd14b", **kw):
    return f.with_role(f.UserFactory(username=username, first_name="Claire", last_name="Martin", **kw),
                       Role.DELEGATION, departements=[s.dep])


def test_the_delegation_names_the_referent_once_a_coordinator_exists(setup):
    s = setup(Phase.DIAGNOSTIC)  # with its coordinator
    agent = _agent(s)
    client = _client(s.ars_user)
    url = reverse("contracts:referent", args=[s.contract.pk])
    detail = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    assert f'href="{url}"' in detail  # reachable from the contract's identity
    form = client.get(url).context["form"]
    assert set(form.fields["referent"].queryset) == {s.ars_user, agent}
    response = client.post(url, {"version": s.contract.version, "referent": agent.pk})
    assert response.status_code == 302
    s.contract.refresh_from_db()
    assert s.contract.referent == agent
    # Who and when, in words, on the référent's page and in the contract's history.
    page = client.get(url)
    line = page.context["designations"][0]
    assert line.sentence.startswith("Référent ARS du contrat modifié par ")
    assert any("Claire Martin" in d for d in line.details)
    assert line.at is not None
    assert "Référent ARS du contrat modifié par" in client.get(
        reverse("contracts:detail", args=[s.contract.pk])).content.decode()


def test_the_regional_team_names_the_referent_too(setup):
    s = setup(Phase.DIAGNOSTIC)
    region = f.with_role(f.UserFactory(username="region28"), Role.REGION, region=s.region)
    agent = _agent(s)
    assert _client(region).post(reverse("contracts:referent", args=[s.contract.pk]),
                                {"version": s.contract.version, "referent": agent.pk}).status_code == 302
    s.contract.refresh_from_db()
    assert s.contract.referent == agent


def test_the_coordinator_no_longer_names_the_referent(setup):
    s = setup(Phase.DIAGNOSTIC)
    assert "referent" not in ContractIdentityForm(instance=s.contract).fields
    assert permissions.can_designate_referent(s.coordinateur, s.contract)[0] is False
    assert _client(s.coordinateur).get(reverse("contracts:referent", args=[s.contract.pk])).status_code == 403
    with pytest.raises(DomainError, match="désigné par la délégation") as err:
        services.contract_update(actor=s.coordinateur, contract=s.contract, version=None,
                                 data={"referent": _agent(s)})
    assert err.value.field == "referent"


def test_someone_outside_the_contracts_delegations_is_refused_next_to_the_field(setup):
    s = setup(Phase.DIAGNOSTIC)
    elsewhere = f.with_role(f.UserFactory(username="dd50"), Role.DELEGATION,
                            departements=[f.DepartementFactory(code="50", nom="Manche", region=s.region)])
    with pytest.raises(DomainError, match="n'est pas un agent de la délégation") as err:
        services.contract_set_referent(actor=s.ars_user, contract=s.contract, referent=elsewhere)
    assert err.value.field == "referent"
    # The form does not offer him: a forged choice is refused as invalid, nothing changes.
    response = _client(s.ars_user).post(reverse("contracts:referent", args=[s.contract.pk]),
                                        {"version": s.contract.version, "referent": elsewhere.pk})
    assert response.status_code == 200 and response.context["form"].errors["referent"]
    s.contract.refresh_from_db()
    assert s.contract.referent == s.ars_user


def test_the_same_referent_again_writes_nothing(setup):
    s = setup(Phase.DIAGNOSTIC)
    services.contract_set_referent(actor=s.ars_user, contract=s.contract, referent=s.ars_user)
    assert not HistoryEntry.objects.filter(contract_id=s.contract.pk, action=ContractEvent.REFERENT_DESIGNE).exists()
