"""cls_portal.pdf_charts: the reports' charts drawn by the portal look as WeasyPrint's SVG engine draws them.

The comparison is made on pixels: the same HTML rendered to PDF by `html_to_pdf` (charts drawn here) and by
WeasyPrint alone (its SVG engine), both pages rasterised by pdftoppm. A shape in the wrong place, a colour, a dash,
a text moved or left out shows as differing pixels.
"""

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from PIL import Image, ImageChops

from cls_portal import pdf as pdf_module
from cls_portal.core.charts import bar_chart, series_chart
from cls_portal.pdf_charts import PREFIX, ChartPictures, Unsupported, _path, parse
from reports import rendering

needs_poppler = pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("pdftotext")),
                                   reason="poppler-utils manquant")
FIXTURE = Path(__file__).parent.parent / "reports" / "test_pdf_text_unchanged.py"


def _charts() -> list[str]:
    """Print charts of every kind the reports hold."""
    return [
        series_chart([(2021, Decimal("28")), (2022, None), (2023, Decimal("64.5")), (2024, 93), (2025, 99)],
                     title="Nombre de participants", target=100, baseline=10, unit="personnes", print_width_mm=120),
        # A value under its target line is written in white inside its bar.
        series_chart([(2024, 13), (2025, 20)], title="Taux", target=14, baseline=2, unit="%", print_width_mm=120),
        bar_chart([("Un libellé assez long pour passer à la ligne suivante", 3), ("Court", 12),
                   ("Prévention", Decimal("7.5"))], title="Fiches par axe", print_width_mm=120),
        series_chart([("T1", 1), ("T2", 2)], title="Trimestres", print_width_mm=120),
    ]


def _html(body: str) -> str:
    return f'<!doctype html><html lang="fr"><head><meta charset="utf-8"></head><body>{body}</body></html>'


def _engine_pdf(html: str) -> bytes:
    """The same document by WeasyPrint alone: same stylesheet, fonts and tagging, its own SVG engine."""
    import weasyprint

    fetcher, font_config, css = pdf_module._prepared(tuple(rendering.STYLESHEETS))
    base = pdf_module.static_path(rendering.STYLESHEETS[0]).parent.as_uri() + "/"
    return weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf(
        stylesheets=css, font_config=font_config, pdf_variant=rendering.PDF_VARIANT)


def _pages(pdf: bytes, folder: Path, name: str) -> list[Image.Image]:
    (folder / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "100", str(folder / f"{name}.pdf"), str(folder / name)], check=True,
                   timeout=120)
    return [Image.open(png).convert("RGB") for png in sorted(folder.glob(f"{name}-*.png"))]


def _differing(a: Image.Image, b: Image.Image) -> float:
    """Share of the pixels that differ by more than a quarter of the scale on some channel."""
    assert a.size == b.size
    diff = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 64 else 0)
    return diff.histogram()[255] / (a.width * a.height)


def _ink(image: Image.Image) -> float:
    return _differing(image, Image.new("RGB", image.size, "white"))


@needs_poppler
def test_the_charts_drawn_here_look_as_weasyprints_engine_draws_them(tmp_path):
    html = _html("".join(_charts()))
    ours = _pages(pdf_module.html_to_pdf(html, stylesheets=rendering.STYLESHEETS, pdf_variant=rendering.PDF_VARIANT),
                  tmp_path, "ours")
    engine = _pages(_engine_pdf(html), tmp_path, "engine")
    assert len(ours) == len(engine) >= 1
    for mine, theirs in zip(ours, engine, strict=True):
        assert _ink(theirs) > 0.01  # the page holds charts: a blank page would differ as much
        # Anti-aliasing of text laid out whole here and one letter at a time there: a few pixels, no more.
        assert _differing(mine, theirs) < 0.004


@needs_poppler
def test_every_text_of_the_charts_is_text_in_the_pdf():
    pdf = pdf_module.html_to_pdf(_html("".join(_charts())), stylesheets=rendering.STYLESHEETS,
                                 pdf_variant=rendering.PDF_VARIANT)
    text = re.sub(r"[\s\u00a0]+", " ", subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                                                      check=True).stdout.decode())
    for words in ("2021", "2025", "64,5", "Cible : 100 personnes", "Valeur de référence : 10 personnes",
                  "Unité : personnes", "Un libellé assez long", "Prévention", "7,5", "T1", "T2"):
        assert words in text


def test_every_chart_of_the_40_sheet_report_is_drawn_here():
    """The fixture of the report whose text must not change (tests/reports/test_pdf_text_unchanged.py)."""
    from tests.reports.test_pdf_text_unchanged import fixture_data

    html = rendering.render_html(kind="activite", year=2025, data=fixture_data())
    sources = re.findall(r'<img class="cls-chart__svg" src="([^"]*)"', html)
    assert len(sources) > 50
    pictures = ChartPictures(font_config=None)
    assert all(src in pictures for src in sources)
    assert pictures.drawn_here == len(set(sources))


