"""Removing a contract's coordinator (people.services.coordinator_remove): the délégation may remove the last one
(he left and no successor is named yet); the contract then has no coordinator and moves forward through the
délégation, which the page says. A coordinator does not remove himself: he hands his coordination over."""

import pytest
from django.urls import reverse

from cls_portal.accounts.events import AccountEvent
from cls_portal.accounts.models import Role
from cls_portal.core.errors import DomainError
from cls_portal.core.models import HistoryEntry
from contracts import permissions, workflow
from contracts.models import Contract, CoordinatorTerm
from people.services import coordinator_remove
from tests import factories as f


def test_the_last_coordinator_may_be_removed_and_the_delegation_then_moves_the_contract(world):
    contract, coordinator, delegation = world.own.contract, world.users["coordinateur"], world.users["delegation"]
    assert list(contract.coordinators.all()) == [coordinator]
    coordinator_remove(actor=delegation, contract=contract, user=coordinator)
    contract = Contract.objects.get(pk=contract.pk)
    assert not permissions.has_coordinator(contract)
    line = HistoryEntry.objects.get(action=AccountEvent.ROLE_RETIRE, contract_id=contract.pk)
    assert line.actor == delegation
    assert CoordinatorTerm.objects.get(contract=contract, user=coordinator).fin is not None
    # Nobody can propose any more: each proposed phase change is the délégation's own.
    for t in workflow.LIFECYCLE:
        if t.proposed_by:
            assert workflow.LIFECYCLE.mode_for(t, contract) == "direct"
    allowed, _ = permissions.can_keep_records(delegation, contract)
    assert allowed


def test_someone_who_does_not_coordinate_the_contract_is_refused(world):
    stranger = f.with_role(f.UserFactory(username="autre-coord"), Role.COORDINATEUR)
    with pytest.raises(DomainError, match="ne coordonne pas ce contrat"):
        coordinator_remove(actor=world.users["delegation"], contract=world.own.contract, user=stranger)


def test_the_page_says_the_contract_has_no_coordinator_any_more(client, world):
    contract, coordinator = world.own.contract, world.users["coordinateur"]
    second = f.with_role(f.UserFactory(username="coord-bis", first_name="Léa", last_name="Martin"), Role.COORDINATEUR,
                         organisation=world.own.collectivite)
    contract.coordinators.add(second)
    client.force_login(world.users["delegation"])

    def remove(user):
        url = reverse("people:coordinator_remove", kwargs={"pk": contract.pk, "user_pk": user.pk})
        return client.post(url, {"confirme": "1"}, follow=True).content.decode().replace("&#x27;", "'")

    page = remove(second)
    assert "Léa Martin ne coordonne plus ce contrat" in page and "n'a plus de coordinateur" not in page
    page = remove(coordinator)
    assert ("Le contrat n'a plus de coordinateur : jusqu'à ce qu'un coordinateur soit invité, la délégation tient "
            "son identité et ses documents et change elle-même sa phase.") in page
    assert not Contract.objects.get(pk=contract.pk).coordinators.exists()


def test_a_coordinator_does_not_remove_himself_he_hands_over(client, world):
    contract, coordinator = world.own.contract, world.users["coordinateur"]
    client.force_login(coordinator)
    url = reverse("people:coordinator_remove", kwargs={"pk": contract.pk, "user_pk": coordinator.pk})
    assert client.post(url, {"confirme": "1"}).status_code == 403
    assert coordinator in Contract.objects.get(pk=contract.pk).coordinators.all()
