"""Small server-rendered SVG charts (no JavaScript, no external asset).

Every chart is an `<svg role="img">` with a `<title>` and a `<desc>`, followed by a text
alternative (a visually hidden table) that screen readers and text browsers read instead of
the picture. The markup is returned as a `SafeString`: every label is escaped here.

    {{ chart }}   # in a template, with chart = bar_chart(...) built by the view or a selector

- `bar_chart(items, title=..., unit=...)`: horizontal bars, one per (label, value).
- `series_chart(points, title=..., target=..., unit=...)`: values by year as vertical bars, with
  an optional dashed target line (an indicator's target, a funding cap...).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

Number = int | float | Decimal

# DSFR colours (blue France, grey, red marianne for the target).
BAR_COLOUR = "#000091"
AXIS_COLOUR = "#666666"
TARGET_COLOUR = "#c9191e"


def format_number(value: Number | None, unit: str = "") -> str:
    """French display: 1 234,5 (narrow no-break space for thousands)."""
    if value is None:
        return "—"
    d = Decimal(str(value)).normalize()
    if d == d.to_integral():
        text = f"{int(d):,}".replace(",", "\u202f")
    else:
        text = f"{float(d):,.2f}".rstrip("0").rstrip(".").replace(",", "\u202f").replace(".", ",")
    return f"{text} {unit}".strip() if unit else text


def _n(value: float) -> str:
    return f"{value:.1f}"


def _f(value) -> float:
    return float(value) if value is not None else 0.0


def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(format_html('<th scope="col">{}</th>', h) for h in headers)
    body = "".join(
        "<tr>" + format_html('<th scope="row">{}</th>', r[0]) + "".join(format_html("<td>{}</td>", c) for c in r[1:])
        + "</tr>" for r in rows)
    return format_html('<table class="fr-sr-only"><caption>{}</caption><thead><tr>{}</tr></thead>'
                       '<tbody>{}</tbody></table>', caption, mark_safe(head), mark_safe(body))


def _wrap(svg: str, table: str, css_class: str) -> SafeString:
    return mark_safe(f'<figure class="cls-chart {escape(css_class)}">{svg}{table}</figure>')


def bar_chart(items: Sequence[tuple[str, Number | None]], *, title: str, unit: str = "", description: str = "",
              width: int = 480, bar_height: int = 22, label_width: int = 170, css_class: str = "") -> SafeString:
    """Horizontal bar chart of `(label, value)` pairs. Negative or missing values draw no bar."""
    items = list(items)
    gap = 8
    height = max(1, len(items)) * (bar_height + gap) + gap
    top = max((_f(v) for _, v in items), default=0.0) or 1.0
    plot_width = width - label_width - 90
    desc = description or (
        "; ".join(f"{label} : {format_number(v, unit)}" for label, v in items) if items else "Aucune donnée.")
    parts = [
        format_html('<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {} {}" width="100%" '
                    'preserveAspectRatio="xMinYMin meet" aria-labelledby="{}-t {}-d" focusable="false">',
                    width, height, _id(title), _id(title)),
        format_html('<title id="{}-t">{}</title><desc id="{}-d">{}</desc>', _id(title), title, _id(title), desc),
    ]
    for i, (label, value) in enumerate(items):
        y = gap + i * (bar_height + gap)
        w = max(0.0, _f(value)) / top * plot_width
        parts.append(format_html(
            '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#161616">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
            '<text x="{}" y="{}" font-size="12" fill="#161616">{}</text>',
            label_width - 6, _n(y + bar_height * 0.7), _shorten(label, 28),
            label_width, y, _n(w), bar_height, BAR_COLOUR,
            _n(label_width + w + 4), _n(y + bar_height * 0.7), format_number(value, unit)))
    parts.append("</svg>")
    table = _table(title, ["Libellé", f"Valeur{f' ({unit})' if unit else ''}"],
                   [(label, format_number(v, unit)) for label, v in items])
    return _wrap("".join(parts), table, css_class)


def series_chart(points: Sequence[tuple[int | str, Number | None]], *, title: str, target: Number | None = None,
                 target_label: str = "Cible", unit: str = "", baseline: Number | None = None,
                 width: int = 480, height: int = 220, css_class: str = "") -> SafeString:
    """Values by year (vertical bars) against an optional target line (dashed) and baseline (dotted)."""
    points = list(points)
    margin_left, margin_bottom, margin_top, margin_right = 56, 28, 16, 12
    plot_w = width - margin_left - margin_right
    plot_h = height - margin_top - margin_bottom
    top = max([_f(v) for _, v in points] + [_f(target), _f(baseline), 0.0]) or 1.0
    top *= 1.1

    def y_of(value) -> float:
        return margin_top + plot_h - _f(value) / top * plot_h

    sentence = _series_sentence(points, target, target_label, unit, baseline)
    parts = [
        format_html('<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {} {}" width="100%" '
                    'preserveAspectRatio="xMinYMin meet" aria-labelledby="{}-t {}-d" focusable="false">',
                    width, height, _id(title), _id(title)),
        format_html('<title id="{}-t">{}</title><desc id="{}-d">{}</desc>', _id(title), title, _id(title), sentence),
        format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"></line>',
                    margin_left, margin_top + plot_h, width - margin_right, margin_top + plot_h, AXIS_COLOUR),
        format_html('<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#161616">{}</text>'
                    '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#161616">0</text>',
                    margin_left - 4, _n(margin_top + 10), format_number(round(top, 2), unit),
                    margin_left - 4, _n(margin_top + plot_h)),
    ]
    n = max(1, len(points))
    slot = plot_w / n
    bar_w = min(48.0, slot * 0.6)
    for i, (year, value) in enumerate(points):
        x = margin_left + i * slot + (slot - bar_w) / 2
        if value is not None:
            y = y_of(value)
            parts.append(format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#161616">{}</text>',
                _n(x), _n(y), _n(bar_w), _n(margin_top + plot_h - y), BAR_COLOUR, _n(x + bar_w / 2), _n(y - 3),
                format_number(value)))
        parts.append(format_html('<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#161616">{}</text>',
                                 _n(x + bar_w / 2), height - 8, year))
    if baseline is not None:
        parts.append(format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-dasharray="2 3"></line>',
            margin_left, _n(y_of(baseline)), width - margin_right, _n(y_of(baseline)), AXIS_COLOUR))
    if target is not None:
        ty = y_of(target)
        parts.append(format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" stroke-dasharray="6 4">'
            '</line><text x="{}" y="{}" text-anchor="end" font-size="11" fill="{}">{} : {}</text>',
            margin_left, _n(ty), width - margin_right, _n(ty), TARGET_COLOUR,
            width - margin_right, _n(ty - 4), TARGET_COLOUR, target_label, format_number(target, unit)))
    parts.append("</svg>")
    rows = [(str(year), format_number(v, unit)) for year, v in points]
    if baseline is not None:
        rows.append(("Valeur de référence", format_number(baseline, unit)))
    if target is not None:
        rows.append((target_label, format_number(target, unit)))
    table = _table(title, ["Année", f"Valeur{f' ({unit})' if unit else ''}"], rows)
    return _wrap("".join(parts), table, css_class)


def _series_sentence(points, target, target_label, unit, baseline) -> str:
    known = [(y, v) for y, v in points if v is not None]
    if not known:
        text = "Aucune valeur saisie."
    else:
        text = "Valeurs : " + ", ".join(f"{y} : {format_number(v, unit)}" for y, v in known) + "."
    if baseline is not None:
        text += f" Valeur de référence : {format_number(baseline, unit)}."
    if target is not None:
        text += f" {target_label} : {format_number(target, unit)}."
    return text


def _shorten(text: str, length: int) -> str:
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def _id(title: str) -> str:
    """A stable id from the title (several charts on one page get different ids when titles differ)."""
    import hashlib

    return "chart-" + hashlib.sha1(str(title).encode()).hexdigest()[:10]
