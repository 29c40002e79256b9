"""cls_portal.core.charts: accessible server-rendered SVG that a person can read."""

import re
from decimal import Decimal
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest

from cls_portal.core.charts import CHAR_WIDTH, FONT_SIZE, bar_chart, nice_ceiling, series_chart

NS = "{http://www.w3.org/2000/svg}"


def _svg(markup):
    start, end = markup.index("<svg"), markup.index("</svg>") + len("</svg>")
    return ElementTree.fromstring(markup[start:end])


def _text_boxes(svg):
    """(left, right) of each text element, from its anchor and an upper bound of its width."""
    for t in svg.iter(f"{NS}text"):
        lines = [s.text for s in t.findall(f"{NS}tspan")] or [t.text]
        width = max(len(line) for line in lines) * FONT_SIZE * CHAR_WIDTH
        x = float(t.get("x"))
        anchor = t.get("text-anchor")
        left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
        yield "".join(lines), left, left + width


def test_series_chart_is_an_accessible_image_with_a_visible_title_and_a_text_alternative():
    html = series_chart([(2024, Decimal("120")), (2025, Decimal("180.5"))], title="Nombre de dépistages",
                        target=Decimal("250"), unit="personnes", baseline=80)
    assert '<figcaption class="cls-chart__title">Nombre de dépistages</figcaption>' in html
    svg = _svg(html)
    assert svg.get("role") == "img"
    assert svg.find(f"{NS}title").text == "Nombre de dépistages"
    desc = svg.find(f"{NS}desc").text
    assert "2024 : 120\u00a0personnes" in desc and "2025 : 180,5\u00a0personnes" in desc
    assert "Cible : 250\u00a0personnes" in desc
    assert len(svg.findall(f"{NS}rect")) == 2
    assert any(line.get("stroke-dasharray") == "6 4" for line in svg.findall(f"{NS}line"))
    # the target is named in the legend under the plot, never written over a value
    assert "Cible : 250\u00a0personnes</li>" in html
    assert not any("Cible" in (t.text or "") for t in svg.iter(f"{NS}text"))
    assert '<table class="fr-sr-only">' in html
    assert "<th scope=\"row\">2025</th><td>180,5\u00a0personnes</td>" in html


def test_series_axis_ends_on_a_round_number():
    svg = _svg(series_chart([(2024, 37), (2025, 12)], title="T"))
    ticks = [t.text for t in svg.iter(f"{NS}text") if t.get("text-anchor") == "end"]
    assert ticks == ["0", "10", "20", "30", "40"]


@pytest.mark.parametrize("value,integer,expected", [
    (37, False, (40, 10)), (0.83, False, (1, 0.2)), (3, True, (4, 1)), (11, True, (20, 5)), (100, False, (100, 20)),
    (12345, False, (20000, 5000)), (0, False, (1, 0.2)), (1, True, (1, 1)),
])
def test_nice_ceiling(value, integer, expected):
    assert nice_ceiling(value, integer=integer) == pytest.approx(expected)


def test_a_chart_without_values_is_a_sentence():
    html = series_chart([(2024, None)], title="Taux de dépistage", unit="%", target=50)
    assert "<svg" not in html
    assert "Taux de dépistage" in html and "aucune valeur saisie" in html and "Cible : 50\u00a0%" in html
    assert "<svg" not in bar_chart([], title="Financeurs")


def test_bar_chart_scales_bars_and_escapes_labels():
    html = bar_chart([("<script>alert(1)</script>", 50), ("ARS", 100)], title="Financeurs", unit="€")
    assert "<script>" not in html
    svg = _svg(html)
    widths = [float(r.get("width")) for r in svg.findall(f"{NS}rect")]
    assert widths[1] == 2 * widths[0]
    assert "ARS : 100\u00a0€" in svg.find(f"{NS}desc").text


