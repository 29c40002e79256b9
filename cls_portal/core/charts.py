"""Small server-rendered SVG charts (no JavaScript, no external asset): one module for pages and PDFs.

Every chart is a `<figure>` with a visible title (`<figcaption>`), an `<svg role="img">` with a
`<title>` and a `<desc>` (a sentence), and a visually hidden table that screen readers and text
browsers read instead of the picture. The markup is returned as a `SafeString`: every label is
escaped here. Numbers go through `cls_portal.core.formatting` (the portal's one format) with the same
rounding in the bars' labels, the sentence and the table; coordinates through `css_number` (a point,
never a separator).

    {{ chart }}   # in a template, with chart = bar_chart(...) built by the view or a selector

- `bar_chart(items, title=..., unit=...)`: horizontal bars, one per (label, value). Long labels wrap
  on several lines (never cut); the value sits after its bar; the axis ends on a round number.
- `series_chart(points, title=..., target=..., unit=...)`: values by year as vertical bars, with an
  optional dashed target line and dotted baseline, named in a legend under the plot (never on top
  of a value).

With no value at all, both return a sentence (`<p>`) instead of an empty picture.

Print variant (`print_width_mm=120`, the reports): the same picture for a chart printed that wide, as
an SVG image (`data:` URI) with its sentence as alt, and no screen-reader table (the report prints its
own tables). Every text is an SVG `<text>` of one line, written last, over the shapes: the PDF pipeline
draws these pictures itself (`cls_portal.pdf_charts`, one Pango layout per text), where WeasyPrint's SVG
engine would lay each text out one letter at a time (issue 19).
"""

from __future__ import annotations

import functools
import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from urllib.parse import quote

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .formatting import css_number, format_euros, format_number, to_decimal

Number = int | float | Decimal

# DSFR colours (blue France, grey, red marianne for the target).
BAR_COLOUR = "#000091"
AXIS_COLOUR = "#666666"
GRID_COLOUR = "#dddddd"
TARGET_COLOUR = "#c9191e"
TEXT_COLOUR = "#161616"
FONT_SIZE = 14  # one size for every text of every chart (drawn at its natural size on screens)
LINE_HEIGHT = 18
# Width of a character as a share of the font size, on the wide side (DejaVu Sans, Marianne): text
# boxes are computed from it so that nothing is cut off or leaves the picture.
CHAR_WIDTH = 0.64


def _text_width(text: str) -> float:
    return len(text) * FONT_SIZE * CHAR_WIDTH


def _c(value) -> str:
    return css_number(value, 1)


def _f(value) -> float:
    d = to_decimal(value)
    return float(d) if d is not None else 0.0


def nice_ceiling(value: float, *, integer: bool = False) -> tuple[float, float]:
    """The axis maximum (a round number at or above `value`) and its tick step: 37 -> (40, 10),
    0.83 -> (1, 0.2), 3 (integer counts) -> (4, 1)."""
    value = max(float(value), 1.0 if integer else 0.0)
    if value <= 0:
        return 1.0, 0.2
    exp = math.floor(math.log10(value))
    base = 10.0 ** exp
    for mult, ticks in ((1, 5), (2, 4), (2.5, 5), (4, 4), (5, 5), (10, 5)):
        if integer and mult == 2.5:
            continue
        top = mult * base
        if value <= top * (1 + 1e-9):
            step = top / ticks
            if integer:
                step = max(1.0, math.ceil(step))
                top = step * math.ceil(top / step)
            return round(top, 10), round(step, 10)
    return 10 * base, 2 * base  # pragma: no cover - the loop always returns


def _fmt(value, unit: str = "", decimals: int | None = None) -> str:
    if value is None:
        return "—"
    if unit == "€" and decimals is None:
        return format_euros(value)
    return format_number(value, decimals, unit)


