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

A roll-up page (the regional view) shows only the first items of each kind per département with the kind's
count: `summary_for` counts them in SQL and reads only the items of the first contracts of each département,
instead of building every item to count them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet
from django.urls import reverse

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
    # The regional roll-up: an expression of each row's département code, given to the rows as `dep` (set by
    # the regional team's sources only; the menu's count never reads it). `summary_for` reads the rows of a
    # kind without one whole (report campaigns: few); it ranks the others by the field holding their
    # contract's id and the one holding its name (the first sort key).
    departement: Any = None
    contract: str = "contract_id"
    contract_name: str = "contract__nom"


Source = Callable[[object, str, dt.date], Iterable[Pending]]

sources = Registry("core.worklist.sources")


def register(source: Source) -> Source:
    return sources.register(source)


def url_maker(name: str) -> Callable[..., str]:
    """`reverse(name, args=ids)` for the many rows of a work list: reversed once, with placeholder ids, on the
    first call, then filled in (one `reverse()` an item was a fifth of the time of a long list; the menu's count
    builds the same sources and never calls it). Build it with the `Pending`, i.e. once per request (the
    script prefix is the request's)."""
    pattern = None

    def url(*ids) -> str:
        nonlocal pattern
        if pattern is None:
            pattern = _url_pattern(name, len(ids))
        return pattern.format(*(int(x) for x in ids))
    return url


def _url_pattern(name: str, n: int) -> str:
    marks = [str(9_176_543_210_000 + i) for i in range(n)]
    pattern = reverse(name, args=marks)
    for i, mark in enumerate(marks):
        pattern = pattern.replace(mark, f"{{{i}}}")
    return pattern


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
        found = [p.item(row) for p in pending_for(user, audience, today) for row in _with_departement(p)]
        cache[key] = sorted(found, key=lambda i: i.sort_key)
    return cache[key]


def _with_departement(p: Pending) -> QuerySet:
    return p.queryset if p.departement is None else p.queryset.annotate(dep=p.departement)


def count_for(user, audience: str, today: dt.date) -> int:
    """The number of items `items_for` lists, in one SQL statement (or none when the page already listed or
    counted them): the sum of each queryset's row count."""
    memo = user.__dict__.get("_worklist_cache", {})
    if (audience, today) in memo:
        return len(memo[(audience, today)])
    if (audience, today) in user.__dict__.get("_worklist_counts", {}):  # a roll-up page counted them
        return user._worklist_counts[(audience, today)]
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


@dataclass
class Group:
    """The items of one kind in one département: how many, and the first `shown` of them."""

    departement: str
    label: str
    kind: str
    rank: int
    count: int
    items: list[WorkItem]


@dataclass
class Summary:
    count: int  # every item, as `count_for`
    groups: list[Group]  # by département code, then as `by_kind` orders them
    whole: list[WorkItem]  # the items of the kinds read whole (no département roll-up), sorted


def summary_for(user, audience: str, today: dt.date | None = None, *, shown: int) -> Summary:
    """The work list rolled up by département and kind: each group's count and its first `shown` items in the
    order of `items_for` (the items a slice of `items_for` would give). One query counts every kind's items per
    contract (with the contract's name and département); then each kind reads only the items of the contracts
    that can hold the group's first `shown`: the first contracts by name (the first sort key) until `shown`
    items are before the next name. The count is remembered for the menu (`count_for`)."""
    today = today or dt.date.today()
    pendings = pending_for(user, audience, today)
    rolled = [p for p in pendings if p.departement is not None]
    # (kind, département) -> [(lower-cased name, contract id, items)]
    per_group: dict[tuple[int, str], list[tuple[str, int, int]]] = {}
    departements: dict[int, str | None] = {}  # contract id -> its département: the rows read get it from here
    if rolled:
        parts, params = [], []
        for i, p in enumerate(rolled):
            sql, p_params = (p.queryset.order_by().annotate(_wl_dep=p.departement)
                             .values(p.contract, p.contract_name, "_wl_dep").annotate(_wl_n=Count("pk"))
                             .values_list(p.contract, p.contract_name, "_wl_dep", "_wl_n").query.sql_with_params())
            parts.append(f"SELECT {i}, w{i}.* FROM ({sql}) w{i}")
            params.extend(p_params)
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for i, contract_id, name, dep, n in cursor.fetchall():
                per_group.setdefault((i, dep or ""), []).append((name.lower(), contract_id, n))
                departements[contract_id] = dep
    total = 0
    counts: dict[tuple[int, str], int] = {}
    needed: dict[int, set] = {}
    for (i, dep), contracts in per_group.items():
        contracts.sort()
        before, name_before = 0, None
        for name, contract_id, n in contracts:
            if name != name_before and before >= shown:
                break
            needed.setdefault(i, set()).add(contract_id)
            before, name_before = before + n, name
        counts[(i, dep)] = sum(n for _, _, n in contracts)
        total += counts[(i, dep)]
    groups: dict[tuple[str, str], Group] = {}
    for i, p in enumerate(rolled):
        # `or [0]`: a kind with nothing still reads its (empty) query, so the page's query count is constant.
        rows = list(p.queryset.filter(**{f"{p.contract}__in": sorted(needed.get(i, ())) or [0]}))
        for row in rows:
            row.dep = departements[getattr(row, p.contract)]
        items = [p.item(row) for row in rows]
        for item in items:
            key = (item.departement, item.label)
            if key not in groups:
                groups[key] = Group(item.departement, item.label, item.kind, item.rank, 0, [])
            groups[key].items.append(item)
        for dep in {item.departement for item in items}:  # a kind's items share one label: its group's
            groups[(dep, items[0].label)].count += counts[(i, dep)]
    for group in groups.values():
        group.items = sorted(group.items, key=lambda i: i.sort_key)[:shown]
    whole = sorted((p.item(row) for p in pendings if p.departement is None for row in p.queryset),
                   key=lambda i: i.sort_key)
    total += len(whole)
    user.__dict__.setdefault("_worklist_counts", {})[(audience, today)] = total
    ordered = sorted(groups.values(), key=lambda g: (g.departement, g.rank, g.items[0].sort_key))
    return Summary(total, ordered, whole)


def by_kind(items: Iterable[WorkItem]) -> list[tuple[str, list[WorkItem]]]:
    """Items grouped by what to do, the groups by rank (then in the order they first appear)."""
    groups: dict[str, list[WorkItem]] = {}
    for item in items:
        groups.setdefault(item.label, []).append(item)
    return sorted(groups.items(), key=lambda g: min(i.rank for i in g[1]))
