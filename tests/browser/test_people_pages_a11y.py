"""axe-core on the pages of issue 14: login with ProConnect, an invitation, a contract's people, the
invitations page, the legal pages (footer links), the header's notification count."""

import pytest
from playwright.sync_api import expect

from cls_portal.accounts import services
from cls_portal.accounts.models import Role
from cls_portal.notifications.services import notify
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import login


@pytest.fixture
def people(transactional_db, settings):
    settings.PROCONNECT_ENABLED = True  # the button is shown (the provider itself is not needed here)
    from tests.world import build_world

    world = build_world()
    for role in ("coordinateur", "delegation"):
        world.users[role].set_password("demo")
        world.users[role].save()
    return world


def test_people_pages_are_accessible(page, people):
    world = people
    invitation = services.invitation_create(actor=world.users["coordinateur"], email="nouveau@example.fr",
                                            role=Role.PILOTE, contract=world.own.contract)
    page.goto("/connexion/")
    expect(page.get_by_role("button", name="S'identifier avec ProConnect")).to_be_visible()
    expect(page.get_by_role("link", name="annuaire public des contrats locaux de santé")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/invitation/{invitation.token}/")
    assert_accessible(page)
    page.goto("/invitation/lien-inconnu/")
    expect(page.get_by_text("Ce lien d'invitation n'est pas valide")).to_be_visible()
    assert_accessible(page)
    # Footer: each legal page, reached by its link.
    page.goto("/connexion/")
    for label, heading in [("Mentions légales", "Mentions légales"), ("Données personnelles", "Données personnelles"),
                           ("Accessibilité : partiellement conforme", "Déclaration d'accessibilité"),
                           ("Plan du site", "Plan du site"), ("Aide", "Aide")]:
        page.locator("#footer").get_by_role("link", name=label, exact=True).click()
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        assert_accessible(page)

    notify(users=[world.users["coordinateur"]], kind="rapport", title="Rapport publié")
    login(page, world.users["coordinateur"].username)
    page.goto(f"/cls/{world.own.contract.pk}/personnes/")
    expect(page.get_by_role("heading", name="Personnes du contrat")).to_be_visible()
    assert_accessible(page)
    page.locator("[data-header-notifications]").first.click()
    expect(page.get_by_role("heading", name="Mes notifications")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()
    login(page, world.users["delegation"].username)
    page.get_by_role("link", name="Inviter").first.click()
    expect(page.get_by_role("heading", name="Inviter une personne")).to_be_visible()
    assert_accessible(page)
