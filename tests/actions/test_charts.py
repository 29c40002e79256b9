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


def _picture(markup):
    """The SVG of a print-variant chart, read back from its data: URI."""
    src = re.search(r'<img class="cls-chart__svg" src="data:image/svg\+xml;charset=utf-8,([^"]*)"', markup).group(1)
    return ElementTree.fromstring(unquote(src))


def _picture_texts(markup):
    return [t.text for t in _picture(markup).iter(f"{NS}text")]


def test_the_print_variant_draws_the_same_texts_in_an_svg_image():
    kwargs = {"title": "Nombre de dépistages", "target": Decimal("200"), "baseline": Decimal("50")}
    points = [(2021, Decimal("120")), (2022, None), (2023, Decimal("180.5"))]
    screen = series_chart(points, **kwargs)
    printed = series_chart(points, **kwargs, print_width_mm=120)
    assert 'src="data:image/svg+xml;' in printed and "fr-sr-only" not in printed
    assert "<span" not in printed and "<p" not in printed  # no HTML over or under the picture
    picture = _picture(printed)
    screen_texts = sorted(t.text for t in _svg(screen).iter(f"{NS}text"))
    # The same texts as on screens (the legend, in its own size, is the screen's HTML list).
    assert sorted(t.text for t in picture.iter(f"{NS}text") if not t.get("font-size")) == screen_texts
    # The chart's texts come after every shape (over the grid, the bars and the target line), one line each.
    children = [child for child in picture if child.tag not in (f"{NS}title", f"{NS}desc")]
    first = min(i for i, child in enumerate(children) if child.tag == f"{NS}text" and not child.get("font-size"))
    assert all(child.tag == f"{NS}text" for child in children[first:])
    assert not list(picture.iter(f"{NS}tspan"))
    # Same places and anchors as on screens, in the print font.
    on_screen = {t.text: (t.get("x"), t.get("y"), t.get("text-anchor")) for t in _svg(screen).iter(f"{NS}text")}
    for t in picture.iter(f"{NS}text"):
        if t.text in on_screen:
            assert (t.get("x"), t.get("y"), t.get("text-anchor")) == on_screen[t.text]
    # The report's font (Marianne, DejaVu Sans for what it lacks), where inline SVG on screens inherits the page's.
    assert picture.get("font-family") == "Marianne, DejaVu Sans, sans-serif"
    assert "font-family" not in _svg(screen).attrib
    assert 'alt="Valeurs : 2021 : 120, 2023 : 180,5.' in printed
    # A "#" (the colours) would end the data: URI for a browser: every one is percent-encoded.
    src = re.search(r'src="(data:[^"]*)"', printed).group(1)
    assert "#" not in src and "%23000091" in src


def test_the_print_variant_keeps_long_labels_whole_one_text_a_line():
    items = [("Un libellé assez long pour passer à la ligne suivante", 3), ("Court", 12)]
    printed = bar_chart(items, title="Fiches", print_width_mm=120)
    texts = _picture_texts(printed)
    first = texts.index("Un libellé assez long pour")
    assert "Un libellé assez long pour passer à la ligne suivante" == " ".join(texts[first:first + 2])
    lines = [t for t in _picture(printed).iter(f"{NS}text")][first:first + 2]
    assert float(lines[1].get("y")) - float(lines[0].get("y")) == 18  # LINE_HEIGHT
    assert lines[0].get("x") == lines[1].get("x") and lines[0].get("text-anchor") == "end"
    assert "Court" in texts and "12" in texts
    series = series_chart([("T1", 1), ("T2", 2)], title="Trimestres", print_width_mm=120)
    assert "T1" in _picture_texts(series) and "T2" in _picture_texts(series)


def test_a_chart_with_nothing_above_zero_is_a_sentence_not_an_empty_picture_over_a_table_of_zeros():
    html = bar_chart([("Ain", 0), ("Allier", None)], title="Couverture", unit="%", empty="aucun département couvert.")
    assert "<svg" not in html and "<table" not in html and "aucun département couvert." in html
    assert "<svg" in bar_chart([("Ain", 0), ("Allier", 1)], title="Couverture")


def _legend(markup):
    """The legend's texts of a print chart: (text, x, y), 8 pt (their own size), under the plot."""
    return [(t.text, float(t.get("x")), float(t.get("y"))) for t in _picture(markup).iter(f"{NS}text")
            if t.get("font-size")]


