"""What the reports are made of (data.py): the year's figures only, the balance, the fingerprint."""

from decimal import Decimal

import pytest

from reports import data
from tests.reports.builders import plan_contract

pytestmark = pytest.mark.django_db


def test_financial_statement_with_an_overpayment_says_what_to_pay_back():
    from funding.models import AnneeFinancement, BilanFinancier

    contract = plan_contract()
    annee = AnneeFinancement.objects.get(contract=contract, annee=2025)
    BilanFinancier.objects.create(annee=annee, etp_reel=Decimal("0.8"), mois_pourvus_reels=6,
                                  cout_reel=Decimal("20000"), part_collectivite_reelle=Decimal("10000"),
                                  part_ars_due=Decimal("10000"), montant_a_reverser=Decimal("2500.50"),
                                  explication="part ARS du coût réel : 50 % de 20 000 € = 10 000 €")
    post = data.financial_data(contract, 2025)["post"]
    assert post["bilan"]["part_ars_due"] == Decimal("10000")
    assert post["solde"] == Decimal("-2500.50") and post["trop_percu"] == Decimal("2500.50")
    from reports.rendering import render_html

    html = render_html(kind="financier", year=2025, data=data.financial_data(contract, 2025))
    assert "trop-perçu de 2\xa0500,50\xa0€ à reverser à l'ARS" in html


def test_no_funding_year_means_no_post_section():
    from tests import factories as f

    contract = f.ContractFactory()
    assert data.financial_data(contract, 2025)["post"] is None


def test_only_the_years_values_count():
    contract = plan_contract()
    plan = data.activity_data(contract, 2025)["plan"]
    bus = plan["axes"][0]["fiches"][0]
    stops = bus["indicateurs"][0]
    assert stops["valeur"] == Decimal("14") and stops["historique"] == [(2024, Decimal("6")), (2025, Decimal("14"))]
    assert stops["atteint"] is False and bus["indicateurs"][1]["atteint"] is True  # 9,5 days under a 10-day ceiling
    earlier = data.activity_data(contract, 2024)["plan"]["axes"][0]["fiches"][0]["indicateurs"][0]
    assert earlier["valeur"] == Decimal("6") and earlier["historique"] == [(2024, Decimal("6"))]


def test_fingerprint_follows_the_data_not_the_clock():
    contract = plan_contract()
    a = data.fingerprint("activite", 2025, data.activity_data(contract, 2025))
    assert a == data.fingerprint("activite", 2025, data.activity_data(contract, 2025))
    assert a != data.fingerprint("activite", 2024, data.activity_data(contract, 2024))
    contract.axes.filter(numero=1).update(titre="Accès aux soins (titre révisé)")
    assert a != data.fingerprint("activite", 2025, data.activity_data(contract, 2025))


def test_a_sheet_in_preparation_is_in_no_report():
    """Reports are published to the elected officials and in the public directory: a draft, submitted or
    to-be-changed sheet (an avenant in preparation) is neither in the activity report nor in the financial one."""
    from actions.enums import FicheStatut, Financeur
    from actions.models import Financement, LigneBudget
    from tests import factories as f

    contract = plan_contract()
    axe = contract.axes.order_by("numero").first()
    for n, statut in enumerate((FicheStatut.BROUILLON, FicheStatut.SOUMISE, FicheStatut.A_MODIFIER), start=7):
        draft = f.FicheActionFactory(axe=axe, numero=n, titre=f"Projet d'avenant {n}", statut=statut)
        LigneBudget.objects.create(fiche=draft, annee=2025, libelle="Prestataire", montant_prevu=Decimal("900"))
        Financement.objects.create(fiche=draft, annee=2025, financeur=Financeur.CAF, montant=Decimal("900"))
    activity = data.activity_data(contract, 2025)
    titles = [s["titre"] for a in activity["plan"]["axes"] for s in a["fiches"]]
    assert titles and not any(t.startswith("Projet d'avenant") for t in titles)
    funding = data.financial_data(contract, 2025)["actions"]
    assert funding["lines"] and not any(r["titre"].startswith("Projet d'avenant") for r in funding["lines"])
    assert not any(r["financeur"].startswith("CAF") for r in funding["funders"])


def test_a_sheet_abandoned_before_its_validation_is_in_no_report(contract):
    """A draft abandoned by the coordinator was never validated nor published: it stays out of the reports; a
    validated sheet abandoned since stays in them, as abandoned (the plan as signed and amended)."""
    from actions.enums import FicheStatut, Financeur
    from actions.models import Financement
    from actions.services import fiche_transition
    from tests import factories as f

    contract = plan_contract(contract)
    axe = contract.axes.order_by("numero").first()
    coordinator = contract.people["coordinateur"]
    draft = f.FicheActionFactory(axe=axe, numero=7, titre="Brouillon jamais validé", statut=FicheStatut.BROUILLON)
    Financement.objects.create(fiche=draft, annee=2025, financeur=Financeur.CAF, montant=Decimal("900"))
    validated = f.FicheActionFactory(axe=axe, numero=8, titre="Action validée puis abandonnée",
                                     statut=FicheStatut.VALIDEE)
    for fiche in (draft, validated):
        fiche_transition(actor=coordinator, fiche_id=fiche.pk, name="abandonner", commentaire="Porteur dissous.")
    draft.refresh_from_db()
    validated.refresh_from_db()
    assert draft.statut == validated.statut == FicheStatut.ABANDONNEE
    assert (draft.abandonnee_apres_validation, validated.abandonnee_apres_validation) == (False, True)

    sheets = {s["titre"]: s for a in data.activity_data(contract, 2025)["plan"]["axes"] for s in a["fiches"]}
    assert "Brouillon jamais validé" not in sheets
    assert sheets["Action validée puis abandonnée"]["statut"] == "Abandonnée"
    funding = data.financial_data(contract, 2025)["actions"]
    assert not any(r["titre"] == "Brouillon jamais validé" for r in funding["lines"])
    assert not any(r["financeur"].startswith("CAF") for r in funding["funders"])


def test_the_migration_keeps_in_the_reports_the_sheets_abandoned_after_a_validation(contract):
    """Sheets abandoned before the flag existed: the history's validation decides (the migration's backfill)."""
    import importlib

    from django.apps import apps

    from actions.enums import ActionEvent, FicheStatut
    from actions.models import FicheAction
    from cls_portal.core import history
    from tests import factories as f

    axe = f.AxeFactory(contract=contract, numero=1)
    once = f.FicheActionFactory(axe=axe, numero=1, statut=FicheStatut.ABANDONNEE)
    f.FicheActionFactory(axe=axe, numero=2, statut=FicheStatut.ABANDONNEE)
    history.record(actor=contract.people["delegation"], obj=once, event=ActionEvent.FICHE_VALIDEE)
    migration = importlib.import_module("actions.migrations.0010_ficheaction_abandonnee_apres_validation")
    migration.abandoned_after_validation(apps, None)
    assert dict(FicheAction.objects.filter(axe=axe).values_list("numero", "abandonnee_apres_validation")) == {
        1: True, 2: False}
