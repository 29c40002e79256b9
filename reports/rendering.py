"""Report data -> HTML -> PDF. No HTTP here: the task calls it, tests and the benchmark call it too.

    render_html(*, kind, year, data, produced_at=None) -> str   (templates + SVG charts)
    render_pdf(*, kind, year, data, produced_at=None) -> bytes  (render_html, then WeasyPrint)

The benchmark times these steps itself (bench/report_timing.py): no timing code here.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from cls_portal.core.charts import bar_chart, series_chart
from cls_portal.pdf import html_to_pdf

from .enums import ReportKind

STYLESHEETS = ["reports/report.css"]
PDF_VARIANT = "pdf/ua-1"  # tagged PDF with a structure tree (WeasyPrint 70 writes it cleanly)
# Printed width of a chart (`.chart` in report.css, the class of the chart's own <figure> or sentence: no
# wrapper element): the picture's texts are sized for it.
CHART_WIDTH_MM = 120
TEMPLATES = {ReportKind.ACTIVITE: "reports/pdf/activite.html", ReportKind.FINANCIER: "reports/pdf/financier.html",
             ReportKind.EVALUATION: "reports/pdf/evaluation.html"}


def _indicator_chart(fiche_code: str, ind: dict):
    """Values by year against the target (dashed) and the baseline (dotted), inline SVG."""
    if not ind["historique"] and ind["cible"] is None:
        return ""
    # The target as the sheet's page names it (« Cible 2028 »), « ≤ » for a ceiling as in the indicators' table.
    return series_chart(ind["historique"], title=f"Fiche {fiche_code} — {ind['libelle']}", target=ind["cible"],
                        target_label=f"Cible {ind['annee_cible']}" if ind["annee_cible"] else "Cible",
                        target_at_most=not ind["hausse_attendue"], baseline=ind["reference"], unit=ind["unite"],
                        print_width_mm=CHART_WIDTH_MM, css_class="chart")


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
            charts["status"] = bar_chart(plan["status_counts"], title="Fiches actions par statut", unit="",
                                         print_width_mm=CHART_WIDTH_MM, css_class="chart")
    elif kind == ReportKind.FINANCIER and data["actions"]["funders"]:
        charts["funders"] = bar_chart([(f["financeur"], f["montant"]) for f in data["actions"]["funders"]],
                                      title="Financement des actions par financeur", unit="€",
                                      print_width_mm=CHART_WIDTH_MM, css_class="chart")
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
