"""A région goes live from an empty database (issue 13), in a real browser, without the Django admin.

`migrate` (the test database), `import_territories`, `createsuperuser`: nothing else. The regional team
imports three existing CLS (one on a list of communes) from the downloaded template and creates a new
one; the délégation adds a step and moves it up; the coordinator creates a partner organisation and a
sheet whose pilot has no account. No URL under /admin/ is ever requested (asserted on every request).

The regional team also states the région's funding rule and imports past funding years and a past indicator
value; the délégation invites the imported coordinator from the people page in one click. The people
themselves are fixtures: the coordinator's existing account gets the role the invitation gives (accepting an
invitation is tested in tests/accounts).
"""

import io
import os

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from cls_portal.accounts.models import Role, RoleMembership
from cls_portal.territories.models import Region
from contracts.models import Contract, PendingContact
from tests import factories as f
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import login

SHOTS = os.environ.get("SHOTS_DIR", "")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS = [
    ["CLS de Bayeux Intercom", "241400555", "", "Mise en œuvre et évaluation", "", "15/03/2021", "12/10/2022",
     "11/10/2027", "camille.lefevre@bayeux-intercom.fr", "nicolas.dupont@ars.sante.fr"],
    ["CLS du Pays de Honfleur (Calvados)", "200066827", "14001 14041 14202", "Diagnostic", "01/09/2024",
     "15/01/2025", "", "", "coordination@honfleur.example.fr", ""],
    ["CLS Cœur de Nacre", "241400860", "", "Phase préalable", "01/10/2025", "", "", "", "", ""],
]


def shot(page, name):
    if not SHOTS:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def filled_template(page, link, rows) -> bytes:
    """Download the template behind `link`, append `rows` to its first sheet."""
    with page.expect_download() as download:
        page.get_by_role("link", name=link).click()
    with open(download.value.path(), "rb") as fh:
        wb = load_workbook(io.BytesIO(fh.read()))
    for row in rows:
        wb.worksheets[0].append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def assert_no_sideways_scroll(page):
    """At 390 px the page is no wider than the window (the crawl's rule), for the pages this journey adds."""
    page.set_viewport_size({"width": 390, "height": 900})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert width <= 390, width


