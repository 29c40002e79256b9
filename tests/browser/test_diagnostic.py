"""A coordinator completes the demo Manche CLS's diagnostic in the browser: fills a section, imports an
indicator table whose bad row is reported (and nothing saved), fixes it, imports it, and submits."""

import pytest
from playwright.sync_api import expect

from diagnostics.enums import Statut
from diagnostics.models import Diagnostic
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import login

HEADER = "Thème;Libellé;Valeur;Département;Région;France;Unité;Source;Année\n"
ROW_OK = "Prévention;Participation au dépistage du cancer du sein;49,8;51,2;52,5;46,5;%;Santé publique France;2023\n"
ROW_BAD = "Offre de soins;Densité de chirurgiens-dentistes;quatre;;;;pour 10 000 hab.;Assurance maladie;2023\n"
ROW_FIXED = "Offre de soins;Densité de chirurgiens-dentistes;4,1;4,9;4,6;5,6;pour 10 000 hab.;Assurance maladie;2023\n"


def _csv(text):
    return {"name": "indicateurs.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")}


@pytest.mark.django_db(transaction=True)
def test_coordinator_completes_and_submits_the_diagnostic(page, demo):
    diagnostic = Diagnostic.objects.get(contract__nom__icontains="Coutances")
    before = diagnostic.indicateurs.count()
    login(page, "coordinateur2")

    page.goto("/diagnostics/")
    assert_accessible(page)
    page.get_by_role("link", name="Ouvrir le diagnostic de Contrat local de santé de Coutances Mer et Bocage").click()
    expect(page.get_by_role("heading", level=1, name="Diagnostic local de santé partagé")).to_be_visible()
    assert_accessible(page)

    # Sections are reachable from the keyboard through the section menu.
    page.get_by_role("link", name="Portrait de territoire").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#portrait'")
    assert page.evaluate("document.activeElement.id") == "portrait"

    # Fill a section: a new strength in the portrait.
    page.get_by_role("link", name="Modifier le portrait").click()
    assert_accessible(page)
    new_row = page.get_by_role("group", name="Nouvelle ligne")
    new_row.get_by_label("Thème").select_option(label="Offre médico-sociale")
    new_row.get_by_label("Force ou faiblesse").select_option(label="Force")
    new_row.get_by_label("Constat").fill("Un taux d'équipement en EHPAD supérieur aux moyennes.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("modifications enregistrées")).to_be_visible()
    expect(page.get_by_text("Un taux d'équipement en EHPAD supérieur aux moyennes.")).to_be_visible()

    # Import with a bad row: reported row by row, nothing saved.
    page.get_by_role("link", name="Importer un tableau (CSV, Excel)").click()
    assert_accessible(page)
    page.get_by_label("Fichier à importer").set_input_files(_csv(HEADER + ROW_OK + ROW_BAD))
    page.get_by_role("button", name="Vérifier le fichier").click()
    errors = page.locator("#erreurs-import")
    expect(errors).to_contain_text("Ligne 3")
    expect(errors).to_contain_text("Valeur du territoire : Saisissez un nombre.")
    expect(page.get_by_role("button", name="Confirmer l'import", exact=False)).to_have_count(0)
    assert_accessible(page)
    assert diagnostic.indicateurs.count() == before

    # Fixed file: preview, still nothing saved until confirmation.
    page.get_by_label("Fichier à importer").set_input_files(_csv(HEADER + ROW_OK + ROW_FIXED))
    page.get_by_role("button", name="Importer un autre fichier").click()
    expect(page.locator("#lignes-valides")).to_contain_text("Densité de chirurgiens-dentistes")
    assert_accessible(page)
    assert diagnostic.indicateurs.count() == before
    page.get_by_role("button", name="Confirmer l'import de 2 indicateurs").click()
    expect(page.get_by_text("2 indicateur(s) importé(s).")).to_be_visible()
    expect(page.get_by_role("row", name="Densité de chirurgiens-dentistes", exact=False)).to_be_visible()
    assert diagnostic.indicateurs.count() == before + 2

    # Submit to the délégation.
    page.get_by_label("Commentaire").fill("Diagnostic complet, restitution prévue en COPIL le 26 mars.")
    page.get_by_role("button", name="Soumettre à la délégation").click()
    expect(page.get_by_text("Le diagnostic est soumis à la délégation départementale.")).to_be_visible()
    expect(page.get_by_text("Soumis à la délégation", exact=True).first).to_be_visible()
    assert_accessible(page)
    diagnostic.refresh_from_db()
    assert diagnostic.statut == Statut.SOUMIS