def _wrap_label(text: str, max_chars: int) -> list[str]:
    """Words on lines of at most `max_chars` (a longer word gets its own line, whole)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= max_chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(format_html('<th scope="col">{}</th>', h) for h in headers)
    body = "".join(
        "<tr>" + format_html('<th scope="row">{}</th>', r[0]) + "".join(format_html("<td>{}</td>", c) for c in r[1:])
        + "</tr>" for r in rows)
    return format_html('<table class="fr-sr-only"><caption>{}</caption><thead><tr>{}</tr></thead>'
                       '<tbody>{}</tbody></table>', caption, mark_safe(head), mark_safe(body))


def _figure(title: str, svg: str, table: str, css_class: str, legend: str = "") -> SafeString:
    return mark_safe(
        f'<figure class="cls-chart {escape(css_class)}" role="figure" aria-label="{escape(title)}">'
        f'<figcaption class="cls-chart__title">{escape(title)}</figcaption>{svg}{legend}{table}</figure>')


def _empty(title: str, sentence: str, css_class: str) -> SafeString:
    return format_html('<p class="cls-chart-empty {}"><strong>{}</strong> : {}</p>', css_class, title, sentence)


def _svg_open(width: float, height: float, title: str, desc: str, *, image: bool = False) -> str:
    """`image`: the print variant's picture (an image, not inline SVG: it says its own font, the report's, where
    inline SVG inherits the page's)."""
    ident = _id(title)
    font = mark_safe(f' font-family="{PRINT_FONT}"') if image else ""
    return (format_html('<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {} {}" width="{}" '
                        'height="{}" preserveAspectRatio="xMinYMin meet" aria-labelledby="{}-t {}-d" '
                        'focusable="false" font-size="{}"{} class="cls-chart__svg">',
                        _c(width), _c(height), _c(width), _c(height), ident, ident, FONT_SIZE, font)
            + format_html('<title id="{}-t">{}</title><desc id="{}-d">{}</desc>', ident, title, ident, desc))


def _text(x, y, text, *, anchor="start", fill=TEXT_COLOUR) -> str:
    return format_html('<text x="{}" y="{}" text-anchor="{}" fill="{}">{}</text>', _c(x), _c(y), anchor, fill, text)


# The print variant's font, for the texts of its pictures: the report's (report.css), DejaVu Sans for a character
# Marianne lacks or where Marianne is missing (a browser showing the picture).
PRINT_FONT = "Marianne, DejaVu Sans, sans-serif"


@functools.lru_cache(maxsize=2)
def _advances(font_file: str) -> dict[int, float]:
    """Advance width (em) of each character of a font of the reports (`reports/fonts/…`), read from its file:
    Marianne, for the print legend."""
    from fontTools.ttLib import TTFont

    from cls_portal.pdf import static_path

    font = TTFont(static_path(f"reports/fonts/{font_file}"), lazy=True)
    hmtx, upem = font["hmtx"], font["head"].unitsPerEm
    return {cp: hmtx[glyph][0] / upem for cp, glyph in font.getBestCmap().items()}


