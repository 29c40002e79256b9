"""Reminders: the registry each app fills with the reminders it knows, and the reads that list those due.

An app declares its reminder kinds by registering sources in its `AppConfig.ready()`:

    from cls_portal.notifications import reminders
    reminders.register(reports_due)

A source is `fn(today, run) -> Iterable[Reminder]` (reads only). `run` is a dict shared by the sources of
one daily run, for what several of them read (the délégation users of each département...).
`services.send_reminders` sends each due reminder once: a reminder names its object and its period, the
pair is recorded in `SentReminder` when it is sent, so the daily job may run any number of times (or
twice at once) and still send it once. A new period (next year's report, the next review round) is a
new reminder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from cls_portal.core.registry import Registry


@dataclass
class Reminder:
    kind: str  # the reminder kind (the app's own code, e.g. "rapport_du"), recorded in SentReminder
    object_key: str  # "contract:12", "fiche:40": what the reminder is about
    period: str  # "2025", "2028-03-14", "tour-2": a new period, a new reminder
    contract: object  # the contract the reminder belongs to (or None)
    title: str
    body: str
    url: str = ""
    users: list = field(default_factory=list)


Source = Callable[[dt.date, dict], Iterable[Reminder]]

sources = Registry("notifications.reminders.sources")


def register(source: Source) -> Source:
    return sources.register(source)


def due_reminders(today: dt.date) -> Iterator[Reminder]:
    run: dict = {}
    for source in sources:
        yield from source(today, run)
