"""The demo's annual reports, read as a person reads them (text extracted with pdftotext): no year written
with a thousands separator, every chart label whole (never cut with "…"), dates written out."""

import re
import shutil
import subprocess

import pytest

from reports import data as report_data
from reports.enums import ReportKind
from reports.models import Report

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) manquant")

# A year written as a quantity: "2 025" standing alone (not "2 025 habitants", not "12 025 €").
# A number alone on its line is a chart's axis tick or value (a quantity: "2 000"), not a year in a sentence.
LONE_NUMBER = re.compile(r"[\d \u00a0\u202f,]+(?: ?[€%])?")
YEAR_WITH_SEPARATOR = re.compile(r"(?<![\d,])([12])[ \u00a0\u202f\u2009](\d{3})(?![\d,])(?!\s?(?:€|%|[a-zà-ÿ]))")


def _text(path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60)
    return out.stdout.decode()


def _flat(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def test_demo_reports_read_right(demo):
    reports = [r for r in Report.objects.select_related("contract") if r.is_ready and r.file]
    assert {r.kind for r in reports} == {ReportKind.ACTIVITE, ReportKind.FINANCIER}
    for report in reports:
        text = _text(report.file.path)
        flat = _flat(text)
        where = f"{report} (PDF)"
        years = [line for line in text.splitlines() if not LONE_NUMBER.fullmatch(line.strip())
                 for m in YEAR_WITH_SEPARATOR.finditer(line) if 1990 <= int(m[1] + m[2]) <= 2100]
        assert not years, f"{where} : année écrite avec un séparateur : {years}"
        assert "…" not in text, f"{where} : un libellé coupé"
        assert re.search(r"Document produit le (1er|\d{1,2}) [a-zéû]+ \d{4}", flat), f"{where} : date non écrite"
        assert not re.search(r"\b\d\d/\d\d/\d{4}\b", flat), f"{where} : date en chiffres dans un document pour élus"
        assert "RÉPUBLIQUE FRANÇAISE" in flat and "Liberté Égalité Fraternité" in flat
        data = report_data.report_data(report.contract, report.kind, report.year)
        if report.kind == ReportKind.FINANCIER:
            labels = [f["financeur"] for f in data["actions"]["funders"]]
        else:
            labels = [label for label, _ in data["plan"]["status_counts"]]
        assert labels, f"{where} : le graphique n'a pas de données dans la démo"
        for label in labels:
            assert _flat(label) in flat, f"{where} : libellé de graphique incomplet : {label!r}"
