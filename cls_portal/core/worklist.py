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
so the count and the list cannot disagree. A kind with long lists may have its rows read as dicts of the few
fields its items print (`Pending.values`) rather than as model instances.

The regional team's pages roll its items up by département (`RollUp`): the regional view shows only how many
items of each kind wait in each département, counted in one SQL statement, and its work list reads one page of
items at a time in SQL, instead of building every item of the région.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils import timezone

from cls_portal.core.collation import FRENCH, french_key
from cls_portal.core.registry import Registry, Slot

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
        return (french_key(self.contract), self.due or dt.date.max, self.label, self.title)


@dataclass(frozen=True)
class Pending:
    """One kind of pending item: the rows (a queryset) and how a row reads as a `WorkItem` (one per row)."""

    queryset: QuerySet
    item: Callable[[object], WorkItem]
    # The regional roll-up (`RollUp`), set by the regional team's sources only (the menu's count never reads
    # it): a function of no argument building the expression of each row's département code, called only when
    # rows are read and given to them as `dep` (`contracts.worklist.rollup`), and the field holding
    # the row's contract id (the counting statement joins it to `contract_departements`); then what each item
    # of the kind says (its `WorkItem`'s kind, label and rank: the roll-up counts and orders without building
    # items), the field holding the contract's name (the first sort key) and the due date's field or
    # expression (the second; None when the kind has none). A kind without `departement` is read whole.
    departement: Any = None
    contract: str = "contract_id"
    kind: str = ""
    label: str = ""
    rank: int = 50
    contract_name: str = "contract__nom"
    due: Any = None
    # The fields an item reads when the rows are read as dicts (`values()`), not as model instances: building a
    # sheet, its axe and its contract for each of the 86 sheets a délégation of the bench has to review cost 3.6 ms,
    # reading them as rows 1.1 ms. The counts never read them (the queryset itself stays plain, no join added).
    values: tuple[str, ...] = ()


Source = Callable[[object, str, dt.date], Iterable[Pending]]

sources = Registry("core.worklist.sources")
# () -> a `values_list` queryset of (contract id, code of its first département), the département a
# `Pending.departement` gives each row (the contracts app provides it): the roll-up's counting statement joins
# it once instead of one subquery per kind.
contract_departements = Slot("core.worklist.contract_departements")


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
    today = today or timezone.localdate()
    cache = user.__dict__.setdefault("_worklist_cache", {})
    key = (audience, today)
    if key not in cache:
        found = [p.item(row) for p in pending_for(user, audience, today) for row in _read(p, _with_departement(p))]
        cache[key] = sorted(found, key=lambda i: i.sort_key)
    return cache[key]


def _with_departement(p: Pending) -> QuerySet:
    """The rows of `p`, each with its département code as `dep` when `p` is rolled up."""
    return p.queryset if p.departement is None else p.queryset.annotate(dep=p.departement())


def _read(p: Pending, rows: QuerySet) -> QuerySet:
    """`rows` (of `p`) as its items read them: dicts of `p.values` (and `dep`) when it has some."""
    if not p.values:
        return rows
    return rows.values(*p.values, *(("dep",) if p.departement is not None else ()))


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


@dataclass(frozen=True)
class Kind:
    """A kind of item of a roll-up: what its items say (`WorkItem.kind`, `label`, `rank`)."""

    kind: str
    label: str
    rank: int


def _order(p: Pending) -> list:
    """The rows of a rolled-up kind in the roll-up's order: contract name in French order (`collation`), due
    date (none last), pk; deterministic, so SQL pages never repeat nor skip a row."""
    name = Collate(F(p.contract_name), FRENCH)
    due = [] if p.due is None else [(F(p.due) if isinstance(p.due, str) else p.due).asc(nulls_last=True)]
    return [name.asc(), *due, "pk"]


