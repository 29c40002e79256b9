"""The final evaluation report (issue 21 item 5): the contract's evaluation method and the end-of-contract
summary of every indicator (the « Bilan des indicateurs » selector, validated sheets only: what an elected
official reads there), produced only in the final evaluation phase, never in the annual campaigns."""

import datetime as dt
import io
import re
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from actions.enums import FicheStatut, Frequence
from actions.models import Indicateur, ValeurIndicateur
from cls_portal.core.errors import DomainError
from contracts.enums import Phase
from reports import data as report_data
from reports import rendering, services
from reports.enums import ReportKind
from reports.forms import CampaignForm
from tests import factories as f
from tests.reports.builders import plan_contract

pytestmark = pytest.mark.django_db


def _evaluation_contract():
    contract = plan_contract()
    contract.phase = Phase.EVALUATION_FINALE
    contract.evaluation_questions = "Le bus a-t-il rapproché la prévention des habitants isolés ?"
    contract.evaluation_evaluateurs = "Un cabinet extérieur, avec le COPIL."
    contract.evaluation_calendrier = "De janvier à juin de la dernière année."
    contract.save()
    draft = f.FicheActionFactory(axe=contract.axes.first(), numero=9, titre="Brouillon", statut=FicheStatut.BROUILLON)
    Indicateur.objects.create(fiche=draft, libelle="Indicateur d'un brouillon", cible=D("5"))
    quarterly = Indicateur.objects.create(fiche=contract.fiches.get(statut=FicheStatut.VALIDEE),
                                          libelle="Élèves reçus", frequence=Frequence.TRIMESTRIELLE, cible=D("80"))
    ValeurIndicateur.objects.create(indicateur=quarterly, annee=2025, valeur=D("60"), periodes_renseignees=3)
    return contract


def test_the_data_carry_the_method_and_the_summary_of_the_validated_plan_only():
    contract = _evaluation_contract()
    data = report_data.report_data(contract, ReportKind.EVALUATION, 2025)
    assert data["method"]["evaluateurs"] == "Un cabinet extérieur, avec le COPIL."
    libelles = [r["libelle"] for r in data["summary"]["rows"]]
    assert "Communes desservies par le bus" in libelles and "Indicateur d'un brouillon" not in libelles
    row = next(r for r in data["summary"]["rows"] if r["libelle"] == "Élèves reçus")
    assert {"valeur": D("60"), "note": "3 périodes sur 4 renseignées"} in row["cells"]
    assert data["summary"]["years"][-1] == 2025


def test_the_pdf_says_it_with_years_unlocalised():
    contract = _evaluation_contract()
    data = report_data.report_data(contract, ReportKind.EVALUATION, 2025)
    pdf = rendering.render_pdf(kind=ReportKind.EVALUATION, year=2025, data=data)
    text = re.sub(r"[\s\u00a0\u202f]+", " ", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "Rapport d'évaluation finale" in text and "Méthode de l'évaluation finale" in text
    assert "Le bus a-t-il rapproché la prévention des habitants isolés ?" in text
    assert "Communes desservies par le bus" in text and "Indicateur d'un brouillon" not in text
    assert "3 périodes sur 4 renseignées" in text
    assert "2 025" not in text and "2 024" not in text


def test_only_in_the_final_evaluation_phase_and_never_in_campaigns():
    contract = plan_contract()  # mise en œuvre
    actor = f.UserFactory()
    with pytest.raises(DomainError) as err:
        services.report_request(actor=actor, contract=contract, kind=ReportKind.EVALUATION, year=2025)
    assert "phase d'évaluation finale" in err.value.message
    contract.phase = Phase.EVALUATION_FINALE
    contract.save()
    report = services.report_request(actor=actor, contract=contract, kind=ReportKind.EVALUATION, year=2025)
    assert report.kind == ReportKind.EVALUATION
    campaign = services.campaign_start(actor=actor, year=dt.date.today().year - 1)
    assert set(campaign.reports.values_list("kind", flat=True)) <= {ReportKind.ACTIVITE, ReportKind.FINANCIER}
    assert ReportKind.EVALUATION not in dict(CampaignForm(user=actor).fields["kind"].choices)


def test_the_request_page_offers_it_in_the_final_evaluation_phase_only_to_those_who_may_request(client, contract):
    from django.urls import reverse

    from reports.models import Report

    url = reverse("reports:contract", args=[contract.pk])
    request_url = reverse("reports:request", args=[contract.pk])
    client.force_login(contract.people["coordinateur"])
    assert "Rapport d'évaluation finale" not in client.get(url).content.decode().replace("&#x27;", "'")
    r = client.post(request_url, {"kind": ReportKind.EVALUATION, "year": 2025})
    assert r.status_code == 200 and r.context["form"].errors["kind"]
    contract.phase = Phase.EVALUATION_FINALE
    contract.save()
    assert "Rapport d'évaluation finale" in client.get(url).content.decode().replace("&#x27;", "'")
    client.force_login(contract.people["elu"])
    assert client.post(request_url, {"kind": ReportKind.EVALUATION, "year": 2025}).status_code == 403
    client.force_login(contract.people["coordinateur"])
    r = client.post(request_url, {"kind": ReportKind.EVALUATION, "year": 2025})
    assert r.status_code == 302
    assert Report.objects.filter(contract=contract, kind=ReportKind.EVALUATION, year=2025).exists()
