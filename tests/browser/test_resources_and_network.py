"""The regional team in the browser (issue 21 items 3 and 4): adds a resource with its file, deposits a second
version, and a coordinator of the région finds both; then records who came to a meeting of the network, and the
coordinator reads his own attendance."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import login
from tests.contracts.files import PDF


@pytest.mark.django_db(transaction=True)
def test_the_regional_team_keeps_the_library_and_the_networks_attendance(page, demo):
    login(page, "ars-normandie")
    page.get_by_role("link", name="Ressources").first.click()
    page.get_by_role("link", name="Ajouter une ressource").click()
    assert_accessible(page)
    page.get_by_label("Titre").fill("Fiche pratique n°7 — Animer le COPIL")
    page.get_by_label("Catégorie").select_option(label="Fiche pratique")
    page.get_by_label("Première version").fill("v1")
    page.get_by_label("Date de la version").fill("2025-05-01")
    page.get_by_label("Fichier").set_input_files({"name": "fiche-7.pdf", "mimeType": "application/pdf",
                                                  "buffer": PDF})
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La ressource est ajoutée à la bibliothèque.")).to_be_visible()
    page.get_by_role("link", name="Déposer une nouvelle version").click()
    page.locator("#id_libelle").fill("v2")
    page.get_by_label("Date de la version").fill("2025-09-01")
    page.locator("#id_lien").fill("https://www.normandie.ars.sante.fr/fiche-7")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Version « v2 » du 01/09/2025")).to_be_visible()

    # The meeting of 25 March 2025: Thomas Marie came after all.
    page.goto("/reseau/rencontres/")
    page.get_by_role("link", name="Journée régionale des coordinateurs de CLS").click()
    assert_accessible(page)
    page.get_by_label("Présence de Thomas Marie").select_option(label="Présent")
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("2 coordinateurs invités : 2 présents, 0 excusé, 0 absent.")).to_be_visible()

    page.context.clear_cookies()
    login(page, "coordinateur2")
    page.goto("/ressources/?q=COPIL")
    page.get_by_role("link", name="Fiche pratique n°7 — Animer le COPIL").click()
    expect(page.get_by_role("link", name="fiche-7.pdf (version v1)")).to_be_visible()
    expect(page.get_by_role("link", name="Ouvrir le lien")).to_be_visible()
    page.goto("/reseau/rencontres/")
    assert_accessible(page)
    page.get_by_role("link", name="Journée régionale des coordinateurs de CLS").click()
    expect(page.get_by_text("présence enregistrée : présent")).to_be_visible()
