"""Journey: the coordinator files the year's request, the délégation instructs, grants it and records a payment;
the financial statement shows the balance. axe-core runs on every page visited."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from cls_portal.accounts.models import Role
from funding.models import AnneeFinancement
from tests import factories as f
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import login
from tests.worlds.funding import PDF, ensure_rules


def logout(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_request_decision_payment_statement(page):
    normandie = f.RegionFactory(code="28", nom="Normandie")
    ensure_rules(normandie)
    dep = f.DepartementFactory(code="14", nom="Calvados", region=normandie)
    delegation = f.DelegationFactory(departement=dep)
    coordinator = f.with_role(f.UserFactory(username="coordinateur", first_name="Camille", last_name="Lefèvre"),
                              Role.COORDINATEUR)
    referent = f.with_role(f.UserFactory(username="ars14", first_name="Nicolas", last_name="Dupont"),
                           Role.DELEGATION, departements=[dep])
    contract = f.ContractFactory(nom="Contrat local de santé de Bayeux Intercom 2024-2028", ars=delegation.ars,
                                 delegations=[delegation], coordinators=[coordinator], referent=referent,
                                 communes=[f.CommuneFactory(departement=dep, population=13000)])
    year = dt.date.today().year
    today = dt.date.today().isoformat()

    # The coordinator files the request; a share below the ARS's is refused next to the field.
    login(page, "coordinateur")
    page.goto(f"/financements/cls/{contract.pk}/")
    expect(page.get_by_role("heading", name="Financement du poste de coordination")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Déposer une demande de financement").click()
    assert_accessible(page)
    page.get_by_role("spinbutton", name="Année", exact=True).fill(str(year))
    page.get_by_label("Temps de travail du coordinateur (ETP)").fill("1")
    page.get_by_label("Mois pendant lesquels le poste est pourvu").fill("12")
    page.get_by_label("Salaire brut annuel (€)").fill("33 000")
    page.get_by_label("Charges patronales (€)").fill("10 000")
    page.get_by_label("Frais de fonctionnement du poste (€)").fill("3 000")
    page.get_by_label("Montant demandé à l'ARS (€)").fill("23 000")
    page.get_by_label("Part de la collectivité (€)").fill("22 000")
    page.get_by_label("Part des autres partenaires (€)").fill("1 000")
    page.get_by_role("button", name="Déposer la demande").click()
    # next to its field (the error summary at the top of the page repeats it as a link)
    expect(page.locator("#id_demande_collectivite-messages").get_by_text("au moins à part égale avec l'ARS")
           ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Part de la collectivité (€)").fill("23 000")
    page.get_by_label("Part des autres partenaires (€)").fill("0")
    page.get_by_role("button", name="Déposer la demande").click()
    expect(page.get_by_text(f"Demande de financement {year} déposée.")).to_be_visible()
    expect(page.get_by_text("50 % de 46 000 € = 23 000 €, sous le plafond de 25 000 € pour 1 ETP sur 12 mois")
           ).to_be_visible()
    assert_accessible(page)
    logout(page)

    # The délégation finds it on its funding page, instructs and grants it.
    login(page, "ars14")
    page.goto("/financements/")
    assert_accessible(page)
    page.get_by_role("link", name=contract.nom).click()
    page.get_by_role("button", name=f"Prendre en instruction la demande {year}").click()
    expect(page.get_by_text(f"Demande {year} prise en instruction.")).to_be_visible()
    page.get_by_role("link", name=f"Enregistrer la décision {year}").click()
    assert_accessible(page)
    page.get_by_label("Montant accordé par l'ARS (€)").fill("23 000")
    page.get_by_label("Date de la décision").fill(today)
    page.get_by_label("Décision signée").set_input_files(
        {"name": "arrete-financement.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text(f"Décision {year} enregistrée.")).to_be_visible()
    expect(page.get_by_text(f"Décision du {dt.date.today():%d/%m/%Y} : 23 000 € accordés")).to_be_visible()
    assert_accessible(page)

    # A payment above what was granted is refused; the first instalment is recorded.
    page.get_by_role("link", name=f"Enregistrer un versement {year}").click()
    page.get_by_label("Date du versement").fill(today)
    page.get_by_label("Montant versé (€)").fill("30 000")
    page.get_by_role("button", name="Enregistrer le versement").click()
    expect(page.locator("#id_montant-messages").get_by_text("au-delà du montant accordé")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Montant versé (€)").fill("11 500")
    page.get_by_label("Référence (mandat, titre)").fill("Mandat 2026-0415")
    page.get_by_role("button", name="Enregistrer le versement").click()
    expect(page.get_by_text(f"Versement {year} enregistré.")).to_be_visible()
    expect(page.get_by_text("reste à verser : 11 500 €")).to_be_visible()

    # The financial statement: the post cost less than planned, the balance is shown.
    page.get_by_role("link", name=f"Saisir le bilan financier {year}").click()
    assert_accessible(page)
    page.get_by_label("Coût réel du poste (€)").fill("40 000")
    page.get_by_label("Part réellement payée par la collectivité (€)").fill("20 000")
    page.get_by_role("button", name="Enregistrer le bilan").click()
    expect(page.get_by_text(f"Bilan financier {year} enregistré.")).to_be_visible()
    expect(page.get_by_text("Part due par l'ARS : 20 000 €, versé : 11 500 €, reste à verser : 8 500 €.").first
           ).to_be_visible()
    assert_accessible(page)
    annee = AnneeFinancement.objects.get(contract=contract, annee=year)
    assert (annee.statut, str(annee.total_verse), str(annee.bilan.part_ars_due)) == ("soldee", "11500.00", "20000.00")


@pytest.mark.django_db(transaction=True)
def test_region_versions_a_rule_and_delegation_records_the_dialogue(page):
    grand_est = f.RegionFactory(code="44", nom="Grand Est")
    ensure_rules(grand_est)
    dep = f.DepartementFactory(code="52", nom="Haute-Marne", region=grand_est)
    delegation = f.DelegationFactory(departement=dep)
    f.with_role(f.UserFactory(username="ars-grand-est"), Role.REGION, region=grand_est)
    f.with_role(f.UserFactory(username="ars52"), Role.DELEGATION, departements=[dep])
    contract = f.ContractFactory(nom="Contrat local de santé du Grand Langres 2023-2027", ars=delegation.ars,
                                 delegations=[delegation], communes=[f.CommuneFactory(departement=dep)])
    year = dt.date.today().year

    login(page, "ars-grand-est")
    page.goto("/financements/regles/")
    assert_accessible(page)
    page.get_by_role("link", name="Nouvelle version").click()
    assert_accessible(page)
    page.get_by_label("En vigueur à partir du").fill(f"{year - 1}-06-01")
    page.get_by_role("button", name="Enregistrer la nouvelle version").click()
    expect(page.locator("#id_valid_from-messages").get_by_text("ne peut pas s'appliquer à une année passée")
           ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("En vigueur à partir du").fill(f"{year}-12-01")
    page.get_by_label("Plafond annuel (€)").fill("26 000")
    page.get_by_label("Temps de travail minimum du coordinateur (ETP)").fill("0,5")
    page.get_by_role("button", name="Enregistrer la nouvelle version").click()
    expect(page.get_by_text("Nouvelle version de la règle Grand Est enregistrée.")).to_be_visible()
    expect(page.get_by_role("cell", name="26 000 €")).to_be_visible()
    logout(page)

    login(page, "ars52")
    page.goto(f"/financements/cls/{contract.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Enregistrer un dialogue de gestion").click()
    page.get_by_label("Date de la rencontre").fill(dt.date.today().isoformat())
    page.get_by_label("Participants").fill("Vice-présidente santé, coordinatrice, délégation territoriale")
    page.get_by_label("Conclusions").fill("Maintien du poste à mi-temps.")
    page.get_by_label("Montant ARS convenu pour l'année suivante (€)").fill("11 500")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text(f"Dialogue de gestion {year} enregistré.")).to_be_visible()
    expect(page.get_by_role("cell", name="Maintien du poste à mi-temps.")).to_be_visible()
    assert_accessible(page)
