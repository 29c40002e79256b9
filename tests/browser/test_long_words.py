"""A word too long for its cell (a pasted address in a sheet's follow-up) breaks inside the cell, at 1280 and 390 px,
instead of widening the follow-up table past the page (found by a walk-through)."""

import pytest

from actions.enums import Avancement, FicheStatut
from actions.models import SuiviAnnuel
from cls_portal.accounts.models import Role
from tests import factories as f
from tests.browser.conftest import login

WORD = "https://exemple.fr/" + "a" * 300


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_word_in_the_follow_up_stays_in_its_table(page, width):
    dep = f.DepartementFactory(code="14", nom="Calvados", region=f.RegionFactory(code="28", nom="Normandie"))
    delegation = f.DelegationFactory(departement=dep)
    collectivite = f.CollectiviteFactory(nom="Bayeux Intercom")
    coord = f.with_role(f.UserFactory(username="coordinateur"), Role.COORDINATEUR, organisation=collectivite)
    contract = f.ContractFactory(collectivite=collectivite, ars=delegation.ars, delegations=[delegation],
                                 coordinators=[coord], communes=[f.CommuneFactory(departement=dep)])
    fiche = f.FicheActionFactory(axe=f.AxeFactory(contract=contract, numero=1), numero=1,
                                 statut=FicheStatut.VALIDEE)
    SuiviAnnuel.objects.create(fiche=fiche, annee=2025, avancement=Avancement.EN_COURS, realise=WORD)

    page.set_viewport_size({"width": width, "height": 900})
    login(page, "coordinateur")
    page.goto(f"/plan-action/fiches/{fiche.pk}/")
    table = page.get_by_role("table", name="Suivi par année de mise en œuvre")
    assert WORD[:40] in table.inner_text().replace("\n", "")
    sideways = table.evaluate("t => t.scrollWidth - t.clientWidth")  # DSFR: the table is its own scroll box
    # At 390 px its six columns scroll sideways, as DSFR tables do there, each cell wide enough for ordinary words
    # (510 px; 2 641 px with the address unbroken). Squeezed to fit, the cells broke every word (« Action s »).
    assert sideways <= (0 if width == 1280 else 600), f"le tableau de suivi défile de côté de {sideways} px"
    cell = table.locator("td").nth(1)  # « Réalisé »
    assert cell.evaluate("c => c.getBoundingClientRect().width") >= 150
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"la page défile de côté de {overflow} px"