def test_the_picture_is_read_in_painting_order_with_its_texts_last():
    width, height, items = parse(unquote(re.search(r'src="data:image/svg\+xml;charset=utf-8,([^"]*)"',
                                                   _charts()[0]).group(1)))
    assert width == 560 and height > 240  # the legend under the plot (240 units high)
    kinds = [item[0] for item in items]
    # The chart's own texts (14 units) come after every shape: over the grid, the bars and the lines.
    chart_texts = [i for i, item in enumerate(items) if item[0] == "text" and item[7] == 14.0]
    assert chart_texts and min(chart_texts) > max(i for i, k in enumerate(kinds) if k == "shape")
    texts = {item[5]: item for item in items if item[0] == "text"}
    report_font = ("Marianne", "DejaVu Sans", "sans-serif")
    assert texts["2021"][3] == 0.5 and texts["2021"][6:] == (report_font, 14.0)  # centred, the picture's font and size
    assert texts["Unité : personnes"][6:] == (report_font, pytest.approx(13.17))  # the legend: 8 pt


@pytest.mark.parametrize("d, ops", [
    ("M1 2H5V7h-4Z", [("M", 1, 2), ("L", 5, 2), ("L", 5, 7), ("L", 1, 7), ("Z", 1, 2)]),
    ("M0 0L3 4 6 8m1 1l1 1", [("M", 0, 0), ("L", 3, 4), ("L", 6, 8), ("M", 7, 9), ("L", 8, 10)]),
    ("M36.9 174H552M36.9 136H552", [("M", 36.9, 174), ("L", 552, 174), ("M", 36.9, 136), ("L", 552, 136)]),
])
def test_paths_of_straight_lines(d, ops):
    assert _path(d) == ops


@pytest.mark.parametrize("d", ["M0 0C1 1 2 2 3 3", "M0 0A5 5 0 0 1 10 10", "L1 1", "M0", "M0 0 H", "M0 0 Z 5",
                               "M1e3 0", "M0 0 H x"])
def test_a_path_with_anything_else_is_left_to_weasyprint(d):
    with pytest.raises(Unsupported):
        _path(d)


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" width="100" height="50" '
       'preserveAspectRatio="xMinYMin meet" font-size="14" font-family="DejaVu Sans">{}</svg>')


@pytest.mark.parametrize("inside", [
    '<circle cx="5" cy="5" r="4" fill="#000091"></circle>',
    '<rect x="0" y="0" width="10" height="10" fill="#000091" transform="rotate(45)"></rect>',
    '<rect x="0" y="0" width="10" height="10" fill="url(#g)"></rect>',
    '<rect x="0" y="0" width="10" height="10" fill="red"></rect>',
    '<rect x="0" y="0" width="10" height="10" fill="#000091" opacity="0.5"></rect>',
    '<text x="0" y="10">a<tspan>b</tspan></text>',
    '<text x="0" y="10" text-anchor="left">a</text>',
    '<text x="0" y="10" font-family="\'Marianne\', serif">a</text>',
    '<line x1="0" y1="0" x2="5" y2="5" stroke="#000000" stroke-dasharray="-1 2"></line>',
    '<g><rect x="0" y="0" width="10" height="10"></rect></g>',
])
def test_a_picture_with_anything_else_is_left_to_weasyprint(inside):
    url = PREFIX + quote(SVG.format(inside))
    assert url not in ChartPictures(font_config=None)


@pytest.mark.parametrize("url", [
    PREFIX + quote("<svg"),  # not XML
    PREFIX + quote(SVG.format("").replace('viewBox="0 0 100 50"', 'viewBox="10 0 100 50"')),  # a shifted frame
    PREFIX + quote(SVG.format("").replace('width="100"', 'width="100%"')),
    PREFIX + quote(SVG.format("").replace("xMinYMin meet", "xMidYMid meet")),  # centred: left to WeasyPrint
    "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
    "data:image/png;base64,iVBORw0KGgo=",
])
def test_other_images_are_left_to_weasyprint(url):
    assert url not in ChartPictures(font_config=None)


@needs_poppler
def test_a_picture_left_to_weasyprint_is_still_drawn_and_a_broken_one_breaks_nothing(tmp_path):
    circle = PREFIX + quote(SVG.format('<circle cx="50" cy="25" r="20" fill="#000091"></circle>'))
    broken = PREFIX + quote("<svg")
    html = _html(f'<p>Avant</p><img src="{circle}" alt="Un disque" style="width:100mm">'
                 f'<img src="{broken}" alt="Rien"><p>Après</p>')
    page = _pages(pdf_module.html_to_pdf(html, stylesheets=rendering.STYLESHEETS), tmp_path, "page")[0]
    blue = sum(1 for r, g, b in page.get_flattened_data() if b > 100 and r < 60 and g < 60)
    assert blue > 1000  # the disc, drawn by WeasyPrint's engine


@needs_poppler
def test_nothing_is_drawn_outside_the_picture(tmp_path):
    """As a browser shows an SVG image: a text or a bar past the picture's edge is cut there (WeasyPrint clips an
    image to its box, whoever draws it)."""
    inside = ('<rect x="0" y="0" width="100" height="50" fill="#000091"></rect>'
              '<rect x="100" y="0" width="400" height="50" fill="#000091"></rect>'
              '<text x="90" y="30" fill="#000091">WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW</text>')
    url = PREFIX + quote(SVG.format(inside))
    assert url in ChartPictures(font_config=None)
    html = _html(f'<img src="{url}" alt="Un rectangle" style="width:50mm">')
    page = _pages(pdf_module.html_to_pdf(html, stylesheets=rendering.STYLESHEETS), tmp_path, "page")[0]
    left, top, right, bottom = ImageChops.invert(page.convert("L")).getbbox()
    assert right - left == pytest.approx(50 / 25.4 * 100, abs=3)  # 50 mm at 100 dpi: the picture's width only