class _Texts:
    """The chart's texts: SVG `<text>` in the picture. On screens a label of several lines is one `<text>` of
    `<tspan>`s, written where it comes. In the print variant every line is a `<text>` of its own, and all come
    last, over the grid, the bars and the lines: the picture is drawn by `cls_portal.pdf_charts`, one Pango
    layout per `<text>` (WeasyPrint's SVG engine would lay it out one letter at a time)."""

    def __init__(self, print_variant: bool):
        self.print_variant = print_variant
        self.texts: list[str] = []

    def add(self, x, y, lines: Sequence[str] | str, *, anchor="start", fill=TEXT_COLOUR) -> str:
        """The SVG markup to write at this point of the picture ("" in the print variant, which adds it last)."""
        if isinstance(lines, str):
            markup = _text(x, y, lines, anchor=anchor, fill=fill)
        elif self.print_variant:
            markup = "".join(_text(x, y + i * LINE_HEIGHT, line, anchor=anchor, fill=fill)
                             for i, line in enumerate(lines))
        else:
            markup = format_html('<text x="{}" y="{}" text-anchor="{}" fill="{}">{}</text>', _c(x), _c(y), anchor,
                                 fill, mark_safe("".join(format_html('<tspan x="{}" dy="{}">{}</tspan>', _c(x),
                                                                     0 if i == 0 else LINE_HEIGHT, line)
                                                         for i, line in enumerate(lines))))
        if self.print_variant:
            self.texts.append(markup)
            return ""
        return markup

    def plot(self, svg: str, desc: str) -> str:
        """The picture. In the print variant, an image (a `data:` URI, not one more HTML subtree to parse and
        style) whose `alt` is the chart's sentence, its texts last."""
        if not self.print_variant:
            return svg
        assert svg.endswith("</svg>")
        svg = svg[:-len("</svg>")] + "".join(self.texts) + "</svg>"
        return format_html('<img class="cls-chart__svg" src="data:image/svg+xml;charset=utf-8,{}" alt="{}">',
                           quote(svg, safe=" =:;,/()'-"), desc)


# Same arguments, same chart: a chart is a pure function of its arguments (no date, no user, no setting), so
# each worker process keeps the last CHART_MEMO_SIZE it drew. A dashboard viewed again with unchanged figures
# reuses its pictures (issue 19: the regional view's three charts were ~3 ms of its ~50 ms). The key holds
# each value's type and text, so 1, 1.0, Decimal("1.0") and Decimal("1.00"), which print differently, are
# different keys; an argument that cannot be keyed (a list among the keywords) is drawn, not memoised. The
# print variant is never memoised: a report's charts are drawn once (a report whose data did not change is
# reused whole), so keeping them would only push the pages' charts out.
CHART_MEMO_SIZE = 256
_memo: OrderedDict = OrderedDict()
_memo_lock = threading.Lock()
_WORDS = ("title", "description", "empty", "target_label")  # may be lazy translations: keyed by their text


def _key_of(value):
    if isinstance(value, (list, tuple)):
        return tuple(_key_of(v) for v in value)
    if value is None or isinstance(value, (str, int, float, Decimal)):
        return (type(value).__name__, str(value))
    raise TypeError(type(value).__name__)


def _memoised(draw):
    @functools.wraps(draw)
    def chart(items, **kwargs):
        if kwargs.get("print_width_mm"):
            return draw(items, **kwargs)
        try:
            key = (draw.__name__, _key_of([(str(label), value) for label, value in items]),
                   tuple(sorted((name, _key_of(str(v) if name in _WORDS else v)) for name, v in kwargs.items())))
        except TypeError:
            return draw(items, **kwargs)
        with _memo_lock:
            if key in _memo:
                _memo.move_to_end(key)
                return _memo[key]
        drawn = draw(items, **kwargs)
        with _memo_lock:
            _memo[key] = drawn
            while len(_memo) > CHART_MEMO_SIZE:
                _memo.popitem(last=False)
        return drawn
    return chart


