"""ProConnect end to end (issue 14) against a real OpenID Connect provider (npm `oidc-provider`) started on
127.0.0.1 by the test: an invited pilot signs in and lands on his sheet; an unknown address gets no account;
signing out of the portal ends the provider's session too."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cls_portal.accounts import services
from cls_portal.accounts.models import Invitation, Role, User
from tests import factories as f
from tests.support.oidc_provider import oidc_provider  # noqa: F401  (fixture)


def _no_external_fonts(page):
    page.route("https://fonts.googleapis.com/**", lambda route: route.abort())


def proconnect_sign_in(page, login: str, consent: bool = True):
    """On the portal's login page: the ProConnect button, then the provider's own forms."""
    page.get_by_role("button", name="S'identifier avec ProConnect").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("mot-de-passe-du-fournisseur")
    page.get_by_role("button", name="Sign-in").click()
    if consent:
        page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


@pytest.fixture
def cls_with_sheet(transactional_db):
    dep = f.DepartementFactory(code="14", nom="Calvados", region=f.RegionFactory(code="28", nom="Normandie"))
    delegation = f.DelegationFactory(departement=dep)
    coordinator = f.with_role(f.UserFactory(username="coordinatrice", email="coord@example.fr"), Role.COORDINATEUR)
    contract = f.ContractFactory(nom="Contrat local de santé de Bayeux", ars=delegation.ars, delegations=[delegation],
                                 coordinators=[coordinator], communes=[f.CommuneFactory(departement=dep)])
    axe = f.AxeFactory(contract=contract, numero=1, titre="Accès aux soins")
    fiche = f.FicheActionFactory(axe=axe, numero=1, titre="Maison de santé de Bayeux")
    return coordinator, contract, fiche


def test_invited_pilot_signs_in_with_proconnect_lands_on_his_sheet_and_signs_out(page, oidc_provider,  # noqa: F811
                                                                                  cls_with_sheet):
    coordinator, contract, fiche = cls_with_sheet
    org = f.OrganisationFactory(nom="CPAM du Calvados", type="cpam")
    services.invitation_create(actor=coordinator, email="paul.pilote@cpam.example.fr", role=Role.PILOTE,
                               contract=contract, organisation=org, fiche=fiche)
    _no_external_fonts(page)
    page.goto("/connexion/")
    # The same person whatever the case ProConnect gives the address in.
    proconnect_sign_in(page, "Paul.Pilote@CPAM.example.fr")
    expect(page.get_by_role("heading", name="Maison de santé de Bayeux")).to_be_visible()
    assert page.url.endswith(f"/plan-action/fiches/{fiche.pk}/")
    user = User.objects.get(email__iexact="paul.pilote@cpam.example.fr")
    assert user.has_role(Role.PILOTE) and not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Paul", "Pilote")
    fiche.refresh_from_db()
    assert fiche.pilote_personne == user

    # Signing out of the portal ends the provider's session: signing in again asks for the login again.
    page.get_by_role("button", name="Se déconnecter").click()
    assert page.url.startswith(oidc_provider.issuer)
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page.get_by_role("heading", name="Connexion au portail")).to_be_visible()
    page.get_by_role("button", name="S'identifier avec ProConnect").click()
    expect(page.locator("input[name=login]")).to_be_visible()


def test_unknown_address_gets_no_account_and_no_role(page, oidc_provider, cls_with_sheet):  # noqa: F811
    _no_external_fonts(page)
    n_users = User.objects.count()
    page.goto("/connexion/")
    proconnect_sign_in(page, "inconnu@collectivite.example.fr")
    expect(page.get_by_role("heading", name="Connexion au portail")).to_be_visible()
    expect(page.get_by_text("Aucun compte du portail ni aucune invitation en cours ne correspond à l'adresse "
                            "inconnu@collectivite.example.fr")).to_be_visible()
    assert User.objects.count() == n_users


def test_existing_user_signs_in_with_proconnect(page, oidc_provider, cls_with_sheet):  # noqa: F811
    _no_external_fonts(page)
    page.goto("/connexion/")
    proconnect_sign_in(page, "COORD@example.fr")
    expect(page.get_by_role("heading", name="Mon CLS")).to_be_visible()


def test_expired_invitation_through_proconnect_says_so_and_creates_nothing(page, oidc_provider,  # noqa: F811
                                                                           cls_with_sheet):
    coordinator, contract, _fiche = cls_with_sheet
    inv = services.invitation_create(actor=coordinator, email="tard@example.fr", role=Role.ELU, contract=contract)
    Invitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    _no_external_fonts(page)
    page.goto("/connexion/")
    proconnect_sign_in(page, "tard@example.fr")
    expect(page.get_by_text("Cette invitation a expiré le")).to_be_visible()
    assert not User.objects.filter(email__iexact="tard@example.fr").exists()