def test_bar_chart_labels_are_whole_and_inside_the_picture():
    long = "Fonds d'intervention régional (FIR) de l'agence régionale de santé de Normandie"
    html = bar_chart([(long, Decimal("12500.5")), ("11 internes", 11), ("Commune", 800)], title="Financeurs",
                     unit="€")
    svg = _svg(html)
    width = float(svg.get("viewBox").split()[2])
    texts = list(_text_boxes(svg))
    assert any(text.replace(" ", "") == long.replace(" ", "") for text, _, _ in texts)  # wrapped, never cut
    assert "…" not in html
    for text, left, right in texts:
        assert left >= 0 and right <= width, text
    # the chart and its table round the same way
    assert "12\u00a0500,50\u00a0€" in [t for t, _, _ in texts]
    assert "<td>12\u00a0500,50\u00a0€</td>" in html


def test_same_rounding_in_the_chart_and_its_table():
    html = bar_chart([("Calvados", Decimal("45.678"))], title="Couverture", unit="%", decimals=1)
    assert html.count("45,7\u00a0%") >= 3  # bar label, sentence, table
    assert "45,678" not in html


def test_coordinates_never_carry_a_decimal_comma(settings):
    settings.LANGUAGE_CODE = "fr-fr"
    html = series_chart([(2024, Decimal("1.33")), (2025, Decimal("2.5"))], title="T", target=Decimal("3.3"))
    svg = _svg(html)
    for el in list(svg.iter())[1:]:  # the root says width="100%"
        for attr in ("x", "y", "width", "height", "x1", "x2", "y1", "y2"):
            if el.get(attr) is not None:
                float(el.get(attr))  # a point, no separator


def _print_texts(markup):
    """The HTML texts of a print-variant chart: its spans, line breaks as spaces."""
    return [t.replace("\n", " ") for t in re.findall(r'<span class="cls-chart__l"[^>]*>(.*?)</span>', markup, re.S)]


def _picture(markup):
    """The SVG of a print-variant chart, read back from its data: URI."""
    src = re.search(r'<img class="cls-chart__svg" src="data:image/svg\+xml;charset=utf-8,([^"]*)"', markup).group(1)
    return ElementTree.fromstring(unquote(src))


def test_the_print_variant_draws_the_same_texts_as_html_over_an_svg_image():
    kwargs = {"title": "Nombre de dépistages", "target": Decimal("200"), "baseline": Decimal("50")}
    points = [(2021, Decimal("120")), (2022, None), (2023, Decimal("180.5"))]
    screen = series_chart(points, **kwargs)
    printed = series_chart(points, **kwargs, print_width_mm=120)
    screen_texts = sorted(t.text for t in _svg(screen).iter(f"{NS}text"))
    assert 'src="data:image/svg+xml;' in printed and "fr-sr-only" not in printed
    picture = _picture(printed)
    figures = [t.text for t in picture.iter(f"{NS}text")]
    assert sorted(" ".join(_print_texts(printed) + figures).split()) == sorted(" ".join(screen_texts).split())
    # The years share one line of text, the ticks one box: fewer boxes for WeasyPrint to lay out.
    assert "2021 2022 2023" in _print_texts(printed)
    assert len(_print_texts(printed)) == 2  # ticks, years
    # The values over the bars stay in the picture, drawn last (over the target line), in the labels' font.
    assert figures == ["120", "180,5"] and list(picture)[-1].tag == f"{NS}text"
    assert picture.get("font-family") == "DejaVu Sans" and "font-family" not in _svg(screen).attrib
    assert 'alt="Valeurs : 2021 : 120, 2023 : 180,5.' in printed
    # A "#" (the colours) would end the data: URI for a browser: every one is percent-encoded.
    src = re.search(r'src="(data:[^"]*)"', printed).group(1)
    assert "#" not in src and "%23000091" in src


def test_the_print_variant_keeps_long_labels_whole_and_other_labels_apart():
    items = [("Un libellé assez long pour passer à la ligne suivante", 3), ("Court", 12)]
    printed = bar_chart(items, title="Fiches", print_width_mm=120)
    texts = _print_texts(printed)
    assert "Un libellé assez long pour passer à la ligne suivante" in " ".join(texts)
    assert "Court" in texts and "12" in [t.text for t in _picture(printed).iter(f"{NS}text")]
    series = series_chart([("T1", 1), ("T2", 2)], title="Trimestres", print_width_mm=120)
    assert "T1" in _print_texts(series) and "T2" in _print_texts(series)  # not years: one span each


