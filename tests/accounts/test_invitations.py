"""Invitations (issue 14): who may invite whom, expiry, resend, revoke, acceptance, case of the address."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cls_portal.accounts import permissions, services
from cls_portal.accounts.models import Invitation, Role, RoleMembership, User
from cls_portal.core.errors import DomainError
from cls_portal.core.history import HistoryEntry
from tests.queries import assert_snapshot_queries

PASSWORD = "Un-mot-de-passe-solide-2026"


def _invite(actor, **kw):
    return services.invitation_create(actor=actor, **kw)


def _accept_by_password(client, invitation, **extra):
    data = {"first_name": "Camille", "last_name": "Martin", "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post(reverse("accounts:invitation_accept", kwargs={"token": invitation.token}), data)


# --- who may invite whom -----------------------------------------------------------------------------------

@pytest.mark.parametrize("inviter,role,allowed", [
    ("admin", Role.REGION, True),
    ("region", Role.DELEGATION, True),
    ("region", Role.REGION, False),
    ("delegation", Role.COORDINATEUR, True),
    ("delegation", Role.ELU, True),
    ("delegation", Role.DELEGATION, True),
    ("coordinateur", Role.PILOTE, True),
    ("coordinateur", Role.ELU, True),
    ("coordinateur", Role.COORDINATEUR, False),
    ("coordinateur", Role.DELEGATION, False),
    ("pilote", Role.PILOTE, False),
    ("elu", Role.ELU, False),
    ("delegation", Role.ADMIN, False),
])
def test_who_may_invite_whom(world, inviter, role, allowed):
    t = world.own
    scope = {"contract": t.contract}
    if role == Role.DELEGATION:
        scope = {"departements": [t.departement]}
    if role == Role.REGION:
        scope = {"region": t.region}
    assert permissions.can_invite(world.users[inviter], role=role, **scope)[0] is allowed


def test_nobody_grants_beyond_his_territory(world):
    own, other = world.own, world.other
    assert not permissions.can_invite(own.people["region"], role=Role.DELEGATION, departements=[other.departement])[0]
    assert not permissions.can_invite(own.people["delegation"], role=Role.COORDINATEUR, contract=other.contract)[0]
    assert not permissions.can_invite(own.people["coordinateur"], role=Role.PILOTE, contract=other.contract)[0]


def test_invitation_to_a_role_the_sender_does_not_hold_creates_nothing(client, world):
    pilot = world.users["pilote"]
    with pytest.raises(DomainError) as err:
        _invite(pilot, email="x@example.fr", role=Role.PILOTE, contract=world.own.contract)
    assert "délégation et le coordinateur" in err.value.message
    # Through the page: 403 with the reason, nothing created.
    client.force_login(world.users["coordinateur"])
    response = client.post(reverse("people:people", kwargs={"pk": world.own.contract.pk}),
                           {"email": "y@example.fr", "role": Role.COORDINATEUR})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Invitation.objects.filter(email__in=["x@example.fr", "y@example.fr"]).exists()


# --- create, e-mail, accept ---------------------------------------------------------------------------------

def test_invitation_expires_in_seven_days_and_email_has_absolute_link(world, settings,
                                                                    django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://cls.example.fr"
    with django_capture_on_commit_callbacks(execute=True):
        inv = _invite(world.users["delegation"], email="  Nouvelle.Coord@Example.FR ", role=Role.COORDINATEUR,
                      contract=world.own.contract)
    assert inv.email == "nouvelle.coord@example.fr"
    assert abs(inv.expires_at - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)
    assert inv.organisation == world.own.contract.collectivite
    sent = [m for m in mail.outbox if m.to == ["nouvelle.coord@example.fr"]]
    assert len(sent) == 1
    assert f"https://cls.example.fr/invitation/{inv.token}/" in sent[0].body
    inv.refresh_from_db()
    assert inv.sent_at is not None


def test_accept_by_password_creates_user_role_and_coordination(client, world):
    contract = world.own.contract
    inv = _invite(world.users["delegation"], email="coord@example.fr", role=Role.COORDINATEUR, contract=contract)
    response = _accept_by_password(client, inv)
    assert response.status_code == 302
    user = User.objects.get(email="coord@example.fr")
    assert user.has_role(Role.COORDINATEUR)
    assert contract.coordinators.filter(pk=user.pk).exists()
    assert client.get(reverse("accounts:home")).status_code == 302  # signed in
    inv.refresh_from_db()
    assert inv.accepted_by == user
    # Used twice: a clear message, nothing more created.
    client.logout()
    response = _accept_by_password(client, inv)
    assert response.status_code == 410
    assert "déjà été utilisée" in response.content.decode()
    assert User.objects.filter(email__iexact="coord@example.fr").count() == 1


@pytest.mark.parametrize("state,message", [
    ("expired", "a expiré le"),
    ("revoked", "a été annulée"),
])
def test_expired_or_revoked_invitation_creates_nothing(client, world, state, message):
    inv = _invite(world.users["coordinateur"], email="pilote.neuf@example.fr", role=Role.PILOTE,
                  contract=world.own.contract)
    if state == "expired":
        Invitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    else:
        services.invitation_revoke(actor=world.users["coordinateur"], invitation=inv)
    n_users, n_roles = User.objects.count(), RoleMembership.objects.count()
    page = client.get(reverse("accounts:invitation_accept", kwargs={"token": inv.token}))
    assert message in page.content.decode()
    response = _accept_by_password(client, inv)
    assert response.status_code == 410
    assert message in response.content.decode()
    assert (User.objects.count(), RoleMembership.objects.count()) == (n_users, n_roles)


def test_resend_gives_a_new_link_and_seven_more_days(world, django_capture_on_commit_callbacks):
    actor = world.users["coordinateur"]
    inv = _invite(actor, email="p@example.fr", role=Role.PILOTE, contract=world.own.contract)
    Invitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    old_token = inv.token
    with django_capture_on_commit_callbacks(execute=True):
        inv = services.invitation_resend(actor=actor, invitation=inv)
    assert inv.token != old_token and inv.expires_at > timezone.now() + dt.timedelta(days=6)
    assert services.invitation_problem(Invitation.objects.filter(token=old_token).first()).startswith(
        "Ce lien d'invitation n'est pas valide")
    assert any(inv.token in m.body for m in mail.outbox)


def test_same_person_whatever_the_case_of_the_address(client, world):
    """An existing account invited with its address in capitals: no second account; he signs in and accepts."""
    existing = world.users["pilote"]
    existing.email = "Pierre.Pilote@Example.fr"
    existing.save()
    inv = _invite(world.users["coordinateur"], email="PIERRE.PILOTE@EXAMPLE.FR", role=Role.ELU,
                  contract=world.own.contract)
    response = _accept_by_password(client, inv)
    assert "Un compte existe déjà pour cette adresse" in response.content.decode()
    assert User.objects.filter(email__iexact="pierre.pilote@example.fr").count() == 1
    client.force_login(existing)
    response = client.post(reverse("accounts:invitation_accept", kwargs={"token": inv.token}))
    assert response.status_code == 302
    existing.forget_roles()
    assert existing.has_role(Role.ELU)


def test_a_second_pending_invitation_for_the_same_address_is_refused(world):
    _invite(world.users["coordinateur"], email="dup@example.fr", role=Role.PILOTE, contract=world.own.contract)
    with pytest.raises(DomainError, match="attend déjà"):
        _invite(world.users["coordinateur"], email="DUP@example.fr", role=Role.PILOTE, contract=world.own.contract)


def test_someone_else_signed_in_cannot_accept(client, world):
    inv = _invite(world.users["coordinateur"], email="quelquun@example.fr", role=Role.ELU, contract=world.own.contract)
    client.force_login(world.users["pilote"])
    client.post(reverse("accounts:invitation_accept", kwargs={"token": inv.token}))
    inv.refresh_from_db()
    assert inv.accepted_at is None
    assert not world.users["pilote"].memberships.filter(role=Role.ELU).exists()


# --- roles: remove, hand over ---------------------------------------------------------------------------------

def test_remove_a_role_keeps_the_person_and_history(client, world):
    contract, elu = world.own.contract, world.users["elu"]
    membership = elu.memberships.get(role=Role.ELU)
    client.force_login(world.users["coordinateur"])
    url = reverse("people:role_remove", kwargs={"pk": contract.pk, "membership_pk": membership.pk})
    # First a confirmation page (RGAA 11.12): nothing removed yet
    page = client.post(url)
    assert page.status_code == 200
    assert "Retirer le rôle « Élu ou élue » de" in page.content.decode()
    assert RoleMembership.objects.filter(pk=membership.pk).exists()
    assert not HistoryEntry.objects.filter(action="accounts_role_retire", contract_id=contract.pk).exists()
    response = client.post(url, {"confirme": "1"})
    assert response.status_code == 302
    assert User.objects.filter(pk=elu.pk).exists()
    assert not RoleMembership.objects.filter(pk=membership.pk).exists()
    line = HistoryEntry.objects.get(action="accounts_role_retire", contract_id=contract.pk)
    assert line.actor == world.users["coordinateur"]


def test_removing_a_coordinator_is_confirmed_first(client, world):
    contract, coordinator = world.own.contract, world.users["coordinateur"]
    client.force_login(world.users["delegation"])
    url = reverse("people:coordinator_remove", kwargs={"pk": contract.pk, "user_pk": coordinator.pk})
    page = client.post(url).content.decode()
    assert "Retirer la coordination de ce contrat à" in page and 'name="confirme" value="1"' in page
    assert coordinator in contract.coordinators.all()
    client.post(url, {"confirme": "1"})
    assert coordinator not in contract.coordinators.all()


def test_hand_over_the_coordination(client, world, django_capture_on_commit_callbacks):
    contract, old = world.own.contract, world.users["coordinateur"]
    client.force_login(old)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:hand_over", kwargs={"pk": contract.pk}),
                               {"email": "successeur@example.fr", "first_name": "Sam", "last_name": "Suivant"})
    assert response.status_code == 302
    inv = Invitation.objects.get(email="successeur@example.fr")
    assert inv.replaces == old and inv.role == Role.COORDINATEUR
    client.logout()
    _accept_by_password(client, inv)
    new = User.objects.get(email="successeur@example.fr")
    assert list(contract.coordinators.all()) == [new]
    old.forget_roles()
    assert not old.has_role(Role.COORDINATEUR)
    # The coordinators' terms are dated (the regional figures of a past date read them).
    from django.utils import timezone

    from contracts.models import CoordinatorTerm

    today = timezone.localdate()
    terms = {t.user_id: (t.debut, t.fin) for t in CoordinatorTerm.objects.filter(contract=contract)}
    assert terms[new.pk] == (today, None)
    assert terms[old.pk][1] == today


def test_people_page_lists_people_and_roles(client, world, snapshot):
    contract = world.own.contract
    client.force_login(world.users["delegation"])
    client.get(reverse("people:people", kwargs={"pk": contract.pk}))  # session and caches warm
    with assert_snapshot_queries(snapshot):
        page = client.get(reverse("people:people", kwargs={"pk": contract.pk})).content.decode()
    for person in ("coordinateur", "pilote", "elu", "delegation"):
        assert str(world.users[person]) in page
    assert "invite-own@example.fr" in page


def test_people_page_queries_do_not_grow_with_invitations(client, world):
    contract, url = world.own.contract, reverse("people:people", kwargs={"pk": world.own.contract.pk})
    client.force_login(world.users["delegation"])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(5):
        _invite(world.users["delegation"], email=f"n{i}@example.fr", role=Role.ELU, contract=contract)
    with CaptureQueriesContext(connection) as six:
        client.get(url)
    assert len(six) == len(one)


def test_copilot_invitation_adds_him_to_the_sheet_copilots(client, world):
    fiche = world.own.fiche
    inv = _invite(world.users["coordinateur"], email="co@example.fr", role=Role.PILOTE, contract=world.own.contract,
                  fiche=fiche, copilote=True)
    _accept_by_password(client, inv)
    user = User.objects.get(email="co@example.fr")
    assert fiche.copilotes_personnes.filter(pk=user.pk).exists()
    fiche.refresh_from_db()
    assert fiche.pilote_personne != user
    # He pilots nothing else: the sheet is his start page.
    assert client.get(reverse("accounts:home"))["Location"] == reverse("actions:fiche_detail", kwargs={"pk": fiche.pk})


def test_a_sheet_of_another_contract_is_refused(world):
    with pytest.raises(DomainError, match="n'appartient pas au contrat"):
        _invite(world.users["coordinateur"], email="x@example.fr", role=Role.PILOTE, contract=world.own.contract,
                fiche=world.other.fiche)


def test_admin_lists_invitations_read_only(client, world):
    client.force_login(world.users["admin"])
    response = client.get(reverse("admin:accounts_invitation_changelist"))
    assert response.status_code == 200 and "invite-own@example.fr" in response.content.decode()
    assert client.get(reverse("admin:accounts_invitation_add")).status_code == 403


@pytest.mark.parametrize("nxt,expected", [
    ("/cls/", "/cls/"),                          # a page of the portal: back to it
    ("//evil.example/", None),                   # another site: the invitations page instead
    ("/\\evil.example/", None),                  # read as //evil.example by browsers
    ("https://evil.example/", None),
    ("11", None),                                # a bare word (found by the form fuzzer): no 500
])
def test_revoke_goes_back_only_to_a_page_of_the_portal(client, world, nxt, expected):
    actor = world.users["coordinateur"]
    inv = _invite(actor, email="p@example.fr", role=Role.PILOTE, contract=world.own.contract)
    client.force_login(actor)
    response = client.post(reverse("accounts:invitation_revoke", kwargs={"pk": inv.pk}), {"next": nxt})
    assert response.status_code == 302
    assert response["Location"] == (expected or reverse("accounts:invitations"))
