"""Report data -> HTML -> PDF. No HTTP here: the task calls it, tests and the benchmark call it too."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from cls_portal.core.formatting import format_number
from cls_portal.pdf import html_to_pdf

from .enums import ReportKind

STYLESHEETS = ["reports/report.css"]
PDF_VARIANT = "pdf/ua-1"  # tagged PDF with a structure tree: checked to hold up with WeasyPrint 70
TEMPLATES = {ReportKind.ACTIVITE: "reports/pdf/activite.html", ReportKind.FINANCIER: "reports/pdf/financier.html"}


def indicator_chart(indicator: dict) -> str:
    """Horizontal bars: the year's value against the target, as inline SVG (no JavaScript, no network)."""
    value, target = indicator["valeur"], indicator["cible"]
    if value is None and target is None:
        return ""
    top = max(v for v in (value, target, Decimal("0")) if v is not None) or Decimal("1")
    width, bar_h, label_w = 480, 16, 90
    rows = [("Valeur", value, "#000091"), ("Cible", target, "#9a9aff")]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {2 * bar_h + 14}" role="img" '
             f'aria-label="{escape(indicator["libelle"])} : valeur {escape(format_number(value))} '
             f'pour une cible de {escape(format_number(target))}">']
    for i, (label, v, colour) in enumerate(rows):
        y = i * (bar_h + 6)
        length = 0 if v is None else float(v / top) * (width - label_w - 70)
        parts.append(f'<text x="0" y="{y + 12}" font-size="10" font-family="DejaVu Sans">{label}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{max(length, 0):.1f}" height="{bar_h}" fill="{colour}"/>')
        text = "non renseignée" if v is None else format_number(v)
        parts.append(f'<text x="{label_w + max(length, 0) + 4:.1f}" y="{y + 12}" font-size="10" '
                     f'font-family="DejaVu Sans">{escape(text)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _with_charts(data: dict) -> dict:
    for axe in data.get("plan", {}).get("axes", []):
        for fiche in axe["fiches"]:
            for ind in fiche["indicateurs"]:
                ind["chart"] = indicator_chart(ind)
    return data


def render_html(*, kind: str, year: int, data: dict, produced_at=None) -> str:
    context = {
        "kind": kind, "kind_label": ReportKind(kind).label, "year": year,
        # Years are labels, not quantities: no thousands separator ("2025", not "2 025").
        "year_label": str(year), "next_year": str(year + 1),
        "produced_at": timezone.localtime(produced_at or timezone.now()),
        **_with_charts(data),
    }
    return render_to_string(TEMPLATES[ReportKind(kind)], context)


def render_pdf(*, kind: str, year: int, data: dict, produced_at=None) -> bytes:
    html = render_html(kind=kind, year=year, data=data, produced_at=produced_at)
    return html_to_pdf(html, stylesheets=STYLESHEETS, pdf_variant=PDF_VARIANT)
