"""The rétroplanning as positioned rows (HTML/CSS bars, printable): pure computation, no queries."""

from __future__ import annotations

import datetime as dt


def _pct(day: dt.date, start: dt.date, span: int) -> float:
    return round(max(0, min(span, (day - start).days)) * 100 / span, 2)


def build(contract, steps, meetings, today: dt.date) -> dict:
    dates = [d for s in steps for d in (s.date_debut_prevue, s.date_prevue, s.date_realisee) if d]
    dates += [m.date for m in meetings]
    if contract.date_debut_prealable:
        dates.append(contract.date_debut_prealable)
    if contract.date_fin:
        dates.append(contract.date_fin)
    if not dates:
        return {"rows": [], "ticks": [], "meetings": [], "today": None, "empty": True}
    start = dt.date(min(dates).year, 1, 1)
    end = dt.date(max(dates).year, 12, 31)
    span = (end - start).days or 1
    rows = []
    for s in steps:
        begin = s.date_debut_prevue or s.date_prevue
        finish = s.date_prevue or s.date_debut_prevue
        bar = None
        if begin and finish:
            left = _pct(begin, start, span)
            bar = {"left": left, "width": max(0.8, _pct(finish, start, span) - left)}
        rows.append({"step": s, "bar": bar, "overdue": s.is_overdue(today),
                     "done_at": _pct(s.date_realisee, start, span) if s.date_realisee else None})
    ticks = [{"label": y, "left": _pct(dt.date(y, 1, 1), start, span)} for y in range(start.year, end.year + 1)]
    marks = [{"meeting": m, "left": _pct(m.date, start, span)} for m in meetings]
    return {"rows": rows, "ticks": ticks, "meetings": marks, "empty": False,
            "today": _pct(today, start, span) if start <= today <= end else None, "start": start, "end": end}
