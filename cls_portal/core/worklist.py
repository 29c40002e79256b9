"""Work lists: what waits for a user, collected from every app that contributes items.

The landing pages (the délégation's dashboard, the coordinator's "Mon CLS", the pilot's "Mes fiches", the
regional view) and the counts of the main menu show the same items. Each app declares its items in a
selector module (`<app>/worklist.py`) and registers its source in its `AppConfig.ready()`:

    from cls_portal.core import worklist
    worklist.register(my_source)

A source is `fn(user, audience, today) -> Iterable[Pending]`: the kinds of items of one audience
(`DELEGATION`, `REGION`, `COORDINATEUR`, `PILOTE`) for that user, each a queryset that reads the same
number of queries whatever the number of contracts (the landing pages pin their query counts).
`items_for` keeps the result on the user object, which lives for one request.

The menu shows the count on every page, so each source does not return items but `Pending` rows: a queryset
and the function that turns one of its rows into one item. The landing pages evaluate the querysets (one
query each); the menu counts every queryset's rows in a single SQL statement. Both read the same querysets,
so the count and the list cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from cls_portal.core.registry import Registry

DELEGATION = "delegation"
REGION = "region"
COORDINATEUR = "coordinateur"
PILOTE = "pilote"
AUDIENCES = (DELEGATION, REGION, COORDINATEUR, PILOTE)


@dataclass(frozen=True)
class WorkItem:
    kind: str  # the item's code in its app ("fiche_a_revoir")
    label: str  # what to do, in French ("Fiche à revoir")
    title: str  # what it is about ("Fiche 2.4 — Prévenir les chutes")
    url: str  # the page where it is handled
    contract_id: int | None = None
    contract: str = ""  # the contract's name
    departement: str = ""  # code of the contract's (first) département, for the regional roll-up
    due: dt.date | None = None  # a deadline or the date the item has waited since
    detail: str = ""  # a reason, an amount due, a refusal comment...
    fiche_id: int | None = None  # the sheet it is about (the pilot's page groups by sheet)
    rank: int = 50  # groups are shown by rank: decisions and answers first, overdue dates last

    @property
    def sort_key(self):
        return (self.contract.lower(), self.due or dt.date.max, self.label, self.title)


@dataclass(frozen=True)
class Pending:
    """One kind of pending item: the rows (a queryset) and how a row reads as a `WorkItem` (one per row)."""

    queryset: QuerySet
    item: Callable[[object], WorkItem]


Source = Callable[[object, str, dt.date], Iterable[Pending]]

sources = Registry("core.worklist.sources")


def register(source: Source) -> Source:
    return sources.register(source)


def pending_for(user, audience: str, today: dt.date) -> list[Pending]:
    if audience not in AUDIENCES:
        raise ValueError(audience)
    return [p for source in sources for p in source(user, audience, today)]


def items_for(user, audience: str, today: dt.date | None = None) -> list[WorkItem]:
    """Every pending item of `audience` for `user`, sorted by contract then due date: one query per kind of
    item, memoised on the user object (i.e. per request)."""
    today = today or dt.date.today()
    cache = user.__dict__.setdefault("_worklist_cache", {})
    key = (audience, today)
    if key not in cache:
        found = [p.item(row) for p in pending_for(user, audience, today) for row in p.queryset]
        cache[key] = sorted(found, key=lambda i: i.sort_key)
    return cache[key]


def count_for(user, audience: str, today: dt.date) -> int:
    """The number of items `items_for` lists, in one SQL statement (or none when the page already listed
    them): the sum of each queryset's row count."""
    memo = user.__dict__.get("_worklist_cache", {})
    if (audience, today) in memo:
        return len(memo[(audience, today)])
    parts, params = [], []
    for i, p in enumerate(pending_for(user, audience, today)):
        sql, p_params = p.queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) w{i})")
        params.extend(p_params)
    if not parts:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " + ".join(parts), params)
        return cursor.fetchone()[0]


def by_kind(items: Iterable[WorkItem]) -> list[tuple[str, list[WorkItem]]]:
    """Items grouped by what to do, the groups by rank (then in the order they first appear)."""
    groups: dict[str, list[WorkItem]] = {}
    for item in items:
        groups.setdefault(item.label, []).append(item)
    return sorted(groups.items(), key=lambda g: min(i.rank for i in g[1]))
