"""Report data -> HTML -> PDF. No HTTP here: the task calls it, tests and the benchmark call it too.

    render_report_timed(contract, kind, year, *, produced_at=None) -> RenderResult
        pdf: bytes, fingerprint: str, data_seconds, html_seconds, pdf_seconds, total_seconds: float
        (data gathering, HTML templating, WeasyPrint layout and PDF writing).
    timing_split(*, contract, kind, year) -> {"data", "html", "pdf": seconds, "bytes": int, "queries": int}
        the same split as plain numbers, with the data step's SQL query count (bench/reports.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from cls_portal.core.charts import bar_chart, series_chart
from cls_portal.pdf import html_to_pdf

from . import data as report_data
from .enums import ReportKind

STYLESHEETS = ["reports/report.css"]
PDF_VARIANT = "pdf/ua-1"  # tagged PDF with a structure tree (WeasyPrint 70 writes it cleanly)
TEMPLATES = {ReportKind.ACTIVITE: "reports/pdf/activite.html", ReportKind.FINANCIER: "reports/pdf/financier.html"}


def _indicator_chart(fiche_code: str, ind: dict):
    """Values by year against the target (dashed) and the baseline (dotted), inline SVG."""
    if not ind["historique"] and ind["cible"] is None:
        return ""
    return series_chart(ind["historique"], title=f"Fiche {fiche_code} — {ind['libelle']}", target=ind["cible"],
                        baseline=ind["reference"], unit=ind["unite"])


def _charts(kind: str, data: dict) -> dict:
    """SVG charts for the template (kept out of `data`: they derive from it and are not fingerprinted)."""
    charts = {"indicators": {}, "status": "", "funders": ""}
    if kind == ReportKind.ACTIVITE:
        plan = data["plan"]
        for axe in plan["axes"]:
            for fiche in axe["fiches"]:
                charts["indicators"][fiche["code"]] = [_indicator_chart(fiche["code"], ind)
                                                       for ind in fiche["indicateurs"]]
        if plan["status_counts"]:
            charts["status"] = bar_chart(plan["status_counts"], title="Fiches actions par statut", unit="")
    elif data["actions"]["funders"]:
        charts["funders"] = bar_chart([(f["financeur"], f["montant"]) for f in data["actions"]["funders"]],
                                      title="Financement des actions par financeur", unit="€")
    return charts


def _attach_charts(kind: str, data: dict) -> dict:
    """A copy of `data` whose sheets and indicators carry their `chart` (templates read them in place)."""
    charts = _charts(kind, data)
    if kind == ReportKind.ACTIVITE:
        axes = []
        for axe in data["plan"]["axes"]:
            fiches = []
            for fiche in axe["fiches"]:
                rows = [dict(ind, chart=c) for ind, c in zip(fiche["indicateurs"], charts["indicators"][fiche["code"]],
                                                             strict=True)]
                fiches.append(dict(fiche, indicateurs=rows))
            axes.append(dict(axe, fiches=fiches))
        data = dict(data, plan=dict(data["plan"], axes=axes))
    return dict(data, status_chart=charts["status"], funders_chart=charts["funders"])


def render_html(*, kind: str, year: int, data: dict, produced_at=None) -> str:
    context = {
        "kind": kind, "kind_label": ReportKind(kind).label, "year": year,
        # Years are labels, not quantities: no thousands separator ("2025", not "2 025").
        "year_label": str(year), "next_year": str(year + 1),
        "produced_at": timezone.localtime(produced_at or timezone.now()),
        **_attach_charts(kind, data),
    }
    return render_to_string(TEMPLATES[ReportKind(kind)], context)


def render_pdf(*, kind: str, year: int, data: dict, produced_at=None) -> bytes:
    html = render_html(kind=kind, year=year, data=data, produced_at=produced_at)
    return html_to_pdf(html, stylesheets=STYLESHEETS, pdf_variant=PDF_VARIANT)


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    fingerprint: str
    data_seconds: float
    html_seconds: float
    pdf_seconds: float

    @property
    def total_seconds(self) -> float:
        return self.data_seconds + self.html_seconds + self.pdf_seconds


def render_report_timed(contract, kind: str, year: int, *, produced_at=None) -> RenderResult:
    """Render one report and say where the time went (data gathering, HTML templating, WeasyPrint)."""
    t0 = time.perf_counter()
    data = report_data.report_data(contract, kind, year)
    fp = report_data.fingerprint(kind, year, data)
    t1 = time.perf_counter()
    html = render_html(kind=kind, year=year, data=data, produced_at=produced_at)
    t2 = time.perf_counter()
    pdf = html_to_pdf(html, stylesheets=STYLESHEETS, pdf_variant=PDF_VARIANT)
    t3 = time.perf_counter()
    return RenderResult(pdf=pdf, fingerprint=fp, data_seconds=t1 - t0, html_seconds=t2 - t1, pdf_seconds=t3 - t2)


def timing_split(*, contract, kind: str, year: int) -> dict:
    """The split as plain numbers for bench/reports.py: {"data", "html", "pdf"} seconds, "bytes", "queries"
    (SQL queries of the data step)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        data = report_data.report_data(contract, kind, year)
        t1 = time.perf_counter()
    html = render_html(kind=kind, year=year, data=data)
    t2 = time.perf_counter()
    pdf = html_to_pdf(html, stylesheets=STYLESHEETS, pdf_variant=PDF_VARIANT)
    t3 = time.perf_counter()
    return {"data": t1 - t0, "html": t2 - t1, "pdf": t3 - t2, "bytes": len(pdf), "queries": len(ctx.captured_queries)}