def test_a_chart_with_nothing_above_zero_is_a_sentence_not_an_empty_picture_over_a_table_of_zeros():
    html = bar_chart([("Ain", 0), ("Allier", None)], title="Couverture", unit="%", empty="aucun département couvert.")
    assert "<svg" not in html and "<table" not in html and "aucun département couvert." in html
    assert "<svg" in bar_chart([("Ain", 0), ("Allier", 1)], title="Couverture")


def test_the_print_legend_is_one_paragraph_whose_keys_the_picture_draws():
    printed = series_chart([(2024, 3), (2025, 5)], title="Actions", target=8, baseline=2, unit="personnes",
                           print_width_mm=120)
    legend = re.search(r'<p class="cls-chart__legend" aria-hidden="true" style="margin-top:-([\d.]+)mm">(.*?)</p>',
                       printed, re.S)
    assert "<li" not in printed and "<br" not in printed and "cls-chart__key" not in printed
    lines = legend.group(2).split("\n")
    # The paragraph goes back up over the line under the picture (0.35 x 3 mm) and its lines (11.2 pt each).
    assert abs(float(legend.group(1)) - (1.05 + len(lines) * 11.2 * 25.4 / 72)) < 0.001
    items = [i for line in lines for i in re.split("\u2003+", line) if i]  # em spaces: gaps and keys' room
    assert items == ["Unité : personnes", "Cible : 8\u00a0personnes", "Valeur de référence : 2\u00a0personnes"]
    # The keys: lines drawn as the chart's own target and baseline lines, under the plot (240 units high).
    keys = [k for k in _picture(printed).iter(f"{NS}line") if float(k.get("y1")) > 240]
    assert [(k.get("stroke"), k.get("stroke-dasharray")) for k in keys] == [("#c9191e", "6 4"), ("#666666", "2 3")]
    assert float(_picture(printed).get("height")) > 240
    # A legend that does not fit one line of the chart goes on; its keys follow their lines.
    long = series_chart([(2024, 3)], title="A", target=8, baseline=2, unit="personnes accompagnées par le dispositif",
                        print_width_mm=120)
    text = re.search(r'style="margin-top:-([\d.]+)mm">(.*?)</p>', long, re.S)
    assert text.group(2).count("\n") == 2 and float(text.group(1)) > 12.9  # one item a line here
    ys = sorted(float(k.get("y1")) for k in _picture(long).iter(f"{NS}line") if float(k.get("y1")) > 240)
    assert len(ys) == 2 and ys[1] - ys[0] > 10
    # Without a key, the paragraph stays under the picture; pages keep their list and keys.
    only_unit = series_chart([(2024, 3)], title="A", unit="%", print_width_mm=120)
    assert '<p class="cls-chart__legend" aria-hidden="true">Unité : %</p>' in only_unit
    assert float(_picture(only_unit).get("height")) == 240
    screen = series_chart([(2024, 3), (2025, 5)], title="Actions", target=8, unit="personnes")
    assert '<ul class="cls-chart__legend"' in screen and "cls-chart__key--target" in screen


def test_the_print_figures_are_placed_from_their_start_by_the_fonts_advances():
    # An SVG text anchored in its middle costs WeasyPrint a group of its own: the print variant centres it.
    printed = series_chart([(2024, Decimal("1234.5")), (2025, 7)], title="Montants", print_width_mm=120)
    screen = series_chart([(2024, Decimal("1234.5")), (2025, 7)], title="Montants")
    figures = list(_picture(printed).iter(f"{NS}text"))
    assert [t.text for t in figures] == ["1\u00a0234,5", "7"] and all(t.get("text-anchor") == "start" for t in figures)
    centres = {t.text: float(t.get("x")) for t in _svg(screen).iter(f"{NS}text") if t.get("text-anchor") == "middle"}
    for t in figures:  # DejaVu Sans: digits 0.6362 em, comma and no-break space 0.3179 em; 14 units a em
        width = sum(0.6362 if c.isdigit() else 0.3179 for c in t.text) * 14
        assert abs(float(t.get("x")) + width / 2 - centres[t.text]) < 0.1


