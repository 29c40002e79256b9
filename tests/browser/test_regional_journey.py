"""Regional view in a real browser: the dashboard's figures lead to their contracts; the public
directory is readable without an account; both pass the accessibility check."""

import pytest
from playwright.sync_api import expect

from cls_portal.accounts.models import Role
from tests import factories as f
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import login


def _normandie():
    region = f.RegionFactory(code="28", nom="Normandie")
    dep = f.DepartementFactory(code="14", nom="Calvados", region=region)
    dd = f.DelegationFactory(departement=dep)
    f.with_role(f.UserFactory(username="ars-normandie"), Role.REGION, region=region)
    active = f.ContractFactory(nom="Contrat local de santé de Bayeux Intercom 2024-2028", ars=dd.ars,
                               delegations=[dd], clsm=True,
                               communes=[f.CommuneFactory(departement=dep, population=13000)])
    f.ContractFactory(nom="Contrat local de santé de Pré-Bocage Intercom", ars=dd.ars, delegations=[dd],
                      prealable=True, communes=[f.CommuneFactory(departement=dep, population=2000)])
    return active


@pytest.mark.django_db(transaction=True)
def test_region_staff_follow_a_figure_to_its_contracts(page):
    _normandie()
    login(page, "ars-normandie")
    page.goto("/region/")
    expect(page.get_by_role("heading", name="Vue régionale — Normandie")).to_be_visible()
    expect(page.get_by_role("img", name="Contrats par phase — Normandie")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="1 contrat signé et actif").click()
    expect(page.get_by_text("1 contrat", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Contrat local de santé de Bayeux Intercom 2024-2028")).to_be_visible()
    expect(page.get_by_text("Pré-Bocage")).to_have_count(0)
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_anyone_reads_the_public_directory(page):
    _normandie()
    page.goto("/annuaire/")
    expect(page.get_by_role("heading", name="Calvados (14)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Contrat local de santé de Bayeux Intercom 2024-2028").click()
    expect(page.get_by_role("heading", name="Rapports annuels publiés")).to_be_visible()
    expect(page.get_by_text("dd14@ars.example.fr").first).to_be_visible()
    assert_accessible(page)
