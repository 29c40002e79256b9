"""The reports' charts drawn straight onto WeasyPrint's page, not through its SVG engine (issue 19).

Our own code, with a measured reason: WeasyPrint's SVG engine is general (CSS cascade inside the picture, groups,
gradients, text laid out one letter at a time, each letter a Pango layout of its own). The portal's print charts
(`cls_portal.core.charts`, print variant) use a handful of its features: paths of straight lines, lines, rectangles,
flat colours, dashes and one-line texts. Drawn here, each text is one Pango layout and the shapes are a few PDF
operators. On the 40-sheet activity report (97 charts, 2026-12-06, `python bench/report_vs_chromium.py`): see
bench/RESULTS.md, « Les graphiques dessinés par le portail ».

How it plugs in: WeasyPrint looks an image's URL up in the `cache` mapping it is given before fetching it
(`weasyprint.images.get_image_from_uri`). `ChartPictures` answers for the `data:image/svg+xml` URLs whose SVG
stays within that subset, with a `ChartPicture` (WeasyPrint's image interface: `get_intrinsic_size`, `draw`).
Any other picture, or a chart with one attribute outside the subset, is not answered for: WeasyPrint draws it
with its own engine, as before. The HTML does not change, so Chromium, a browser or a screen reader read the
same SVG.

It leans on WeasyPrint's text functions (`split_first_line`, `draw_first_line`) and stream methods, as its SVG
engine does: WeasyPrint is pinned (requirements.txt), and tests/core/test_pdf_charts.py compares the pictures
drawn here with those of WeasyPrint's engine, pixel by pixel, so that an upgrade that changes them is seen.
"""

from __future__ import annotations

import functools
import re
from math import inf
from urllib.parse import unquote
from xml.etree import ElementTree

PREFIX = "data:image/svg+xml;charset=utf-8,"
_SVG = "{http://www.w3.org/2000/svg}"
_ROOT_ATTRIBUTES = {"role", "viewBox", "width", "height", "preserveAspectRatio", "aria-labelledby", "focusable",
                    "font-size", "font-family", "class"}
_ATTRIBUTES = {
    "path": {"d", "stroke", "fill", "stroke-width", "stroke-dasharray"},
    "line": {"x1", "y1", "x2", "y2", "stroke", "stroke-width", "stroke-dasharray"},
    "rect": {"x", "y", "width", "height", "fill", "stroke", "stroke-width"},
    "text": {"x", "y", "text-anchor", "fill", "font-family", "font-size"},
}
_NUMBER = r"-?(?:\d+(?:\.\d*)?|\.\d+)"
_NUMBER_RE = re.compile(_NUMBER + r"\Z")
_PATH_TOKEN = re.compile(rf"\s*(?:([MLHVZmlhvz])|({_NUMBER}))\s*,?")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")
_ANCHORS = {"start": 0.0, "middle": 0.5, "end": 1.0}


class Unsupported(ValueError):
    """The picture uses something this drawer does not draw: WeasyPrint's engine draws it."""


def _number(value: str | None, default: float | None = None) -> float:
    if value is None and default is not None:
        return default
    if value is None or not _NUMBER_RE.match(value.strip()):
        raise Unsupported(f"nombre : {value!r}")
    return float(value)


def _colour(value: str | None, default: str | None) -> str | None:
    value = default if value is None else value.strip()
    if value is None or value == "none":
        return None
    if not _COLOUR.match(value):
        raise Unsupported(f"couleur : {value!r}")
    return value


def _family(value: str | None, default: tuple[str, ...]) -> tuple[str, ...]:
    """Font families by their names, the first one found drawing (`Marianne, sans-serif`; no quotes)."""
    if value is None:
        return default
    families = tuple(name.strip() for name in value.split(","))
    if not all(re.fullmatch(r"[A-Za-z][A-Za-z0-9 -]*", name) for name in families):
        raise Unsupported(f"police : {value!r}")
    return families