class TestMemo:
    """A chart drawn again with the same arguments is the same picture, reused; any difference that prints
    differently draws anew (issue 19: charts memoised per worker process)."""

    def test_same_arguments_reuse_the_drawing(self):
        items = [("Calvados", Decimal("12.5")), ("Orne", Decimal("3"))]
        first = bar_chart(items, title="Couverture", unit="%")
        assert bar_chart(list(items), title="Couverture", unit="%") is first

    def test_values_that_print_differently_are_not_confused(self):
        # Equal as numbers (one key for a plain dict), not as arguments: each keeps its own drawing, the one an
        # unmemoised call makes.
        values = [Decimal("1.0"), Decimal("1.00"), 1, 1.0, True]
        drawn = [series_chart([(2024, v)], title="Taux", decimals=None) for v in values]
        assert len({id(d) for d in drawn}) == len(values)
        for v, d in zip(values, drawn, strict=True):
            assert d == series_chart.__wrapped__([(2024, v)], title="Taux", decimals=None)

    def test_a_changed_value_or_title_draws_anew(self):
        base = bar_chart([("Calvados", 10)], title="A")
        assert bar_chart([("Calvados", 11)], title="A") != base
        assert bar_chart([("Calvados", 10)], title="B") != base
        assert bar_chart([("Calvados", 10)], title="A", unit="%") != base

    def test_the_memo_is_bounded(self):
        from cls_portal.core import charts

        for i in range(charts.CHART_MEMO_SIZE + 20):
            bar_chart([("x", i + 1)], title=f"borne {i}")
        assert len(charts._memo) <= charts.CHART_MEMO_SIZE

    def test_print_charts_are_not_kept(self):
        from cls_portal.core import charts

        charts._memo.clear()
        first = series_chart([(2024, 3)], title="Rapport, fiche 1.1", print_width_mm=120)
        assert not charts._memo
        assert series_chart([(2024, 3)], title="Rapport, fiche 1.1", print_width_mm=120) == first



def _crossings(svg):
    """The value figures (centred texts that are not years) that a dashed or dotted line runs through."""
    lines = [float(line.get("y1")) for line in svg.iter(f"{NS}line") if line.get("stroke-dasharray")]
    crossed = []
    for t in svg.iter(f"{NS}text"):
        if (t.text or "").isdigit() and len(t.text) == 4:
            continue  # a year under the axis
        if t.get("text-anchor") == "end":
            continue  # a tick
        y = float(t.get("y"))
        if any(y - 0.73 * FONT_SIZE - 1 <= ly <= y + 0.12 * FONT_SIZE + 1 for ly in lines):
            crossed.append(t.text)
    return crossed


@pytest.mark.parametrize("print_width_mm", [None, 120])
@pytest.mark.parametrize("values,target,baseline", [
    ((11, 13), 14, 9),  # « 13 » just under the target: the dashed line ran through it (report, fiche 1.2)
    ((Decimal("32"), Decimal("34")), 35, Decimal("29.4")),
    ((Decimal("0.5"), Decimal("1")), Decimal("1.2"), Decimal("1.1")),  # a short bar under both lines
    ((9, 10), 10, 0),
])
def test_no_line_runs_through_a_value(values, target, baseline, print_width_mm):
    chart = series_chart(list(zip((2024, 2025), values, strict=True)), title="T", target=target,
                         baseline=baseline, unit="professionnels", print_width_mm=print_width_mm)
    svg = _picture(chart) if print_width_mm else _svg(chart)
    figures = [t for t in svg.iter(f"{NS}text") if t.get("text-anchor") != "end"]
    assert len([t for t in figures if not (t.text.isdigit() and len(t.text) == 4)]) == 2
    assert _crossings(svg) == []
    assert all(float(t.get("y")) - 0.73 * FONT_SIZE >= 0 for t in figures)


def test_a_value_far_from_the_lines_stays_over_its_bar_in_the_text_colour():
    svg = _svg(series_chart([(2024, 40), (2025, 60)], title="T", target=100, baseline=10))
    bars = {float(r.get("x")): float(r.get("y")) for r in svg.iter(f"{NS}rect")}
    values = [t for t in svg.iter(f"{NS}text") if t.get("text-anchor") == "middle" and t.text in ("40", "60")]
    assert [t.get("fill") for t in values] == ["#161616", "#161616"]
    assert sorted(float(t.get("y")) + 4 for t in values) == sorted(bars.values())
