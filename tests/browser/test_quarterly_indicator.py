"""A pilot enters a quarterly indicator quarter by quarter in the yearly follow-up; the sheet shows the year's
figure and how many quarters made it (issue 21 item 8)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from actions.enums import FicheStatut, Frequence
from actions.models import Indicateur, ValeurIndicateur
from cls_portal.accounts.models import Role
from tests import factories as f
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import login


@pytest.mark.django_db(transaction=True)
def test_pilot_enters_quarters_and_reads_the_year(page):
    dep = f.DepartementFactory(code="14", nom="Calvados", region=f.RegionFactory(code="28", nom="Normandie"))
    delegation = f.DelegationFactory(departement=dep)
    collectivite = f.CollectiviteFactory(nom="Bayeux Intercom")
    cpam = f.OrganisationFactory(nom="CPAM du Calvados", type="cpam", departement=dep)
    pilote = f.with_role(f.UserFactory(username="pilote", first_name="Julie", last_name="Bernard"), Role.PILOTE,
                         organisation=cpam)
    contract = f.ContractFactory(nom="CLS de Bayeux Intercom", collectivite=collectivite, ars=delegation.ars,
                                 delegations=[delegation])
    axe = f.AxeFactory(contract=contract, numero=1)
    fiche = f.FicheActionFactory(axe=axe, numero=1, titre="Permanences d'accès aux droits",
                                 statut=FicheStatut.EN_COURS, pilote_personne=pilote, pilote_organisation=cpam)
    ind = Indicateur.objects.create(fiche=fiche, libelle="Personnes reçues", unite="personnes",
                                    frequence=Frequence.TRIMESTRIELLE, cible=Decimal("400"))

    login(page, "pilote")
    page.goto(f"/plan-action/fiches/{fiche.pk}/suivi/2025/")
    expect(page.get_by_role("group", name="Personnes reçues : valeurs par trimestre")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("État d'avancement").select_option(label="En cours, conforme au calendrier")
    page.get_by_label("1er trimestre 2025 (personnes)").fill("82")
    page.get_by_label("2e trimestre 2025 (personnes)").fill("95")
    page.get_by_label("3e trimestre 2025 (personnes)").fill("71")
    page.get_by_role("button", name="Enregistrer le suivi 2025").click()
    expect(page.get_by_text("3 périodes sur 4 renseignées")).to_be_visible()
    year = ValeurIndicateur.objects.get(indicateur=ind, annee=2025)
    assert (year.valeur, year.periodes_renseignees) == (Decimal("248"), 3)
