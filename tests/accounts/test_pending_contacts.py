"""Coordinator and référent e-mails brought by the contracts import become invitations in one click on the
people page (issue 13), by whoever may invite that role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cls_portal.accounts.models import Invitation, Role, User
from cls_portal.core.history import HistoryEntry
from contracts.models import ContactRole, PendingContact
from tests.accounts.test_invitations import _accept_by_password

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(world):
    c = world.own.contract
    return {"coord": PendingContact.objects.create(contract=c, email="coord.importe@example.fr",
                                                   role=ContactRole.COORDINATEUR),
            "ref": PendingContact.objects.create(contract=c, email="ref.importe@ars.example.fr",
                                                 role=ContactRole.REFERENT)}


def page(client, world):
    return client.get(reverse("people:people", kwargs={"pk": world.own.contract.pk}))


def invite(client, world, contact):
    return client.post(reverse("people:pending_invite", kwargs={"pk": world.own.contract.pk,
                                                                "contact_pk": contact.pk}))


def test_the_delegation_invites_an_imported_coordinator_in_one_click(client, world, contacts,
                                                                    django_capture_on_commit_callbacks):
    client.force_login(world.users["delegation"])
    listed = {p["contact"].email: p["can_invite"] for p in page(client, world).context["pending_contacts"]}
    assert listed == {"coord.importe@example.fr": True, "ref.importe@ars.example.fr": True}
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, world, contacts["coord"])
    assert response.status_code == 302
    inv = Invitation.objects.get(email="coord.importe@example.fr")
    assert inv.role == Role.COORDINATEUR and inv.contract == world.own.contract
    assert inv.invited_by == world.users["delegation"]
    contacts["coord"].refresh_from_db()
    assert contacts["coord"].invited_at is not None
    assert HistoryEntry.objects.filter(object_id=inv.pk, actor=world.users["delegation"]).exists()
    # Invited: off the list; a second click creates nothing.
    assert [p["contact"].email for p in page(client, world).context["pending_contacts"]] == [
        "ref.importe@ars.example.fr"]
    invite(client, world, contacts["coord"])
    assert Invitation.objects.filter(email="coord.importe@example.fr").count() == 1
    # Accepted: the person coordinates the contract.
    client.logout()
    _accept_by_password(client, inv)
    assert User.objects.get(email="coord.importe@example.fr") in world.own.contract.coordinators.all()


def test_the_regional_team_invites_the_referent_not_the_coordinator(client, world, contacts):
    client.force_login(world.users["region"])
    listed = {p["contact"].email: p for p in page(client, world).context["pending_contacts"]}
    assert listed["ref.importe@ars.example.fr"]["can_invite"] is True
    assert listed["coord.importe@example.fr"]["can_invite"] is False
    assert "Seule la délégation départementale du contrat invite un coordinateur" in \
        listed["coord.importe@example.fr"]["reason"]
    assert invite(client, world, contacts["coord"]).status_code == 403
    assert not Invitation.objects.filter(email="coord.importe@example.fr").exists()
    invite(client, world, contacts["ref"])
    inv = Invitation.objects.get(email="ref.importe@ars.example.fr")
    assert inv.role == Role.DELEGATION
    assert {d.code for d in inv.departements.all()} == {world.own.departement.code}



def test_an_imported_referent_who_accepts_becomes_the_contracts_referent_if_it_has_none(client, world, contacts):
    contract = world.own.contract
    contract.referent = None
    contract.save(update_fields=["referent"])
    client.force_login(world.users["region"])
    invite(client, world, contacts["ref"])
    client.logout()
    _accept_by_password(client, Invitation.objects.get(email="ref.importe@ars.example.fr"))
    referent = User.objects.get(email="ref.importe@ars.example.fr")
    contract.refresh_from_db()
    assert contract.referent == referent
    assert HistoryEntry.objects.filter(contract_id=contract.pk, actor=referent, object_id=contract.pk,
                                       changes__has_key="referent").count() == 1
    # A contract that already has a référent keeps him: the délégation decides.
    other = PendingContact.objects.create(contract=contract, email="second.ref@ars.example.fr",
                                          role=ContactRole.REFERENT)
    client.force_login(world.users["region"])
    invite(client, world, other)
    client.logout()
    _accept_by_password(client, Invitation.objects.get(email="second.ref@ars.example.fr"))
    contract.refresh_from_db()
    assert contract.referent == referent


def test_the_coordinator_sees_the_contacts_but_cannot_invite_them(client, world, contacts):
    client.force_login(world.users["coordinateur"])
    assert not any(p["can_invite"] for p in page(client, world).context["pending_contacts"])
    assert invite(client, world, contacts["coord"]).status_code == 403


@pytest.mark.parametrize("role", ["delegation", "region"])
def test_people_page_queries_do_not_grow_with_pending_contacts(client, world, role):
    client.force_login(world.users[role])
    contract = world.own.contract
    PendingContact.objects.create(contract=contract, email="a0@example.fr", role=ContactRole.COORDINATEUR)
    PendingContact.objects.create(contract=contract, email="b0@example.fr", role=ContactRole.REFERENT)
    page(client, world)
    with CaptureQueriesContext(connection) as one:
        page(client, world)
    for i in range(1, 6):
        PendingContact.objects.create(contract=contract, email=f"a{i}@example.fr",
                                      role=ContactRole.COORDINATEUR if i % 2 else ContactRole.REFERENT)
    with CaptureQueriesContext(connection) as six:
        page(client, world)
    assert len(six) == len(one)


def test_a_referent_who_is_already_an_agent_is_designated_not_invited(client, world):
    """The délégation's own address imported as référent got an « Inviter » button that e-mailed the agent a link
    to a role already held. It now says so and leads to the référent page with that agent chosen; once he is the
    référent, the contact leaves the list."""
    contract, agent = world.own.contract, world.users["delegation"]
    contract.referent = None
    contract.save(update_fields=["referent"])
    PendingContact.objects.create(contract=contract, email=agent.email.upper(), role=ContactRole.REFERENT)
    client.force_login(agent)
    html = page(client, world).content.decode()
    listed = page(client, world).context["pending_contacts"]
    assert [(p["can_invite"], p["agent"], p["designate"]) for p in listed] == [(False, agent, True)]
    link = reverse("contracts:referent", args=[contract.pk]) + f"?referent={agent.pk}"
    assert f'href="{link}">Désigner comme référent' in html and "aucune invitation à envoyer" in html
    form = client.get(link).context["form"]
    assert form.initial["referent"] == agent.pk
    response = client.post(reverse("contracts:referent", args=[contract.pk]),
                           {"referent": agent.pk, "version": form.initial["version"]})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.referent == agent
    assert page(client, world).context["pending_contacts"] == []
    assert not Invitation.objects.filter(email__iexact=agent.email).exists()