@_memoised
def bar_chart(items: Sequence[tuple[str, Number | None]], *, title: str, unit: str = "", description: str = "",
              decimals: int | None = None, width: int = 640, bar_height: int = 20, css_class: str = "",
              empty: str = "aucune donnée à représenter.", print_width_mm: float | None = None) -> SafeString:
    """Horizontal bar chart of `(label, value)` pairs. Negative or missing values draw no bar.
    `decimals`: the rounding of the labels, the sentence and the table alike (None: as `|nombre`)."""
    items = [(str(label), value) for label, value in items]
    # Nothing above zero draws no bar: a sentence, not an empty picture over a table of zeros.
    if not any((to_decimal(v) or 0) > 0 for _, v in items):
        return _empty(title, empty, css_class)
    labels = {label: _fmt(v, unit, decimals) for label, v in items}
    gap, pad = 10, 6
    longest = max(len(label) for label, _ in items)
    max_chars = max(12, min(longest, int(width * 0.38 / (FONT_SIZE * CHAR_WIDTH))))
    wrapped = [_wrap_label(label, max_chars) for label, _ in items]
    label_w = max(_text_width(line) for lines in wrapped for line in lines) + pad
    value_w = max(_text_width(text) for text in labels.values()) + pad
    integer = all(to_decimal(v) is None or to_decimal(v) == to_decimal(v).to_integral_value() for _, v in items)
    top, step = nice_ceiling(max(_f(v) for _, v in items), integer=integer)
    plot_x = label_w + pad
    plot_w = max(80.0, width - plot_x - value_w - pad)
    y = gap
    rows = []
    for (label, value), lines in zip(items, wrapped, strict=True):
        row_h = max(bar_height, len(lines) * LINE_HEIGHT)
        rows.append((label, value, lines, y, row_h))
        y += row_h + gap
    axis_y = y
    height = axis_y + LINE_HEIGHT + 8
    desc = description or "; ".join(f"{label} : {labels[label]}" for label, _ in items) + "."
    parts = [_svg_open(width, height, title, desc, image=bool(print_width_mm))]
    texts = _Texts(bool(print_width_mm))
    n_ticks = int(round(top / step))
    for k in range(n_ticks + 1):
        tx = plot_x + plot_w * k / n_ticks
        parts.append(format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"></line>',
                                 _c(tx), _c(gap / 2), _c(tx), _c(axis_y), GRID_COLOUR if k else AXIS_COLOUR))
        if k in (0, n_ticks) or n_ticks <= 5:
            tick = format_number(step * k, unit="%" if unit == "%" else "")
            parts.append(texts.add(tx, axis_y + LINE_HEIGHT, tick, anchor="middle", fill=AXIS_COLOUR))
    for label, value, lines, ry, row_h in rows:
        first = ry + (row_h - len(lines) * LINE_HEIGHT) / 2 + FONT_SIZE
        parts.append(texts.add(label_w, first, lines, anchor="end"))
        w = max(0.0, _f(value)) / top * plot_w
        bar_y = ry + (row_h - bar_height) / 2
        parts.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>',
                                 _c(plot_x), _c(bar_y), _c(w), bar_height, BAR_COLOUR))
        parts.append(texts.add(plot_x + w + 4, bar_y + bar_height / 2 + FONT_SIZE * 0.35, labels[label]))
    parts.append("</svg>")
    table = "" if print_width_mm else _table(title, ["Libellé", f"Valeur{f' ({unit})' if unit else ''}"],
                                             [(label, labels[label]) for label, _ in items])
    return _figure(title, texts.plot("".join(parts), desc), table, css_class)