def logout(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()


@pytest.fixture
def empty_region(monkeypatch):
    """`import_territories` and `createsuperuser` on the freshly migrated database, then the people."""
    call_command("import_territories", verbosity=0)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "demo")
    call_command("createsuperuser", interactive=False, username="admin", email="admin@example.fr", verbosity=0)
    assert not Contract.objects.exists()
    people = {
        "region": f.with_role(f.UserFactory(username="equipe-normandie", first_name="Inès", last_name="Morel"),
                              Role.REGION, region=Region.objects.get(code="28")),
        "delegation": f.with_role(f.UserFactory(username="dd14", first_name="Nicolas", last_name="Dupont",
                                                email="nicolas.dupont@ars.sante.fr"),
                                  Role.DELEGATION, departements=["14"]),
        "coordinateur": f.UserFactory(username="camille", first_name="Camille", last_name="Lefèvre",
                                      email="camille.lefevre@bayeux-intercom.fr"),
    }
    for user in people.values():
        user.set_password("demo")
        user.save()
    return people


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_region_goes_live_without_the_admin(page, empty_region):
    requested = []
    page.context.on("request", lambda request: requested.append(request.url))

    # 1. The regional team downloads the template, fills in three existing CLS and imports them.
    login(page, "equipe-normandie")
    page.goto("/cls/")
    page.get_by_role("link", name="Importer des CLS existants").click()
    expect(page.get_by_role("heading", name="Importer les CLS existants — Normandie")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="modèle Excel des contrats").click()
    with open(download.value.path(), "rb") as fh:
        wb = load_workbook(io.BytesIO(fh.read()))
    for row in ROWS:
        wb.worksheets[0].append(row)
    buf = io.BytesIO()
    wb.save(buf)
    page.get_by_label("Fichier à importer").set_input_files(
        files=[{"name": "cls-normandie.xlsx", "mimeType": XLSX, "buffer": buf.getvalue()}])
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_text("3 contrats à créer, 0 déjà présent.")).to_be_visible()
    expect(page.get_by_role("cell", name="3 communes")).to_be_visible()
    shot(page, "import-preview")
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_text("3 contrats importés, 0 déjà présent laissé tel quel")).to_be_visible()
    honfleur = Contract.objects.get(nom="CLS du Pays de Honfleur (Calvados)")
    assert sorted(honfleur.communes.values_list("code", flat=True)) == ["14001", "14041", "14202"]
    assert honfleur.epci is None
    assert PendingContact.objects.filter(email="camille.lefevre@bayeux-intercom.fr").exists()

    # 1b. Normandie's funding rule, from 2022 (a région's first rule may start in a past year), then the past
    # funding years of Bayeux from their template; 2021 (its letter of intent) is refused: no rule of the
    # région covers it, and no other région's rule stands in.
    page.goto("/financements/regles/nouvelle/")
    page.get_by_label("En vigueur à partir du").fill("2022-01-01")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Nouvelle version de la règle Normandie enregistrée.")).to_be_visible()
    page.goto("/region/cls/import/")
    page.get_by_role("link", name="importer les années de financement passées").click()
    page.get_by_label("Fichier à importer").set_input_files(files=[{
        "name": "financements.xlsx", "mimeType": XLSX, "buffer": filled_template(page, "modèle Excel", [
            ["CLS de Bayeux Intercom", 2021, 1, 12, 32000, 11000, 3000, 23000, 0, 23000, 23000],
            ["CLS de Bayeux Intercom", 2023, 1, 12, 32000, 11000, 3000, 23000, 0, 23000, 23000]])}])
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_text("Aucune règle de financement de la région Normandie ne couvre 2021")).to_be_visible()
    shot(page, "import-funding-errors")
    page.get_by_label("Fichier à importer").set_input_files(files=[{
        "name": "financements.xlsx", "mimeType": XLSX, "buffer": filled_template(page, "modèle Excel", [
            ["CLS de Bayeux Intercom", 2023, 1, 12, 32000, 11000, 3000, 23000, 0, 23000, 23000],
            ["CLS de Bayeux Intercom", 2024, "0,8", 12, 29000, 10000, 3000, 20000, 2000, 20000, 10000]])}])
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_text("2 lignes valides, dont 2 à créer ou modifier.")).to_be_visible()
    shot(page, "import-funding-preview")
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_text("Import terminé : 2 années créées, 0 modifiée, 0 inchangée.")).to_be_visible()
    bayeux = Contract.objects.get(nom="CLS de Bayeux Intercom")
    page.goto(f"/financements/cls/{bayeux.pk}/")
    expect(page.get_by_text("Règle Normandie en vigueur depuis le 01/01/2022 : 50 %").first).to_be_visible()
    shot(page, "funding-imported-years")
    assert_no_sideways_scroll(page)

    # 2. …and opens a new CLS whose collectivité porteuse is created from its EPCI code.
    page.goto("/cls/")
    page.get_by_role("link", name="Nouveau contrat").click()
    page.get_by_label("Nom du contrat").fill("CLS de Val ès Dunes")
    page.get_by_label("… ou la créer à partir d'un EPCI ou d'une commune").fill("200065589")
    page.get_by_label("Référent ARS").select_option(label="Nicolas Dupont")
    page.get_by_label("Début de la phase préalable").fill("2026-01-05")
    page.get_by_label("Signature prévue").fill("2027-07-05")
    shot(page, "contract-create")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="CLS de Val ès Dunes", exact=True)).to_be_visible()
    expect(page.get_by_text("Le contrat a été créé en phase préalable")).to_be_visible()
    new = Contract.objects.get(nom="CLS de Val ès Dunes")
    assert new.collectivite.nom == "CC Val ès Dunes" and new.communes.count() == 19
    logout(page)

    # 3. The délégation adds a step and moves it before the signature.
    login(page, "dd14")
    page.goto(f"/cls/{new.pk}/")
    page.get_by_role("link", name="Ajouter une étape").click()
    page.get_by_label("Titre de l'étape").fill("Forum santé avec les habitants")
    page.get_by_label("Phase").select_option(label="Diagnostic et élaboration du plan d'action")
    page.get_by_label("Échéance prévue").fill("2027-03-31")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("L'étape a été ajoutée.")).to_be_visible()
    titles = list(new.steps.order_by("ordre").values_list("titre", flat=True))
    assert titles.index("Forum santé avec les habitants") == titles.index(
        "Validation du plan d'action et signature du CLS") + 1
    page.get_by_role("button", name="Monter « Forum santé avec les habitants »").click()
    expect(page.get_by_text("L'étape « Forum santé avec les habitants » a été déplacée.")).to_be_visible()
    titles = list(new.steps.order_by("ordre").values_list("titre", flat=True))
    assert titles.index("Forum santé avec les habitants") + 1 == titles.index(
        "Validation du plan d'action et signature du CLS")
    page.locator("#etapes").scroll_into_view_if_needed()
    shot(page, "steps-delegation")
    assert_accessible(page)

    # 3b. The délégation invites the imported coordinator of Bayeux in one click from the people page.
    bayeux = Contract.objects.get(nom="CLS de Bayeux Intercom")
    page.goto(f"/cls/{bayeux.pk}/personnes/")
    expect(page.get_by_role("heading", name="Contacts importés à inviter")).to_be_visible()
    shot(page, "people-pending-contacts")
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Inviter camille.lefevre@bayeux-intercom.fr").click()
    expect(page.get_by_text("Invitation envoyée à camille.lefevre@bayeux-intercom.fr.")).to_be_visible()
    assert PendingContact.objects.get(email="camille.lefevre@bayeux-intercom.fr").invited_at is not None
    logout(page)

    # Accepting an invitation is tested in tests/accounts; here the coordinator's account (a fixture) gets
    # the role the invitation gives.
    coord = empty_region["coordinateur"]
    RoleMembership.objects.create(user=coord, role=Role.COORDINATEUR, organisation=bayeux.collectivite)
    bayeux.coordinators.add(coord)

    # 4. The coordinator creates the CCAS, then a sheet piloted by someone without an account.
    login(page, "camille")
    page.goto("/cls/organisations/nouvelle/")
    page.get_by_label("Nom").fill("CCAS de Bayeux")
    page.get_by_label("Type").select_option(label="CCAS / CIAS")
    page.get_by_label("SIRET").fill("732 829 320 00074")
    shot(page, "organisation-create")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("L'organisation « CCAS de Bayeux » a été créée")).to_be_visible()
    page.goto(f"/plan-action/contrat/{bayeux.pk}/")
    page.get_by_role("link", name="Ajouter un axe").click()
    page.get_by_label("Titre").first.fill("Accès aux droits et aux soins")
    page.get_by_role("button", name="Enregistrer l'axe").click()
    page.get_by_role("link", name="Ajouter une fiche à l'axe 1").click()
    page.get_by_label("Titre").first.fill("Permanences d'accès aux droits de santé")
    page.locator("#id_objectif_general").fill("Ouvrir les droits de santé des personnes qui y renoncent.")
    page.locator("#id_objectifs_operationnels").fill("Une permanence par semaine au CCAS.")
    page.locator("#id_description").fill("Accueil sans rendez-vous, orientation vers la CPAM.")
    page.locator("#id_public_cible").fill("Personnes en situation de précarité")
    page.locator("#id_pilote_organisation").select_option(label="CCAS de Bayeux")
    page.get_by_label("… ou pilote sans compte : prénom et nom").fill("Claire Martin")
    page.get_by_label("Adresse électronique du pilote sans compte (facultatif)").fill("claire.martin@ccas.example.fr")
    page.locator("#id_date_debut").fill("2026-01-01")
    page.locator("#id_date_fin").fill("2027-12-31")
    page.locator("#id_indicateurs-0-libelle").fill("Personnes reçues")
    page.locator("#id_indicateurs-0-cible").fill("150")
    page.locator("#legend-pilotage").scroll_into_view_if_needed()
    shot(page, "fiche-pilot-without-account")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.get_by_text("Claire Martin")).to_be_visible()
    expect(page.get_by_text("sans compte")).to_be_visible()
    page.goto(f"/plan-action/contrat/{bayeux.pk}/")
    expect(page.get_by_role("cell", name="Complète")).to_be_visible()
    assert "la personne pilote" not in page.content()

    logout(page)

    # 5. The regional team imports a past value of the sheet's indicator.
    login(page, "equipe-normandie")
    page.goto("/region/cls/import/")
    page.get_by_role("link", name="importer les valeurs passées des indicateurs").click()
    page.get_by_label("Fichier à importer").set_input_files(files=[{
        "name": "valeurs.xlsx", "mimeType": XLSX, "buffer": filled_template(page, "modèle Excel", [
            ["CLS de Bayeux Intercom", "1.1", "Personnes reçues", 2025, 42]])}])
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_role("cell", name="Personnes reçues")).to_be_visible()
    shot(page, "import-values-preview")
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_text("Import terminé : 1 valeur créée, 0 modifiée, 0 inchangée.")).to_be_visible()

    admin_urls = [u for u in requested if "/admin/" in u]
    assert not admin_urls, admin_urls
    assert len(requested) > 20
