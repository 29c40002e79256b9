"""What an invited person reads: who invites, to which role, where (the e-mail, the link's page, the welcome
message, the list of invitations sent), seen from an empty database brought into service (README « Mettre une
région en service »): the first administrator has no name, délégation agents are invited for départements, the
référents of imported contracts already have an account."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from cls_portal.accounts import services
from cls_portal.accounts.models import Role
from tests import factories as f

PASSWORD = "Un-mot-de-passe-solide-2026"


def _sent_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_a_delegation_invitation_names_its_departements_everywhere(client, world,
                                                                   django_capture_on_commit_callbacks):
    own = world.own
    second = f.DepartementFactory(code="9A", nom="Second département", region=own.region)
    inviter = own.people["region"]
    with django_capture_on_commit_callbacks(execute=True):
        inv = services.invitation_create(actor=inviter, email="agent.dd@example.fr", role=Role.DELEGATION,
                                         departements=[second, own.departement])
    deps = sorted([own.departement, second], key=lambda d: d.code)
    expected = f"pour les départements {deps[0]} et {deps[1]}"
    body = _sent_to("agent.dd@example.fr")[0].body
    assert f"avec le rôle : Référent de délégation départementale, {expected}." in body
    page = client.get(reverse("accounts:invitation_accept", kwargs={"token": inv.token})).content.decode()
    assert expected in page
    client.force_login(inviter)
    assert expected in client.get(reverse("accounts:invitations")).content.decode()


def test_one_departement_is_named_in_the_singular(world):
    inv = services.invitation_create(actor=world.own.people["region"], email="seul@example.fr",
                                     role=Role.DELEGATION, departements=[world.own.departement])
    assert inv.scope_text() == f"pour le département {world.own.departement}"


def test_the_first_administrator_signs_with_his_address_not_his_login(world, django_capture_on_commit_callbacks):
    # `createsuperuser` asks a login and an address, never a name: the e-mail read « admin vous invite ».
    admin = f.UserFactory(username="admin-sans-nom", first_name="", last_name="", email="dsi@ars.example.fr",
                          is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(actor=admin, email="equipe@example.fr", role=Role.REGION,
                                   region=world.own.region)
    body = _sent_to("equipe@example.fr")[0].body
    assert "dsi@ars.example.fr vous invite" in body
    assert "admin-sans-nom" not in body
    assert f"pour la région {world.own.region}" in body


def test_the_welcome_message_keeps_the_role_as_written(client, world):
    inv = services.invitation_create(actor=world.users["admin"], email="nouvelle@example.fr", role=Role.REGION,
                                     region=world.own.region)
    response = client.post(reverse("accounts:invitation_accept", kwargs={"token": inv.token}), {
        "first_name": "Claire", "last_name": "Martin", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    # It read « vous êtes désormais équipe régionale de l'ars sur le portail ».
    assert message == (f"Bienvenue : vous avez désormais le rôle « Équipe régionale de l'ARS » pour la région "
                       f"{world.own.region} sur le portail.")


def test_someone_who_already_has_an_account_is_told_to_sign_in(client, world, django_capture_on_commit_callbacks):
    agent = world.own.people["delegation"]
    with django_capture_on_commit_callbacks(execute=True):
        inv = services.invitation_create(actor=world.own.people["region"], email=agent.email.upper(),
                                         role=Role.DELEGATION, departements=[world.own.departement])
    body = _sent_to(agent.email.lower())[0].body
    assert "Vous avez déjà un compte sur le portail" in body
    assert "Vous y choisirez un mot de passe" not in body
    url = reverse("accounts:invitation_accept", kwargs={"token": inv.token})
    page = client.get(url).content.decode()
    assert f'{reverse("accounts:login")}?next={url}' in page
    assert 'name="password1"' not in page


@pytest.mark.parametrize("email", ["personne.nouvelle@example.fr"])
def test_a_new_person_still_chooses_a_password(client, world, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inv = services.invitation_create(actor=world.own.people["region"], email=email, role=Role.DELEGATION,
                                         departements=[world.own.departement])
    assert "Vous y choisirez un mot de passe" in _sent_to(email)[0].body
    page = client.get(reverse("accounts:invitation_accept", kwargs={"token": inv.token})).content.decode()
    assert 'name="password1"' in page