@_memoised
def series_chart(points: Sequence[tuple[int | str, Number | None]], *, title: str, target: Number | None = None,
                 target_label: str = "Cible", unit: str = "", baseline: Number | None = None,
                 decimals: int | None = None, width: int = 560, height: int = 240, css_class: str = "",
                 empty: str = "aucune valeur saisie pour le moment.", print_width_mm: float | None = None,
                 target_at_most: bool = False) -> SafeString:
    """Values by year (vertical bars) against an optional target line (dashed) and baseline (dotted).
    Without any value: a sentence (with the target, if any), not an empty picture. `target_at_most`: the
    target is a ceiling (an indicator expected to fall), written « ≤ 8 % » wherever the chart names it."""
    points = [(str(year), value) for year, value in points]
    known = [(y, v) for y, v in points if to_decimal(v) is not None]
    target_text = None if target is None else ("≤\u00a0" if target_at_most else "") + _fmt(target, unit, decimals)
    sentence = _series_sentence(known, target_text, target_label, unit, baseline, decimals)
    if not known:
        extra = f" {target_label} : {target_text}." if target is not None else ""
        return _empty(title, empty + extra, css_class)
    all_values = [v for _, v in known] + [v for v in (target, baseline) if v is not None]
    integer = all(to_decimal(v) == to_decimal(v).to_integral_value() for v in all_values)
    top, step = nice_ceiling(max(_f(v) for v in all_values), integer=integer)
    n_ticks = int(round(top / step))
    tick_labels = [format_number(step * k, unit="%" if unit == "%" else "") for k in range(n_ticks + 1)]
    margin_left = max(_text_width(t) for t in tick_labels) + 10
    margin_top, margin_bottom, margin_right = FONT_SIZE + 8, LINE_HEIGHT + 10, 8
    plot_w = width - margin_left - margin_right
    plot_h = height - margin_top - margin_bottom
    base_y = margin_top + plot_h

    def y_of(value) -> float:
        return base_y - _f(value) / top * plot_h

    def line_y(value) -> float:
        """Where the target or baseline line runs: at its value, but a line at zero (or below) runs just over the
        axis, where it can be seen, not under it."""
        return min(y_of(value), base_y - AXIS_CLEARANCE)

    parts = [_svg_open(width, height, title, sentence, image=bool(print_width_mm))]
    texts = _Texts(bool(print_width_mm))
    # Print variant: the grid and the bars as one path each (fewer SVG nodes to draw).
    grid, bars = [], []
    for k, tick in enumerate(tick_labels):
        ty = base_y - plot_h * k / n_ticks
        if print_width_mm and k:
            grid.append(f"M{_c(margin_left)} {_c(ty)}H{_c(width - margin_right)}")
        else:
            parts.append(format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"></line>', _c(margin_left),
                                     _c(ty), _c(width - margin_right), _c(ty),
                                     AXIS_COLOUR if k == 0 else GRID_COLOUR))
        parts.append(texts.add(margin_left - 5, ty + FONT_SIZE * 0.35, tick, anchor="end", fill=AXIS_COLOUR))
    n = max(1, len(points))
    slot = plot_w / n
    bar_w = min(48.0, slot * 0.6)
    lines_y = [line_y(v) for v in (target, baseline) if v is not None]
    for i, (year, value) in enumerate(points):
        cx = margin_left + i * slot + slot / 2
        if to_decimal(value) is not None:
            vy = y_of(max(0.0, _f(value)))
            if print_width_mm:
                bars.append(f"M{_c(cx - bar_w / 2)} {_c(vy)}h{_c(bar_w)}v{_c(base_y - vy)}h{_c(-bar_w)}Z")
            else:
                parts.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>',
                                         _c(cx - bar_w / 2), _c(vy), _c(bar_w), _c(base_y - vy), BAR_COLOUR))
            label_y, fill = _value_label_place(vy, base_y, lines_y)
            parts.append(texts.add(cx, label_y, _fmt(value, "", decimals), anchor="middle", fill=fill))
        parts.append(texts.add(cx, height - 8, year, anchor="middle"))
    if grid:
        parts.insert(1, format_html('<path d="{}" stroke="{}" fill="none"></path>', "".join(grid), GRID_COLOUR))
    if bars:
        parts.append(format_html('<path d="{}" fill="{}"></path>', "".join(bars), BAR_COLOUR))
    if baseline is not None:
        parts.append(format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" '
                                 'stroke-dasharray="2 3"></line>', _c(margin_left), _c(line_y(baseline)),
                                 _c(width - margin_right), _c(line_y(baseline)), AXIS_COLOUR))
    if target is not None:
        parts.append(format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" '
                                 'stroke-dasharray="6 4"></line>', _c(margin_left), _c(line_y(target)),
                                 _c(width - margin_right), _c(line_y(target)), TARGET_COLOUR))
    if print_width_mm:
        legend = ""
        keys, extra = _print_legend(unit, target_text, target_label, baseline, decimals, print_width_mm,
                                    width / print_width_mm, height)
        parts.append(keys)
        parts[0] = _svg_open(width, height + extra, title, sentence, image=True)
    else:
        legend = _legend(unit, target_text, target_label, baseline, decimals)
    parts.append("</svg>")
    rows = [(year, _fmt(v, unit, decimals)) for year, v in points]
    if baseline is not None:
        rows.append(("Valeur de référence", _fmt(baseline, unit, decimals)))
    if target is not None:
        rows.append((target_label, target_text))
    table = "" if print_width_mm else _table(title, ["Année", f"Valeur{f' ({unit})' if unit else ''}"], rows)
    return _figure(title, texts.plot("".join(parts), sentence), table, css_class, legend)