class RollUp:
    """The work list of an audience whose sources roll their items up by département (the regional team):
    one SQL statement counts the items of each kind per département (`cells`), and `items()` reads a slice of
    the list in SQL (OFFSET/LIMIT), one query per kind the slice overlaps. The kinds without a roll-up (report
    campaigns: few) are read whole by `whole()`. Order: kinds by rank then label (a kind's items come from one
    `Pending`, which declares its kind, label, rank and due date), then `_order`."""

    def __init__(self, user, audience: str, today: dt.date | None = None):
        self.user, self.audience, self.today = user, audience, today or timezone.localdate()
        pendings = pending_for(user, audience, self.today)
        self.rolled = sorted((p for p in pendings if p.departement is not None), key=lambda p: (p.rank, p.label))
        self.others = [p for p in pendings if p.departement is None]
        self._cells: dict[tuple[int, str], int] | None = None

    def _counted(self) -> dict[tuple[int, str], int]:
        """(index of the kind in `rolled`, département code or "") -> items; one statement: every kind's rows'
        contract ids (the querysets compiled plainly: compiling a département subquery into each kind cost
        more than the SQL), counted per kind and contract, each (kind, contract) given its contract's
        département (`contract_departements`), then summed per kind and département."""
        if self._cells is None:
            self._cells = {}
            parts, params = [], []
            for i, p in enumerate(self.rolled):
                sql, p_params = (p.queryset.order_by().annotate(wl_cid=F(p.contract)).values_list("wl_cid")
                                 .query.sql_with_params())
                parts.append(f"SELECT {i} AS wl_kind, w{i}.wl_cid FROM ({sql}) w{i}")
                params.extend(p_params)
            if parts:
                # The département of each (kind, contract) counted: joined from every contract's first
                # département, grouped in one pass over the délégations (a subquery per (kind, contract) was
                # ~5 of the statement's ~8 ms for a région of 165 contracts, EXPLAIN ANALYZE).
                dep_sql, dep_params = contract_departements().query.sql_with_params()
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT wl_g.wl_kind, wl_d.dep, SUM(wl_g.wl_n) FROM (SELECT w.wl_kind, "
                                   f"w.wl_cid, COUNT(*) AS wl_n FROM ({' UNION ALL '.join(parts)}) w "
                                   f"GROUP BY w.wl_kind, w.wl_cid) wl_g LEFT JOIN ({dep_sql}) wl_d "
                                   f"ON wl_d.contract_id = wl_g.wl_cid GROUP BY wl_g.wl_kind, wl_d.dep",
                                   [*params, *dep_params])
                    for i, dep, n in cursor.fetchall():  # SUM() is a numeric on PostgreSQL: int()
                        key = (i, dep or "")
                        self._cells[key] = self._cells.get(key, 0) + int(n)
        return self._cells

    @property
    def kinds(self) -> list[Kind]:
        """The rolled-up kinds with at least one item, in the list's order."""
        counted = {i for i, _ in self._counted()}
        seen: dict[str, Kind] = {}
        for i, p in enumerate(self.rolled):
            if i in counted:
                seen.setdefault(p.kind, Kind(p.kind, p.label, p.rank))
        return list(seen.values())

    @property
    def cells(self) -> dict[tuple[str, str], int]:
        """(kind, département code or "" for none) -> number of items, the cells with items only."""
        out: dict[tuple[str, str], int] = {}
        for (i, dep), n in self._counted().items():
            key = (self.rolled[i].kind, dep)
            out[key] = out.get(key, 0) + n
        return out

    @property
    def count(self) -> int:
        """The rolled-up items (not those read whole)."""
        return sum(self._counted().values())

    def whole(self) -> list[WorkItem]:
        """The items of the kinds without a roll-up, sorted; remembers the whole count for the menu
        (`count_for`), which then reads nothing."""
        items = sorted((p.item(row) for p in self.others for row in _read(p, p.queryset)), key=lambda i: i.sort_key)
        counts = self.user.__dict__.setdefault("_worklist_counts", {})
        counts[(self.audience, self.today)] = self.count + len(items)
        return items

    def items(self, *, departement: str | None = None, kind: str = "") -> Slices:
        """The rolled-up items of one département ("" for those without; None: every one) and one kind ("":
        every one), as a sequence sized from the counts and sliced in SQL (for `Paginator`)."""
        segments = [(p, sum(n for (j, dep), n in self._counted().items()
                            if j == i and (departement is None or dep == departement)))
                    for i, p in enumerate(self.rolled) if not kind or p.kind == kind]
        return Slices([(p, n) for p, n in segments if n], departement)


class Slices(Sequence):
    """A roll-up's items, kind after kind (each `(Pending, its number of items)`): its length is the sum of
    the counts; a slice reads, for each kind it overlaps, only its rows (OFFSET/LIMIT), one query a kind."""

    def __init__(self, segments: list[tuple[Pending, int]], departement: str | None):
        self.segments, self.departement = segments, departement

    def __len__(self) -> int:
        return sum(n for _, n in self.segments)

    def counts(self) -> dict[str, tuple[int, int]]:
        """kind -> (position of its first item in the sequence, its number of items)."""
        out: dict[str, tuple[int, int]] = {}
        first = 0
        for p, n in self.segments:
            start, count = out.get(p.kind, (first, 0))
            out[p.kind] = (start, count + n)
            first += n
        return out

    def __getitem__(self, index):
        if not isinstance(index, slice):
            items = self[index:index + 1] if index >= 0 else self[len(self) + index:len(self) + index + 1]
            if not items:
                raise IndexError(index)
            return items[0]
        start, stop, step = index.indices(len(self))
        if step != 1:
            raise ValueError("step")
        out: list[WorkItem] = []
        first = 0  # the position of the segment's first item in the whole list
        for p, n in self.segments:
            lo, hi = max(start, first), min(stop, first + n)
            if lo < hi:
                rows = _with_departement(p)
                if self.departement is not None:
                    rows = rows.filter(dep=self.departement) if self.departement else rows.filter(dep__isnull=True)
                out.extend(p.item(row) for row in _read(p, rows.order_by(*_order(p)))[lo - first:hi - first])
            first += n
        return out


def by_kind(items: Iterable[WorkItem]) -> list[tuple[str, list[WorkItem]]]:
    """Items grouped by what to do, the groups by rank (then in the order they first appear)."""
    groups: dict[str, list[WorkItem]] = {}
    for item in items:
        groups.setdefault(item.label, []).append(item)
    return sorted(groups.items(), key=lambda g: min(i.rank for i in g[1]))