def _path(d: str) -> list[tuple[str, float, float]]:
    """The path `d` as absolute moves, lines and closes: [("M" | "L" | "Z", x, y)]. Straight segments only."""
    tokens, position = [], 0
    while position < len(d):
        match = _PATH_TOKEN.match(d, position)
        if not match or match.end() == position:
            raise Unsupported(f"chemin : {d!r}")
        tokens.append(match.group(1) or float(match.group(2)))
        position = match.end()
    ops, x, y, start_x, start_y, command, i = [], 0.0, 0.0, 0.0, 0.0, None, 0

    def numbers(n: int) -> list[float]:
        nonlocal i
        values = tokens[i:i + n]
        if len(values) < n or any(isinstance(v, str) for v in values):
            raise Unsupported(f"chemin : {d!r}")
        i += n
        return values

    while i < len(tokens):
        if isinstance(tokens[i], str):
            command = tokens[i]
            i += 1
            if command in "Zz":
                ops.append(("Z", start_x, start_y))
                x, y = start_x, start_y
                continue
        elif command is None or command in "Zz":
            raise Unsupported(f"chemin : {d!r}")
        relative = command.islower()
        if command in "MmLl":
            nx, ny = numbers(2)
            x, y = (x + nx, y + ny) if relative else (nx, ny)
            if command in "Mm":
                ops.append(("M", x, y))
                start_x, start_y = x, y
                command = "l" if relative else "L"  # further pairs after a move are lines
            else:
                ops.append(("L", x, y))
        elif command in "Hh":
            (nx,) = numbers(1)
            x = x + nx if relative else nx
            ops.append(("L", x, y))
        else:  # V, v
            (ny,) = numbers(1)
            y = y + ny if relative else ny
            ops.append(("L", x, y))
    if ops and ops[0][0] != "M":
        raise Unsupported(f"chemin : {d!r}")
    return ops


def parse(svg: str) -> tuple[float, float, list[tuple]]:
    """(width, height, [shape or text, in painting order]) of an SVG within the subset; `Unsupported` (or an XML
    error) otherwise. A text's font is its own `font-family` and `font-size`, else the picture's."""
    root = ElementTree.fromstring(svg)
    if root.tag != _SVG + "svg" or set(root.attrib) - _ROOT_ATTRIBUTES:
        raise Unsupported("racine")
    width, height = _number(root.get("width")), _number(root.get("height"))
    viewbox = [_number(v) for v in (root.get("viewBox") or "").split()]
    if (viewbox != [0, 0, width, height] or width <= 0 or height <= 0
            or root.get("preserveAspectRatio") != "xMinYMin meet"):  # drawn from the top left corner
        raise Unsupported("cadre")
    font_size = _number(root.get("font-size"), 16.0)
    family = _family(root.get("font-family"), ("sans-serif",))
    items: list[tuple] = []
    for node in root:
        tag = node.tag.removeprefix(_SVG) if isinstance(node.tag, str) else ""
        if tag in ("title", "desc"):
            continue
        if tag not in _ATTRIBUTES or set(node.attrib) - _ATTRIBUTES[tag] or len(node):
            raise Unsupported(f"élément : {tag or node.tag!r}")
        a = node.attrib
        if tag == "text":
            anchor = a.get("text-anchor", "start")
            if anchor not in _ANCHORS:
                raise Unsupported(f"ancre : {anchor!r}")
            items.append(("text", _number(a.get("x"), 0.0), _number(a.get("y"), 0.0), _ANCHORS[anchor],
                          _colour(a.get("fill"), "#000000"), node.text or "", _family(a.get("font-family"), family),
                          _number(a.get("font-size"), font_size)))
            continue
        if tag == "rect":
            x, y = _number(a.get("x"), 0.0), _number(a.get("y"), 0.0)
            w, h = _number(a.get("width")), _number(a.get("height"))
            if w <= 0 or h <= 0:
                continue  # SVG draws nothing for an empty rectangle
            ops = [("M", x, y), ("L", x + w, y), ("L", x + w, y + h), ("L", x, y + h), ("Z", x, y)]
        elif tag == "line":
            ops = [("M", _number(a.get("x1"), 0.0), _number(a.get("y1"), 0.0)),
                   ("L", _number(a.get("x2"), 0.0), _number(a.get("y2"), 0.0))]
        else:
            ops = _path(a.get("d", ""))
        # A line has no inside: its fill paints nothing.
        fill = None if tag == "line" else _colour(a.get("fill"), "#000000")
        stroke = _colour(a.get("stroke"), None)
        stroke_width = _number(a.get("stroke-width"), 1.0)
        dashes = tuple(_number(v) for v in (a.get("stroke-dasharray") or "").replace(",", " ").split())
        if any(v < 0 for v in dashes) or (dashes and not any(dashes)) or stroke_width < 0:
            raise Unsupported("trait")
        items.append(("shape", ops, fill, stroke if stroke_width else None, stroke_width, dashes))
    return width, height, items