# A value's figures (digits, a comma) from their baseline: up to 0.73 em above it, 0.16 em below (Marianne's comma;
# DejaVu Sans: 0.73 and 0.12), and the target and baseline lines are 2 units thick.
FIGURE_ASCENT, FIGURE_DESCENT, LINE_HALF_WIDTH = 0.73 * FONT_SIZE, 0.16 * FONT_SIZE, 1.0
# A target or baseline line at zero runs this far over the axis (1 unit thick): its 2 units clear it.
AXIS_CLEARANCE = 2.5


def _value_label_place(bar_top: float, base_y: float, lines_y: Sequence[float]) -> tuple[float, str]:
    """Where a bar's value is written (its baseline) and in which colour: over the bar, unless the target or
    the baseline line runs through it there (« 13 » under a target of 14 read as a struck-out figure); then
    inside the top of the bar, in white, if the bar is tall enough and no line crosses it there; else just over
    the line."""
    def crossed(y: float) -> bool:
        return any(y - FIGURE_ASCENT - LINE_HALF_WIDTH <= ly <= y + FIGURE_DESCENT + LINE_HALF_WIDTH
                   for ly in lines_y)

    above = bar_top - 4
    if not crossed(above):
        return above, TEXT_COLOUR
    inside = bar_top + 4 + FIGURE_ASCENT
    if inside + FIGURE_DESCENT + 2 <= base_y and not crossed(inside):
        return inside, "#ffffff"
    y = above
    while crossed(y):  # over the lowest line that crosses it, then over the next one if need be
        y = min(ly for ly in lines_y if y - FIGURE_ASCENT - LINE_HALF_WIDTH <= ly <= y + FIGURE_DESCENT
                + LINE_HALF_WIDTH) - LINE_HALF_WIDTH - FIGURE_DESCENT - 2
    return (y, TEXT_COLOUR) if y >= FIGURE_ASCENT else (above, TEXT_COLOUR)  # never out of the picture


def _legend(unit, target_text, target_label, baseline, decimals) -> str:
    items = []
    if unit:
        items.append(format_html("<li>Unité : {}</li>", unit))
    if target_text is not None:
        items.append(format_html('<li><span class="cls-chart__key cls-chart__key--target" aria-hidden="true"></span>'
                                 '{} : {}</li>', target_label, target_text))
    if baseline is not None:
        items.append(format_html('<li><span class="cls-chart__key cls-chart__key--baseline" aria-hidden="true">'
                                 '</span>Valeur de référence : {}</li>', _fmt(baseline, unit, decimals)))
    if not items:
        return ""
    return format_html('<ul class="cls-chart__legend" aria-hidden="true">{}</ul>', mark_safe("".join(items)))


# The print legend, in the picture under the plot: Marianne 8 pt, lines 1.4 high, as wide as the chart.
LEGEND_PT, LEGEND_LINE_PT, MM_PER_PT = 8, 11.2, 25.4 / 72
LEGEND_GAP_MM = 2.16 * LEGEND_PT * MM_PER_PT  # between two items on a line
KEY_ROOM_MM, KEY_WIDTH_MM = 3.24 * LEGEND_PT * MM_PER_PT, 8  # a key's room before its text (9.1 mm), the key in it
# Marianne's ascent is 1.1 em and its descent 0.4 em: in a line 1.4 em high, the baseline is 1.05 em down.
LEGEND_BASELINE_EM = 1.05
# The legend starts as far under the plot as the lines under an inline image and a paragraph's margin put it.
PLOT_GAP_EM, LEGEND_MARGIN_MM = 0.35, 1


