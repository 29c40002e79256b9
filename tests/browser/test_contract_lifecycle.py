"""Journey: the coordinator uploads the lettre d'intention and proposes leaving the préalable phase; the
délégation référent validates; the contract's timeline shows both."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from cls_portal.accounts.models import Role
from contracts import services
from contracts.enums import Phase
from contracts.models import Document
from tests import factories as f
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import login
from tests.contracts.files import PDF


@pytest.mark.django_db(transaction=True)
def test_leaving_prealable_phase(page):
    region = f.RegionFactory(code="28", nom="Normandie")
    dep = f.DepartementFactory(code="14", nom="Calvados", region=region)
    delegation = f.DelegationFactory(departement=dep)
    epci = f.EPCIFactory(nom="Pré-Bocage Intercom")
    communes = [f.CommuneFactory(departement=dep, epci=epci, population=p) for p in (4200, 1800)]
    collectivite = f.CollectiviteFactory(nom="Pré-Bocage Intercom", epci=epci)
    coord = f.with_role(f.UserFactory(username="coordinatrice", first_name="Léa", last_name="Martin"),
                        Role.COORDINATEUR, organisation=collectivite)
    referent = f.with_role(f.UserFactory(username="ars14", first_name="Nicolas", last_name="Dupont"),
                           Role.DELEGATION, departements=[dep])
    contract = services.contract_create(
        actor=coord, nom="Contrat local de santé de Pré-Bocage Intercom", collectivite=collectivite,
        ars=delegation.ars, commune_codes=[c.code for c in communes], coordinators=[coord], referent=referent,
        date_debut_prealable=dt.date(2026, 3, 1), phase=Phase.PREALABLE,
        date_lettre_intention=dt.date(2026, 9, 29), engagement_confirme=True)

    # The coordinator uploads the letter.
    login(page, "coordinatrice")
    expect(page.get_by_role("heading", name="Mon CLS")).to_be_visible()
    page.get_by_role("link", name="Contrat local de santé de Pré-Bocage Intercom").first.click()
    page.get_by_role("link", name="Déposer un document").click()
    page.get_by_label("Type de document").select_option("lettre_intention")
    page.get_by_label("Titre").fill("Lettre d'intention du président")
    page.get_by_label("Date du document").fill("2026-09-29")
    page.get_by_label("Fichier").set_input_files(
        files=[{"name": "lettre-intention.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le document a été déposé.")).to_be_visible()
    expect(page.get_by_role("link", name="Lettre d'intention du président", exact=True)).to_be_visible()
    assert Document.objects.get(contract=contract).nom_original == "lettre-intention.pdf"

    # ... and proposes leaving the préalable phase.
    page.get_by_label("Commentaire pour la délégation").fill("Lettre signée par le président le 29 septembre.")
    page.get_by_role("button", name="Proposer : Sortir de la phase préalable").click()
    expect(page.get_by_text("Votre proposition a été transmise à la délégation départementale.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()

    # The délégation référent sees it awaiting review and validates.
    login(page, "ars14")
    expect(page.get_by_role("heading", name="Tableau de bord de la délégation")).to_be_visible()
    page.get_by_role("link", name="Contrat local de santé de Pré-Bocage Intercom").first.click()
    expect(page.get_by_text("Lettre signée par le président le 29 septembre.").first).to_be_visible()
    page.get_by_label("Commentaire (obligatoire en cas de refus)").fill("Engagement acté, bon diagnostic !")
    page.get_by_role("button", name="Valider la proposition").click()
    expect(page.get_by_text("La proposition est validée")).to_be_visible()

    timeline = page.get_by_role("list", name="Chronologie du contrat")
    expect(timeline.get_by_text("Proposition : Sortir de la phase préalable")).to_be_visible()
    expect(timeline.get_by_text("Proposition validée : Sortir de la phase préalable")).to_be_visible()
    expect(timeline.get_by_text("Changement de phase : Phase préalable → Diagnostic")).to_be_visible()
    expect(timeline.get_by_text("Léa Martin")).to_have_count(1)
    expect(timeline.get_by_text("Nicolas Dupont")).to_have_count(2)
    assert_accessible(page)
    contract.refresh_from_db()
    assert contract.phase == Phase.DIAGNOSTIC