class ChartPicture:
    """One chart, drawn with the operators of its shapes and one Pango layout per text."""

    def __init__(self, parsed, font_config, layouts: dict):
        self.width, self.height, self.items = parsed
        self.font_config = font_config
        self.layouts = layouts  # the document's: (family, size, text) -> (Pango layout, width, baseline)

    def get_intrinsic_size(self, _image_resolution, _font_size):
        return self.width, self.height, self.width / self.height

    def draw(self, stream, concrete_width, concrete_height, _style):
        from weasyprint.draw.text import draw_emojis

        scale = min(concrete_width / self.width, concrete_height / self.height)
        stream.transform(a=scale, d=scale)
        # SVG's defaults, which PDF's differ from (its miter limit is 10).
        stream.set_line_cap(0)
        stream.set_line_join(0)
        stream.set_miter_limit(4)
        styles = {}
        writing = None  # the colour of the text object being written: texts of one colour in a row share one
        for item in self.items:
            if item[0] == "text":
                _, x, y, anchor, fill, text, family, size = item
                if fill is None or not text.strip():
                    continue
                if (family, size) not in styles:
                    styles[family, size] = self._text_style(family, size)
                if writing != fill:
                    if writing is not None:
                        stream.end_text()
                        stream.pop_state()
                    stream.push_state()
                    stream.set_color(_rgba(fill))
                    stream.begin_text()
                    stream.set_text_rendering(0)
                    writing = fill
                emojis, x = self._draw_text(stream, styles[family, size], self.layouts, x, y, anchor, text)
                if emojis:
                    stream.end_text()
                    stream.pop_state()
                    writing = None
                    draw_emojis(stream, styles[family, size], x, y, emojis)
                continue
            if writing is not None:
                stream.end_text()
                stream.pop_state()
                writing = None
            _, ops, fill, stroke, stroke_width, dashes = item
            stream.push_state()
            if fill:
                stream.set_color(_rgba(fill))
            if stroke:
                stream.set_color(_rgba(stroke), stroke=True)
                stream.set_line_width(stroke_width)
                stream.set_dash(dashes, 0)
            for op, x, y in ops:
                if op == "M":
                    stream.move_to(x, y)
                elif op == "L":
                    stream.line_to(x, y)
                else:
                    stream.close()
            if fill and stroke:
                stream.fill_and_stroke()
            elif stroke:
                stream.stroke()
            elif fill:
                stream.fill()
            else:
                stream.end()
            stream.pop_state()
        if writing is not None:
            stream.end_text()
            stream.pop_state()

    def _text_style(self, family: tuple[str, ...], size: float):
        from weasyprint.css.properties import INITIAL_VALUES
        from weasyprint.svg.text import Style

        style = Style()
        style.update(INITIAL_VALUES)
        style.font_config = self.font_config
        style["font_family"] = list(family)
        style["font_size"] = size
        style["font_weight"] = 400
        return style

    @staticmethod
    def _draw_text(stream, style, layouts, x, y, anchor, text) -> tuple[list, float]:
        """Write `text` in the open text object, from (x, y) moved by its anchor: (emojis left to draw, that x)."""
        from weasyprint.draw.text import draw_first_line
        from weasyprint.matrix import Matrix
        from weasyprint.svg.text import TextBox
        from weasyprint.text.line_break import split_first_line

        # One layout per text and document, drawn as many times as it is written: the 40-sheet report's 1 738 chart
        # texts are 80 different ones (years, ticks, legends). Kept active (a layout is made again on each
        # `reactivate`).
        key = (tuple(style["font_family"]), style["font_size"], text)
        if key not in layouts:
            layout, _, _, width, _, baseline = split_first_line(text, style, None, inf, 0)
            layout.reactivate(style)
            layouts[key] = [layout, width, baseline, None]
        layout, width, baseline, operators = layouts[key]
        x -= anchor * width
        matrix = Matrix(d=-1, e=x, f=y)
        if operators is not None:
            stream.set_text_matrix(*matrix.values)
            stream.stream.extend(operators[0])
            stream._current_font = operators[1]
            return [], x
        start = len(stream.stream)
        stream._current_font = None  # so that the font and size are written with the text, and can be replayed
        box = TextBox(layout, style)
        box.baseline = baseline
        emojis = draw_first_line(stream, box, "none", "none", matrix)
        # What it wrote after the text matrix (font and size, glyphs), written again for the next time this text is
        # drawn, at its own place: the glyphs are the same and their widths are already recorded.
        if not emojis and len(stream.stream) > start and stream.stream[start].endswith(b" Tm"):
            layouts[key][3] = stream.stream[start + 1:], stream._current_font
        return emojis, x


@functools.lru_cache(maxsize=64)
def _rgba(colour: str):
    """The colour `#rrggbb` as WeasyPrint's stream takes it, parsed once per process."""
    from tinycss2.color5 import parse_color

    return parse_color(colour)


class ChartPictures(dict):
    """WeasyPrint's image cache for one document, which answers for the charts it can draw (`ChartPicture`)."""

    def __init__(self, font_config):
        super().__init__()
        self.font_config = font_config
        self.layouts: dict = {}
        self.drawn_here = 0  # charts answered for, read by the tests

    def __contains__(self, url) -> bool:
        if dict.__contains__(self, url):
            return True
        if not (isinstance(url, str) and url.startswith(PREFIX)):
            return False
        try:
            parsed = parse(unquote(url[len(PREFIX):]))
        except (Unsupported, ElementTree.ParseError):
            return False
        self[url] = ChartPicture(parsed, self.font_config, self.layouts)
        self.drawn_here += 1
        return True