def _legend_width_mm(text: str) -> float:
    advances = _advances("Marianne-Regular.woff")
    return sum(advances.get(ord(c), 0.6) for c in text) * LEGEND_PT * MM_PER_PT  # 0.6 em: not in Marianne


def _print_legend(unit, target_text, target_label, baseline, decimals, width_mm: float, units_per_mm: float,
                  plot_height: float) -> tuple[str, float]:
    """The legend of a print chart, drawn by its picture under the plot: (its SVG: texts and keys, the height
    it adds to the picture, in chart units). A new line when the next item would not fit the chart's width;
    a key (the target's dashed line, the baseline's dotted one) in the room before its item's text.

    In the picture rather than as an HTML paragraph under it: each paragraph and each key was a box for
    WeasyPrint to style, lay out and draw (the legends were ~7 % of a 40-sheet report's time once the pictures
    were drawn by `cls_portal.pdf_charts`)."""
    items = []
    if unit:
        items.append(("", f"Unité : {unit}"))
    if target_text is not None:
        items.append(("target", f"{target_label} : {target_text}"))
    if baseline is not None:
        items.append(("baseline", f"Valeur de référence : {_fmt(baseline, unit, decimals)}"))
    if not items:
        return "", 0.0
    placed, line, x = [], 0, 0.0  # (key, text, x of the item in mm, line)
    for key, text in items:
        width = (KEY_ROOM_MM if key else 0) + _legend_width_mm(text)
        if x and x + LEGEND_GAP_MM + width > width_mm:
            line, x = line + 1, 0.0
        elif x:
            x += LEGEND_GAP_MM
        placed.append((key, text, x, line))
        x += width
    line_mm = LEGEND_LINE_PT * MM_PER_PT
    top_mm = PLOT_GAP_EM * FONT_SIZE / units_per_mm + LEGEND_MARGIN_MM  # the legend's top under the plot
    size = LEGEND_PT * MM_PER_PT * units_per_mm
    svg = []
    for key, text, x, n in placed:
        if key:
            y = plot_height + (top_mm + (n + 0.5) * line_mm + 0.15) * units_per_mm
            svg.append(format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" stroke-dasharray="{}"></line>',
                _c(x * units_per_mm), _c(y), _c((x + KEY_WIDTH_MM) * units_per_mm), _c(y),
                TARGET_COLOUR if key == "target" else AXIS_COLOUR, "6 4" if key == "target" else "2 3"))
        baseline_y = plot_height + (top_mm + n * line_mm + LEGEND_BASELINE_EM * LEGEND_PT * MM_PER_PT) * units_per_mm
        svg.append(format_html('<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>',
                               _c((x + (KEY_ROOM_MM if key else 0)) * units_per_mm), _c(baseline_y),
                               css_number(size, 2), TEXT_COLOUR, text))
    return "".join(svg), (top_mm + (line + 1) * line_mm) * units_per_mm


def _series_sentence(known, target_text, target_label, unit, baseline, decimals) -> str:
    if not known:
        text = "Aucune valeur saisie."
    else:
        text = "Valeurs : " + ", ".join(f"{y} : {_fmt(v, unit, decimals)}" for y, v in known) + "."
    if baseline is not None:
        text += f" Valeur de référence : {_fmt(baseline, unit, decimals)}."
    if target_text is not None:
        text += f" {target_label} : {target_text}."
    return text


def _id(title: str) -> str:
    """A stable id from the title (several charts on one page get different ids when titles differ)."""
    return "chart-" + hashlib.sha1(str(title).encode()).hexdigest()[:10]
