"""What the PDFs say (text extracted with pypdf), how they are built (print CSS, fonts, local assets only)."""

import io
import re
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from cls_portal import pdf as pdf_module
from reports import data as report_data
from reports import rendering
from tests.reports.builders import plan_contract

pytestmark = pytest.mark.django_db


def _text(pdf_bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)  # French spaces (no-break, narrow) read as plain ones


def _render(contract, kind):
    """As the Celery task does it: the report's data, its fingerprint, then the PDF."""
    data = report_data.report_data(contract, kind, 2025)
    return SimpleNamespace(pdf=rendering.render_pdf(kind=kind, year=2025, data=data),
                           fingerprint=report_data.fingerprint(kind, 2025, data))


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """Both reports of one contract, rendered once for the module."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            contract = plan_contract()
            out = {kind: _render(contract, kind) for kind in ("activite", "financier")}
            transaction.set_rollback(True)
    return out


def test_activity_report_text(rendered):
    text = _text(rendered["activite"].pdf)
    assert "Rapport d'activité" in text and "Contrat local de santé du Bessin test" in text and "2025" in text
    for title in ("Déployer un bus de santé itinérant", "Accueillir les internes en médecine générale",
                  "Ateliers nutrition dans les collèges", "Accès aux soins de premier recours"):
        assert title in text
    # Cover: territory, population, signatories, ARS; table of contents with page numbers; production date.
    assert "1 commune, 14 500 habitants" in text
    assert "Agence régionale de santé" in text
    assert "Signataires Bayeux" not in text  # the cover lists the signatories, not associated partners
    assert re.search(r"Signataires [^.]*Préfecture du Calvados test", text) and "CPAM du Calvados test" not in text
    # The year in brief: governance met that year only, the year's avenant.
    assert "Revue annuelle des fiches actions" in text and "Extension du bus validée" in text
    assert "Réunion de l'année précédente" not in text
    assert "Ajout d'une fiche sur la santé mentale des jeunes" in text and "30 septembre 2025" in text
    assert re.search(r"Sommaire.*1\. L'année 2025 en bref \.+ ?\d", text)
    assert re.search(r"Page \d+ / \d+", text)
    assert re.search(r"Document produit le (1er|\d{1,2}) [a-zéû]+ \d{4} à \d\d:\d\d", text)  # written out
    assert "RÉPUBLIQUE FRANÇAISE Liberté Égalité Fraternité" in text
    # Follow-up, indicator values against targets, plan progress, next year's priorities.
    assert "Le bus a assuré 212 journées de consultation dans 14 communes." in text
    assert "Communes desservies par le bus" in text and "Cible : 18 communes" in text
    assert "9,5" in text and "≤ 10" in text
    assert "3 fiches, dont 1 en cours et 1 réalisée" in text
    assert "Priorités pour 2026" in text and "Étendre la tournée aux communes du sud du territoire." in text


def test_financial_report_text_uses_french_amounts(rendered):
    text = _text(rendered["financier"].pdf)
    assert "Rapport financier" in text and "Contrat local de santé du Bessin test" in text
    assert "Le poste de coordination" in text
    # The coordination post: working time, months, eligible cost, shares, ARS maximum and its computation.
    assert "0,8 ETP" in text and "12 sur 12" in text and "Coût éligible 42 000 €" in text
    assert "Maximum de l'ARS 20 000 €" in text
    assert "50 % de 42 000 € = 21 000 €, ramené au plafond de 20 000 € pour 0,8 ETP sur 12 mois" in text
    assert "Collectivité 22 000 €" in text
    assert "Montant accordé par l'ARS : 20 000 € (décision du 20 mars 2025)" in text
    assert "15 avril 2025 Mandat 2025-118 12 500,50 €" in text
    assert "7 499,50 € restant à verser par l'ARS" in text
    # Funding of actions by funder, planned vs actual per sheet, French money format.
    assert "ARS (fonds d'intervention régional) 1 30 000 €" in text
    assert "CPAM / Assurance maladie 1 6 000 €" in text
    assert "Total 54 000 €" in text  # the 999 € of 2024 is not counted
    assert "48 000 € 48 000 € 45 250,50 € \u22122 749,50 €" in text


def test_rendering_gives_a_pdf_and_its_data_a_fingerprint(rendered):
    result = rendered["activite"]
    assert result.pdf.startswith(b"%PDF") and len(result.fingerprint) == 64


def test_fonts_are_embedded_and_the_pdf_is_tagged(rendered):
    reader = PdfReader(io.BytesIO(rendered["activite"].pdf))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
            fonts.add(str(font["/BaseFont"]))
    assert any("Marianne" in f for f in fonts)  # the State's typeface, embedded
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged PDF (PDF/UA)


def test_the_print_stylesheet_is_lean_and_local():
    html = rendering.render_html(kind="financier", year=2025, data=_minimal_financial())
    assert "dsfr" not in html.lower() and "<script" not in html and "http" not in html.split("<body>")[1]
    assert rendering.STYLESHEETS == ["reports/report.css"]
    css = pdf_module.static_path("reports/report.css").read_text()
    assert "@page" in css and "counter(pages)" in css and "http" not in css


def _minimal_financial():
    cover = {"nom": "CLS", "year": 2025, "collectivite": "C", "ars": "ARS", "territoire": "T", "departements": [],
             "population": 0, "nb_communes": 0, "signataires": [], "prs": "", "generation": 1,
             "date_signature": None, "date_fin": None}
    return {"cover": cover, "post": None, "actions": {"funders": [], "total_finance": 0, "lines": [],
                                                      "total_prevu": 0, "total_realise": None}}


@pytest.mark.parametrize("url", ["https://example.org/tracker.png", "http://127.0.0.1:9/x.css",
                                 "ftp://example.org/f.ttf", "file:///etc/passwd"])
def test_the_url_fetcher_refuses_anything_but_local_static_files(url):
    fetcher = pdf_module._local_fetcher_class()()
    with pytest.raises(pdf_module.NetworkFetchRefused):
        fetcher.fetch(url)


def test_a_remote_image_in_the_html_is_never_fetched(monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("le rendu a tenté une connexion réseau")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    pdf = pdf_module.html_to_pdf('<p>Texte</p><img src="https://example.org/pixel.png" alt="">',
                                 stylesheets=["reports/report.css"])
    assert pdf.startswith(b"%PDF") and "Texte" in _text(pdf)


def test_the_fetcher_serves_the_report_fonts():
    fetcher = pdf_module._local_fetcher_class()()
    font = pdf_module.static_path("reports/fonts/DejaVuSans.ttf")
    response = fetcher.fetch(font.as_uri())
    try:
        assert response.read(4) == b"\x00\x01\x00\x00"
    finally:
        response.close()


def test_the_collector_makes_fewer_passes_while_rendering_and_gets_its_thresholds_back(monkeypatch):
    import gc

    import weasyprint

    seen = []
    real_write_pdf = weasyprint.HTML.write_pdf
    monkeypatch.setattr(weasyprint.HTML, "write_pdf",
                        lambda self, *a, **k: seen.append(gc.get_threshold()) or real_write_pdf(self, *a, **k))
    before = gc.get_threshold()
    assert pdf_module.html_to_pdf("<p>Texte</p>", stylesheets=["reports/report.css"]).startswith(b"%PDF")
    assert seen == [(max(pdf_module.GC_FIRST_GENERATION_THRESHOLD, before[0]), *before[1:])]
    assert gc.get_threshold() == before
    with pytest.raises(ValueError), pdf_module._fewer_gc_passes():
        raise ValueError  # a failed rendering gives them back too
    assert gc.get_threshold() == before
