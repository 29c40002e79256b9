"""The journey of issue 14, without ever opening an /admin/ URL: the superuser invites a regional-team member,
who invites a délégation member, who invites a coordinator; the coordinator accepts by setting a password and
invites a pilot; the pilot signs in through ProConnect (a real OpenID Connect provider on 127.0.0.1) and lands
on the sheet he pilots. Each invitation is read from a real SMTP mailbox (aiosmtpd) and its absolute link
followed."""

import pytest
from playwright.sync_api import expect

from cls_portal.accounts.models import Role, User
from tests import factories as f
from tests.browser.conftest import login
from tests.support.oidc_provider import oidc_provider  # noqa: F401  (fixture)
from tests.support.smtp import smtp  # noqa: F401  (fixture)

PASSWORD = "Journee-des-personnes-2026"


@pytest.fixture
def territory(transactional_db):
    """What the empty-database set-up leaves: territories, a collectivité's contract with one sheet, a superuser."""
    region = f.RegionFactory(code="28", nom="Normandie")
    dep = f.DepartementFactory(code="14", nom="Calvados", region=region)
    f.DepartementFactory(code="52", nom="Haute-Marne", region=f.RegionFactory(code="44", nom="Grand Est"))
    delegation = f.DelegationFactory(departement=dep)
    contract = f.ContractFactory(nom="Contrat local de santé de Bayeux Intercom", ars=delegation.ars,
                                 delegations=[delegation], communes=[f.CommuneFactory(departement=dep)])
    axe = f.AxeFactory(contract=contract, numero=1, titre="Accès aux soins")
    fiche = f.FicheActionFactory(axe=axe, numero=1, titre="Maison de santé de Bayeux")
    # an organisation of the région: a pilot's organisation is chosen among those of the contract's région
    f.OrganisationFactory(nom="CPAM du Calvados", type="cpam", departement=dep)
    admin = f.UserFactory(username="admin", is_staff=True, is_superuser=True)
    admin.set_password(PASSWORD)
    admin.save()
    return contract, fiche


def _fill_invitation(page, email, first, last, role):
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Prénom", exact=True).fill(first)
    page.get_by_label("Nom", exact=True).fill(last)
    page.get_by_label("Rôle").select_option(label=role)


def _accept_by_password(page, link):
    page.goto(link)
    expect(page.get_by_role("heading", name="Invitation au portail")).to_be_visible()
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Accepter l'invitation").click()
    page.wait_for_load_state()


def _sign_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name="Connexion au portail")).to_be_visible()


def test_people_journey_without_admin(page, live_server, settings, smtp, oidc_provider, territory):  # noqa: F811
    contract, fiche = territory
    settings.SITE_URL = live_server.url
    mailbox = smtp()
    opened = []
    page.on("request", lambda request: opened.append(request.url))
    page.route("https://fonts.googleapis.com/**", lambda route: route.abort())

    # 1. The superuser invites a member of the regional team.
    login(page, "admin", PASSWORD)
    page.get_by_role("link", name="Inviter").first.click()
    _fill_invitation(page, "Rita.Region@ars.sante.fr", "Rita", "Region", "Équipe régionale de l'ARS")
    page.get_by_label("Région (équipe régionale)").select_option(label="Normandie")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_text("Invitation envoyée à rita.region@ars.sante.fr.")).to_be_visible()
    _sign_out(page)

    # 2. She accepts by setting a password (link from the e-mail), and invites a délégation member.
    link = mailbox.last_link_to("rita.region@ars.sante.fr")
    assert link.startswith(live_server.url + "/invitation/")
    _accept_by_password(page, link)
    expect(page.get_by_text("vous avez désormais le rôle « Équipe régionale de l'ARS » pour la région Normandie")) \
        .to_be_visible()
    page.get_by_role("link", name="Inviter").first.click()
    _fill_invitation(page, "dan.delegation@ars.sante.fr", "Dan", "Delegation",
                     "Référent de délégation départementale")
    expect(page.get_by_label("Haute-Marne (52)")).to_have_count(0)  # not her région: not offered
    page.get_by_text("Calvados (14)", exact=True).click()  # the DSFR label covers its checkbox
    expect(page.get_by_label("Calvados (14)")).to_be_checked()
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_text("Invitation envoyée à dan.delegation@ars.sante.fr.")).to_be_visible()
    _sign_out(page)

    # 3. The délégation member accepts and invites the coordinator from the contract's people page.
    _accept_by_password(page, mailbox.last_link_to("dan.delegation@ars.sante.fr"))
    page.goto(f"/cls/{contract.pk}/personnes/")
    _fill_invitation(page, "claire.coord@bayeux-intercom.fr", "Claire", "Coord", "Coordinateur ou coordinatrice de CLS")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_text("Invitation envoyée à claire.coord@bayeux-intercom.fr.")).to_be_visible()
    _sign_out(page)

    # 4. The coordinator accepts by password, lands on her CLS, and invites a pilot for the sheet.
    _accept_by_password(page, mailbox.last_link_to("claire.coord@bayeux-intercom.fr"))
    expect(page.get_by_role("heading", name="Mon CLS")).to_be_visible()
    page.goto(f"/cls/{contract.pk}/personnes/")
    expect(page.get_by_role("cell", name="Coordinateur ou coordinatrice", exact=True)).to_be_visible()
    _fill_invitation(page, "paul.pilote@cpam.example.fr", "Paul", "Pilote", "Pilote d'action")
    page.get_by_label("Organisation du pilote").select_option(label="CPAM du Calvados")
    page.get_by_label("Fiche action à piloter").select_option(label=str(fiche))
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_text("Invitation envoyée à paul.pilote@cpam.example.fr.")).to_be_visible()
    _sign_out(page)

    # 5. The pilot opens his link and signs in with ProConnect: he lands on the sheet he pilots.
    page.goto(mailbox.last_link_to("paul.pilote@cpam.example.fr"))
    page.get_by_role("button", name="S'identifier avec ProConnect").click()
    page.locator("input[name=login]").fill("paul.pilote@cpam.example.fr")
    page.locator("input[name=password]").fill("secret-chez-le-fournisseur")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Maison de santé de Bayeux")).to_be_visible()
    assert page.url == f"{live_server.url}/plan-action/fiches/{fiche.pk}/"

    people = {u.email: u for u in User.objects.exclude(username="admin")}
    assert people["rita.region@ars.sante.fr"].region_codes() == {"28"}
    assert people["dan.delegation@ars.sante.fr"].departement_codes() == {"14"}
    assert list(contract.coordinators.all()) == [people["claire.coord@bayeux-intercom.fr"]]
    assert people["paul.pilote@cpam.example.fr"].has_role(Role.PILOTE)
    assert not [url for url in opened if "/admin/" in url], "une URL d'administration a été ouverte"
