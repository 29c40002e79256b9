"""Coordinator fills and submits an action sheet; the délégation asks for a change, then validates."""

import pytest
from playwright.sync_api import expect

from actions.enums import FicheStatut
from actions.models import CommentaireRevue, FicheAction
from cls_portal.accounts.models import Role
from contracts.enums import Phase
from tests import factories as f
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import login


def _logout(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_coordinator_submits_delegation_asks_change_then_validates(page):
    dep = f.DepartementFactory(code="14", nom="Calvados", region=f.RegionFactory(code="28", nom="Normandie"))
    delegation = f.DelegationFactory(departement=dep)
    collectivite = f.CollectiviteFactory(nom="Bayeux Intercom")
    coord = f.with_role(f.UserFactory(username="coordinateur", first_name="Camille", last_name="Lefèvre"),
                        Role.COORDINATEUR, organisation=collectivite)
    ars14 = f.with_role(f.UserFactory(username="ars14", first_name="Nicolas", last_name="Dupont"), Role.DELEGATION,
                        departements=[dep])
    cpam = f.OrganisationFactory(nom="CPAM du Calvados", type="cpam", departement=dep)  # région-limited lists
    f.with_role(f.UserFactory(username="pilote", first_name="Julie", last_name="Bernard"), Role.PILOTE,
                organisation=cpam)
    # The plan is being written (before signature: no avenant needed to validate a sheet).
    contract = f.ContractFactory(nom="Contrat local de santé de Bayeux Intercom", collectivite=collectivite,
                                 phase=Phase.DIAGNOSTIC, ars=delegation.ars, delegations=[delegation],
                                 coordinators=[coord], referent=ars14,
                                 communes=[f.CommuneFactory(departement=dep, population=13000)])
    f.AxeFactory(contract=contract, numero=1, titre="Prévention et promotion de la santé")

    # The coordinator fills a sheet with an indicator.
    login(page, "coordinateur")
    page.goto(f"/plan-action/contrat/{contract.pk}/")
    expect(page.get_by_role("heading", name="Plan d'action", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Ajouter une fiche à l'axe 1").click()
    expect(page.get_by_role("heading", name="Nouvelle fiche action")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Titre").first.fill("Promouvoir le dépistage organisé des cancers")
    page.locator("#id_objectif_general").fill("Augmenter la participation aux dépistages organisés.")
    page.locator("#id_objectifs_operationnels").fill("Quatre actions de sensibilisation par an.")
    page.locator("#id_description").fill("Stands Octobre rose et Mars bleu avec la CPAM.")
    page.locator("#id_public_cible").fill("Personnes de 50 à 74 ans")
    page.locator("#id_pilote_organisation").select_option(label="CPAM du Calvados")
    page.locator("#id_pilote_personne").select_option(label="Julie Bernard")
    page.locator("#id_date_debut").fill("2025-01-01")
    page.locator("#id_date_fin").fill("2028-12-31")
    page.locator("#id_indicateurs-0-libelle").fill("Taux de participation au dépistage colorectal")
    page.locator("#id_indicateurs-0-unite").fill("%")
    page.locator("#id_indicateurs-0-cible").fill("35")
    page.locator("#id_lignes_budget-0-annee").fill("2025")
    page.locator("#id_lignes_budget-0-type").select_option(label="Communication")
    page.locator("#id_lignes_budget-0-montant_prevu").fill("4500")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.get_by_role("heading", name="Fiche 1.1 — Promouvoir le dépistage organisé des cancers")
           ).to_be_visible()
    expect(page.get_by_text("La fiche est complète.")).to_be_visible()
    expect(page.get_by_role("cell", name="4\u00a0500\u00a0€").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Soumettre à la délégation").click()
    expect(page.locator("main").get_by_text("Soumise", exact=True)).to_be_visible()
    assert_accessible(page)
    fiche = FicheAction.objects.get(contract=contract)
    assert fiche.statut == FicheStatut.SOUMISE and fiche.indicateurs.count() == 1
    _logout(page)

    # The délégation finds it in its queue and asks for a change.
    login(page, "ars14")
    page.goto("/plan-action/revue/")
    expect(page.get_by_role("heading", name="Fiches actions à relire")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="1.1 — Promouvoir le dépistage organisé des cancers").click()
    assert_accessible(page)
    page.locator("#id_demander_modification_commentaire").fill("Précisez la source de l'indicateur.")
    page.get_by_role("button", name="Demander des modifications").click()
    expect(page.locator("main").get_by_text("À modifier", exact=True)).to_be_visible()
    exchanges = page.locator("section", has=page.get_by_role("heading", name="Échanges avec la délégation"))
    expect(exchanges.get_by_text("Précisez la source de l'indicateur.")).to_be_visible()
    assert_accessible(page)
    _logout(page)

    # The coordinator fixes the sheet and resubmits.
    login(page, "coordinateur")
    page.goto(f"/plan-action/fiches/{fiche.pk}/modifier/")
    assert_accessible(page)
    page.locator("#id_indicateurs-0-source").fill("Centre régional de coordination des dépistages")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    page.locator("#id_soumettre_commentaire").fill("Source ajoutée.")
    page.get_by_role("button", name="Soumettre à la délégation").click()
    expect(page.locator("main").get_by_text("Soumise", exact=True)).to_be_visible()
    _logout(page)

    # The délégation validates.
    login(page, "ars14")
    page.goto(f"/plan-action/fiches/{fiche.pk}/")
    page.get_by_role("button", name="Valider la fiche").click()
    expect(page.locator("main").get_by_text("Validée", exact=True)).to_be_visible()
    expect(page.get_by_text("Tour de revue n°2")).to_be_visible()
    assert_accessible(page)
    fiche.refresh_from_db()
    assert fiche.statut == FicheStatut.VALIDEE
    assert fiche.indicateurs.get().source == "Centre régional de coordination des dépistages"
    assert CommentaireRevue.objects.filter(fiche=fiche).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_people_edit_the_same_sheet_and_the_second_gets_the_conflict(page, browser, live_server):
    collectivite = f.CollectiviteFactory(nom="Bayeux Intercom")
    coord = f.with_role(f.UserFactory(username="coordinateur"), Role.COORDINATEUR, organisation=collectivite)
    coord2 = f.with_role(f.UserFactory(username="coordinateur-adjoint"), Role.COORDINATEUR, organisation=collectivite)
    contract = f.ContractFactory(collectivite=collectivite, coordinators=[coord, coord2])
    fiche = f.FicheActionFactory(axe=f.AxeFactory(contract=contract, numero=1), numero=1, titre="Titre initial")
    url = f"/plan-action/fiches/{fiche.pk}/modifier/"

    other = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page2 = other.new_page()
    try:
        login(page, "coordinateur")
        login(page2, "coordinateur-adjoint")
        page.goto(url)
        page2.goto(url)
        page.locator("#id_titre").fill("Titre de Camille")
        page.get_by_role("button", name="Enregistrer la fiche").click()
        expect(page.get_by_text("La fiche a été enregistrée.")).to_be_visible()

        page2.locator("#id_titre").fill("Titre de l'adjoint")
        page2.locator("#id_description").fill("Une description longue que je ne veux pas perdre.")
        page2.get_by_role("button", name="Enregistrer la fiche").click()
        expect(page2.get_by_role("heading", name="Modification concurrente")).to_be_visible()
        expect(page2.get_by_text("modifiée par une autre personne")).to_be_visible()
        expect(page2.locator("#id_description")).to_have_value("Une description longue que je ne veux pas perdre.")
        assert_accessible(page2)
        fiche.refresh_from_db()
        assert fiche.titre == "Titre de Camille"
    finally:
        other.close()
