"""The rétroplanning as positioned rows (HTML/CSS bars, printable): pure computation, no queries.

Rows come in groups: the steps of the method (contracts), then what higher apps contribute through
`contracts.registry.timeline_groups` (actions: the sheets, their planned period and their milestones).
Every position is a CSS percentage written by `formatting.css_number` (`14.28`): a point, never a
separator, whatever the language of the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cls_portal.core.formatting import css_number

from .enums import StepStatus


@dataclass
class Mark:
    """A dated point on a row: a milestone, a meeting."""

    label: str
    date: dt.date
    done: bool = False


@dataclass
class Item:
    """One row of the chart: a bar from `start` to `end` (either may be missing), and marks."""

    label: str
    start: dt.date | None
    end: dt.date | None
    status: str = ""
    state: str = "planned"  # planned, done, overdue
    url: str = ""
    due: dt.date | None = None
    marks: list[Mark] = field(default_factory=list)


def _pct(day: dt.date, start: dt.date, span: int) -> float:
    return max(0, min(span, (day - start).days)) * 100 / span


def step_items(steps, today: dt.date) -> list[Item]:
    items = []
    for s in steps:
        overdue = s.is_overdue(today)
        state = "done" if s.date_realisee or s.statut == StepStatus.REALISEE else ("overdue" if overdue else "planned")
        items.append(Item(label=s.titre, start=s.date_debut_prevue or s.date_prevue,
                          end=s.date_prevue or s.date_debut_prevue, status=s.get_statut_display(), state=state,
                          due=s.date_prevue))
    return items


def build(contract, steps, meetings, today: dt.date, groups: list[tuple[str, list[Item]]] = ()) -> dict:
    """The chart's geometry: `groups` of rows (the steps first), the year ticks, the meetings and today's
    line, each position a CSS percentage string. The span runs from 1 January of the first year to
    31 December of the last one that a date of the chart falls in."""
    all_groups = [("Étapes de la démarche", step_items(steps, today)), *groups]
    dates = [d for _, items in all_groups for it in items
             for d in (it.start, it.end, *(m.date for m in it.marks)) if d]
    dates += [m.date for m in meetings]
    dates += [d for d in (contract.date_debut_prealable, contract.date_fin) if d]
    if not dates:
        return {"groups": [], "ticks": [], "meetings": [], "today": None, "empty": True}
    start = dt.date(min(dates).year, 1, 1)
    end = dt.date(max(dates).year, 12, 31)
    span = (end - start).days + 1

    def pos(day):
        return css_number(_pct(day, start, span))

    out_groups = []
    for title, items in all_groups:
        rows = []
        for it in items:
            bar = None
            if it.start and it.end:
                left = _pct(it.start, start, span)
                right = _pct(it.end + dt.timedelta(days=1), start, span)
                bar = {"left": css_number(left), "width": css_number(max(0.6, right - left))}
            rows.append({"item": it, "bar": bar,
                         "marks": [{"mark": m, "left": pos(m.date)} for m in it.marks]})
        if rows:
            out_groups.append({"title": title, "rows": rows})
    ticks = [{"label": str(y), "left": pos(dt.date(y, 1, 1))} for y in range(start.year, end.year + 1)]
    marks = [{"meeting": m, "left": pos(m.date), "future": m.date > today} for m in meetings]
    return {"groups": out_groups, "ticks": ticks, "meetings": marks, "empty": False,
            "today": pos(today) if start <= today <= end else None, "start": start, "end": end,
            "years": end.year - start.year + 1}
