"""Query snapshots: what a page asks the database, reviewed like code.

A pinned count (`django_assert_max_num_queries(16)`) says how many queries a page runs, not which: a new
N+1 can hide behind a query removed elsewhere, and raising the pin teaches nothing. Like les-emplois'
`assertSnapshotQueries`, `assert_snapshot_queries(snapshot)` records the queries a block runs and compares
them with the snapshot stored beside the test (`__snapshots__/<file>.ambr`, syrupy). A change shows as a diff
in review; accept it with `pytest --snapshot-update <test>`.

The suite runs on SQLite (`make test`) and PostgreSQL (CI), so a query is written down in a form both give
alike: its verb and the tables its main query reads or writes, in order (`SELECT actions_fiche JOIN
contracts_axe`), not its SQL text nor its subqueries (the two databases place those differently). Savepoints
and transaction control are left out.
"""

import datetime as dt
import re
from contextlib import contextmanager

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.test.utils import CaptureQueriesContext

# PostgreSQL reads `.iterator()` through a server-side cursor: `DECLARE "_django_curs_…" … FOR SELECT …`.
_CURSOR = re.compile(r'^\s*DECLARE\s+"?[^"\s]+"?.*?\bFOR\s+(?=SELECT\b)', re.I | re.S)
_SKIP = re.compile(r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT|BEGIN|COMMIT|ROLLBACK)\b", re.I)
_VERB = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", re.I)
_TABLES = re.compile(r'\b(FROM|JOIN|INTO|UPDATE)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.I)
_DERIVED = re.compile(r"\bFROM\s*$", re.I)


def _top_level(sql: str) -> tuple[str, str | None]:
    """The query without its parenthesised parts, and the derived table it reads from (`FROM (SELECT …)`),
    if any. Subqueries (EXISTS, IN, scalar) are left out: the two databases place them differently
    (PostgreSQL wraps an aggregate over an annotated query in a derived table, SQLite may not)."""
    out, depth, start, derived = [], 0, 0, None
    for i, ch in enumerate(sql):
        if ch == "(":
            if depth == 0:
                out.append(sql[start:i])
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                inner = sql[start + 1:i]
                if derived is None and _DERIVED.search("".join(out)) and re.match(r"\s*SELECT\b", inner, re.I):
                    derived = inner
                out.append("()")
                start = i + 1
    out.append(sql[start:])
    return "".join(out), derived


def describe(sql: str) -> str | None:
    """`SELECT "a"."id" FROM "a" INNER JOIN "b" ...` -> `SELECT a JOIN b`; None for transaction control."""
    if _SKIP.match(sql):
        return None
    sql = _CURSOR.sub("", sql)
    verb = (_VERB.match(sql).group(1) if _VERB.match(sql) else sql.split()[0]).upper()
    top, derived = _top_level(sql)
    counts = verb == "SELECT" and re.search(r"\bCOUNT\(", re.split(r"\bFROM\b", top, maxsplit=1, flags=re.I)[0], re.I)
    if derived is not None:
        top, _ = _top_level(derived)
    parts = [verb]
    for keyword, table in _TABLES.findall(top):
        keyword = keyword.upper()
        if keyword == "UPDATE" and verb != "UPDATE":
            continue  # SELECT ... FOR UPDATE
        parts.append(table if keyword in ("FROM", "INTO", "UPDATE") and len(parts) == 1 else f"{keyword} {table}")
    if counts:
        parts[0] = "SELECT COUNT"
    if len(parts) == 1:  # only subqueries (`SELECT (SELECT COUNT(*) …) + (…)`): name the tables they read
        seen = dict.fromkeys(t for _, t in _TABLES.findall(sql))
        parts.append("OF " + " ".join(seen))
    return " ".join(parts)


def describe_all(captured) -> list[str]:
    return [d for d in (describe(q["sql"]) for q in captured) if d is not None]


# Snapshots are taken on one fixed day. The work-list counter of every page leaves out the kinds of item not due
# yet in the season (last year's reports from 1 March, the dialogue de gestion after 31 October): the same page
# reads other tables in February than in December. The day the suite runs must not change a snapshot.
SNAPSHOT_MOMENT = dt.datetime(2026, 12, 6, 11, 0, tzinfo=dt.UTC)


@contextmanager
def assert_snapshot_queries(snapshot, using="default"):
    # Process-wide caches would make the queries depend on the tests run before in the same worker.
    ContentType.objects.clear_cache()
    with time_machine.travel(SNAPSHOT_MOMENT, tick=True), CaptureQueriesContext(connections[using]) as ctx:
        yield ctx
    assert describe_all(ctx.captured_queries) == snapshot  # rewritten by pytest (conftest): syrupy's diff
