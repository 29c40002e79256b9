"""cls_portal.core.charts: accessible server-rendered SVG."""

from decimal import Decimal
from xml.etree import ElementTree

from cls_portal.core.charts import bar_chart, format_number, series_chart


def _svg(markup):
    start, end = markup.index("<svg"), markup.index("</svg>") + len("</svg>")
    return ElementTree.fromstring(markup[start:end])


NS = "{http://www.w3.org/2000/svg}"


def test_series_chart_is_an_accessible_image_with_a_text_alternative():
    html = series_chart([(2024, Decimal("120")), (2025, Decimal("180.5"))], title="Nombre de dépistages",
                        target=Decimal("250"), unit="personnes", baseline=80)
    svg = _svg(html)
    assert svg.get("role") == "img"
    assert svg.find(f"{NS}title").text == "Nombre de dépistages"
    desc = svg.find(f"{NS}desc").text
    assert "2024 : 120 personnes" in desc and "2025 : 180,5 personnes" in desc and "Cible : 250 personnes" in desc
    assert len(svg.findall(f"{NS}rect")) == 2
    # the target line is drawn dashed
    assert any(line.get("stroke-dasharray") == "6 4" for line in svg.findall(f"{NS}line"))
    # the hidden table repeats the data for screen readers
    assert '<table class="fr-sr-only">' in html
    assert "<th scope=\"row\">2025</th><td>180,5 personnes</td>" in html
    assert "Valeur de référence" in html


def test_series_chart_without_values_says_so_and_draws_no_bar():
    html = series_chart([(2024, None)], title="Taux", unit="%")
    svg = _svg(html)
    assert svg.find(f"{NS}desc").text == "Aucune valeur saisie."
    assert svg.findall(f"{NS}rect") == []


def test_bar_chart_scales_bars_and_escapes_labels():
    html = bar_chart([("<script>alert(1)</script>", 50), ("ARS", 100)], title="Financeurs", unit="€")
    assert "<script>" not in html
    svg = _svg(html)
    widths = [float(r.get("width")) for r in svg.findall(f"{NS}rect")]
    assert widths[1] == 2 * widths[0]
    assert "ARS : 100 €" in svg.find(f"{NS}desc").text


def test_format_number_is_french():
    assert format_number(Decimal("25000")) == "25\u202f000"
    assert format_number(Decimal("12.50"), "%") == "12,5 %"
    assert format_number(None) == "—"