def test_the_print_legend_is_drawn_by_the_picture_under_the_plot():
    printed = series_chart([(2024, 3), (2025, 5)], title="Actions", target=8, baseline=2, unit="personnes",
                           print_width_mm=120)
    assert "<li" not in printed and "<br" not in printed and "cls-chart__legend" not in printed
    picture = _picture(printed)
    legend = _legend(printed)
    assert [text for text, _, _ in legend] == ["Unité : personnes", "Cible : 8\u00a0personnes",
                                               "Valeur de référence : 2\u00a0personnes"]
    # 8 pt in a picture of 560 units printed 120 mm wide.
    assert {float(t.get("font-size")) for t in picture.iter(f"{NS}text") if t.get("font-size")} == {13.17}
    assert all(y > 240 for _, _, y in legend) and float(picture.get("height")) > max(y for _, _, y in legend)
    # The keys: lines drawn as the chart's own target and baseline lines, under the plot (240 units high), each
    # in the room before its item's text, on its line.
    keys = [k for k in picture.iter(f"{NS}line") if float(k.get("y1")) > 240]
    assert [(k.get("stroke"), k.get("stroke-dasharray")) for k in keys] == [("#c9191e", "6 4"), ("#666666", "2 3")]
    for key, (_, x, y) in zip(keys, legend[1:], strict=True):
        assert float(key.get("x2")) < x < float(key.get("x2")) + 10 and abs(float(key.get("y1")) - y) < 10
    # Items share a line while they fit the chart's width (560 units), left to right.
    assert legend[0][2] == legend[1][2] and legend[0][1] == 0 < legend[1][1]
    assert all(x < 560 for _, x, _ in legend)
    # A legend that does not fit one line of the chart goes on; its keys follow their lines.
    long = series_chart([(2024, 3)], title="A", target=8, baseline=2, unit="personnes accompagnées par le dispositif",
                        print_width_mm=120)
    assert len({y for _, _, y in _legend(long)}) == 3  # one item a line here
    ys = sorted(float(k.get("y1")) for k in _picture(long).iter(f"{NS}line") if float(k.get("y1")) > 240)
    assert len(ys) == 2 and ys[1] - ys[0] > 10
    # Without a key, the unit alone; without any item, no legend and the plot's own height.
    only_unit = series_chart([(2024, 3)], title="A", unit="%", print_width_mm=120)
    assert [text for text, _, _ in _legend(only_unit)] == ["Unité : %"]
    assert float(_picture(series_chart([(2024, 3)], title="A", print_width_mm=120)).get("height")) == 240
    screen = series_chart([(2024, 3), (2025, 5)], title="Actions", target=8, unit="personnes")
    assert '<ul class="cls-chart__legend"' in screen and "cls-chart__key--target" in screen


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
        if t.get("font-size"):
            continue  # the print legend, under the plot, with its keys
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
    figures = [t for t in svg.iter(f"{NS}text") if t.get("text-anchor") != "end" and not t.get("font-size")]
    assert len([t for t in figures if not (t.text.isdigit() and len(t.text) == 4)]) == 2
    assert _crossings(svg) == []
    assert all(float(t.get("y")) - 0.73 * FONT_SIZE >= 0 for t in figures)


def test_a_value_far_from_the_lines_stays_over_its_bar_in_the_text_colour():
    svg = _svg(series_chart([(2024, 40), (2025, 60)], title="T", target=100, baseline=10))
    bars = {float(r.get("x")): float(r.get("y")) for r in svg.iter(f"{NS}rect")}
    values = [t for t in svg.iter(f"{NS}text") if t.get("text-anchor") == "middle" and t.text in ("40", "60")]
    assert [t.get("fill") for t in values] == ["#161616", "#161616"]
    assert sorted(float(t.get("y")) + 4 for t in values) == sorted(bars.values())


def test_a_ceiling_target_is_written_at_most_wherever_the_chart_names_it():
    """An indicator expected to fall (« Part des 18-25 ans sans complémentaire ») has a ceiling: « ≤ 8 % »."""
    kwargs = {"title": "Part", "target": 8, "target_label": "Cible 2028", "unit": "%", "target_at_most": True}
    screen = series_chart([(2024, Decimal("7.8"))], **kwargs)
    printed = series_chart([(2024, Decimal("7.8"))], **kwargs, print_width_mm=120)
    assert "Cible 2028 : ≤\u00a08\u00a0%</li>" in screen  # the legend
    assert "<td>≤\u00a08\u00a0%</td>" in screen  # the screen readers' table
    assert "Cible 2028 : ≤\u00a08\u00a0%." in screen and "Cible 2028 : ≤\u00a08\u00a0%." in printed  # the sentence
    assert "Cible 2028 : ≤\u00a08\u00a0%" in _picture_texts(printed)  # the print legend
    assert "aucune valeur saisie pour le moment. Cible 2028 : ≤\u00a08\u00a0%." in series_chart([], **kwargs)
    assert "≤" not in series_chart([(2024, Decimal("7.8"))], title="Part", target=8, unit="%")


@pytest.mark.parametrize("print_width_mm", [None, 120])
def test_a_line_at_zero_runs_just_over_the_axis_where_it_can_be_seen(print_width_mm):
    """« Valeur de référence : 0 » was a dotted line drawn on the axis itself, which hid it."""
    chart = series_chart([(2024, 3), (2025, 5)], title="Médecins", baseline=0, target=Decimal("-1"),
                         print_width_mm=print_width_mm)
    svg = _picture(chart) if print_width_mm else _svg(chart)
    lines = list(svg.iter(f"{NS}line"))
    axis = next(float(line.get("y1")) for line in lines if not line.get("stroke-dasharray"))
    for dashes in ("2 3", "6 4"):  # the baseline at 0, the target below 0: both just over the axis, inside the plot
        y = next(float(line.get("y1")) for line in lines if line.get("stroke-dasharray") == dashes)
        assert axis - 3 <= y <= axis - 2  # 2 units thick: clear of the axis (1 unit), and not above 0 by much
