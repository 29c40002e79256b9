"""The sheet form's repeating blocks: a person adds several budget lines and indicators before saving once,
at 1280 px and at 390 px (there each row of a table is a card of stacked fields: neither the page nor the table
scrolls sideways)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from actions.models import FicheAction
from cls_portal.accounts.models import Role
from tests import factories as f
from tests.browser.conftest import login


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_several_rows_are_added_and_saved_at_once(page, width):
    dep = f.DepartementFactory(code="14", nom="Calvados", region=f.RegionFactory(code="28", nom="Normandie"))
    delegation = f.DelegationFactory(departement=dep)
    collectivite = f.CollectiviteFactory(nom="Bayeux Intercom")
    coord = f.with_role(f.UserFactory(username="coordinateur", first_name="Camille", last_name="Lefèvre"),
                        Role.COORDINATEUR, organisation=collectivite)
    contract = f.ContractFactory(nom="Contrat local de santé de Bayeux Intercom", collectivite=collectivite,
                                 ars=delegation.ars, delegations=[delegation], coordinators=[coord],
                                 communes=[f.CommuneFactory(departement=dep, population=13000)])
    f.AxeFactory(contract=contract, numero=1, titre="Prévention et promotion de la santé")

    page.set_viewport_size({"width": width, "height": 900})
    login(page, "coordinateur")
    page.goto(f"/plan-action/contrat/{contract.pk}/fiches/nouvelle/")
    page.locator("#id_titre").fill("Prévenir les chutes des plus de 65 ans")

    budget = page.locator('[data-formset="lignes_budget"]')
    add_line = budget.get_by_role("button", name="Ajouter une ligne")
    expect(add_line).to_be_visible()
    add_line.click()
    expect(page.locator("#id_lignes_budget-1-annee")).to_be_focused()  # the new row, ready to type in
    add_line.click()
    for i, (annee, montant) in enumerate([("2025", "4500"), ("2026", "3 200,50"), ("2027", "1000")]):
        page.locator(f"#id_lignes_budget-{i}-annee").fill(annee)
        page.locator(f"#id_lignes_budget-{i}-type").select_option(index=1)
        page.locator(f"#id_lignes_budget-{i}-montant_prevu").fill(montant)
    assert page.locator("#id_lignes_budget-TOTAL_FORMS").input_value() == "3"

    page.get_by_role("button", name="Ajouter un indicateur").click()
    page.locator("#id_indicateurs-0-libelle").fill("Nombre de participants aux ateliers")
    page.locator("#id_indicateurs-1-libelle").fill("Nombre de chutes signalées")
    if width == 390:
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"la page défile de côté de {overflow} px"
        # Each row of the milestones, budget and funding tables is a card of stacked fields: nothing to scroll
        # sideways to, every field under the previous one, each named by its own label.
        for name in ("jalons", "lignes_budget", "financements"):
            sideways = page.locator(f'[data-formset="{name}"] table').evaluate("t => t.scrollWidth - t.clientWidth")
            assert sideways <= 0, f"le tableau {name} défile de côté de {sideways} px"
        fields = [page.locator(f"#id_lignes_budget-0-{name}") for name in ("annee", "type", "montant_prevu")]
        boxes = [field.bounding_box() for field in fields]
        assert boxes[0]["x"] == boxes[1]["x"] == boxes[2]["x"] and boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
        assert [field.evaluate("e => e.labels[0].textContent").replace("*", "").strip() for field in fields] == [
            "Année", "Type de dépense", "Montant prévu"]

    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.get_by_role("heading", name="Fiche 1.1 — Prévenir les chutes des plus de 65 ans")).to_be_visible()
    fiche = FicheAction.objects.get()
    assert sorted((line.annee, line.montant_prevu) for line in fiche.lignes_budget.all()) == [
        (2025, Decimal("4500")), (2026, Decimal("3200.50")), (2027, Decimal("1000"))]
    assert sorted(fiche.indicateurs.values_list("libelle", flat=True)) == [
        "Nombre de chutes signalées", "Nombre de participants aux ateliers"]


def test_without_javascript_the_add_button_stays_hidden_and_one_empty_row_is_offered(client, world):
    client.force_login(world.own.people["coordinateur"])
    html = client.get(reverse("actions:fiche_create", kwargs={"contract_pk": world.own.contract.pk})).content.decode()
    assert html.count("data-formset-add hidden") == 5  # four tables and the indicators
    assert 'id="id_lignes_budget-0-annee"' in html and 'id="id_lignes_budget-1-annee"' not in html
