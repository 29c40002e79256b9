import pytest
from playwright.sync_api import expect

from cls_portal.accounts.models import Role
from tests import factories as f
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import login


@pytest.mark.django_db(transaction=True)
def test_coordinator_logs_in_sees_cls_and_logs_out(page):
    dep = f.DepartementFactory(code="14", nom="Calvados", region=f.RegionFactory(code="28", nom="Normandie"))
    delegation = f.DelegationFactory(departement=dep)
    user = f.with_role(f.UserFactory(username="coordinateur"), Role.COORDINATEUR)
    f.ContractFactory(nom="Contrat local de santé de Bayeux Intercom 2024-2028", ars=delegation.ars,
                      delegations=[delegation], coordinators=[user],
                      communes=[f.CommuneFactory(departement=dep, population=13000)])
    f.ContractFactory(nom="Contrat d'un autre territoire")

    page.goto("/connexion/")
    assert_accessible(page)
    login(page, "coordinateur")
    expect(page.get_by_role("heading", name="Mon CLS")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("link", name="Contrat local de santé de Bayeux Intercom 2024-2028")).to_be_visible()
    expect(page.get_by_text("Contrat d'un autre territoire")).to_have_count(0)
    # The DSFR stylesheet is served and applied (header uses DSFR classes).
    assert page.evaluate("getComputedStyle(document.querySelector('.fr-header')).display") != ""
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name="Connexion au portail")).to_be_visible()
