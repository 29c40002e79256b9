"""A resident finds the CLS of his commune in the public directory (no account), in a real browser; the page,
its map included, passes the accessibility check."""

import pytest
from playwright.sync_api import expect

from tests import factories as f


@pytest.mark.django_db(transaction=True)
def test_resident_finds_the_cls_of_his_commune(page):
    region = f.RegionFactory(code="28", nom="Normandie")
    dep = f.DepartementFactory(code="14", nom="Calvados", region=region)
    dd = f.DelegationFactory(departement=dep, email="ars-normandie-dd14@ars.example.fr")
    epci = f.EPCIFactory(nom="Bayeux Intercom")
    arromanches = f.CommuneFactory(code="14021", nom="Arromanches-les-Bains", departement=dep, epci=epci,
                                   population=510)
    f.CommuneFactory(code="14999", nom="Commune sans CLS", departement=dep)
    f.ContractFactory(nom="Contrat local de santé de Bayeux Intercom 2024-2028", ars=dd.ars, delegations=[dd],
                      communes=[arromanches, f.CommuneFactory(departement=dep, epci=epci, population=13000)])
    page.goto("/annuaire/")
    page.get_by_label("Commune (nom ou code INSEE), contrat ou collectivité").fill("14021")
    page.get_by_role("button", name="Rechercher").click()
    result = page.locator('[data-commune="14021"]')
    expect(result).to_contain_text("Arromanches-les-Bains")
    from tests.browser.a11y import assert_accessible

    assert_accessible(page)
    result.get_by_role("link", name="Contrat local de santé de Bayeux Intercom 2024-2028").click()
    expect(page.get_by_role("heading", name="Contrat local de santé de Bayeux Intercom 2024-2028")).to_be_visible()
    page.goto("/annuaire/?q=Commune+sans+CLS")
    expect(page.locator('[data-commune="14999"]')).to_contain_text("aucun contrat local de santé actif")
    expect(page.locator('[data-commune="14999"]')).to_contain_text("ars-normandie-dd14@ars.example.fr")
    # The map: Calvados is a link to its list.
    page.locator('svg.cls-france-map a[href="?departement=14#resultats"]').click()
    expect(page.get_by_role("heading", name="Calvados (14)")).to_be_visible()
