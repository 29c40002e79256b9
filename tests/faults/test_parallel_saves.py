"""Eight people save the same edit form at the same instant (race_driver.py), on PostgreSQL and on SQLite:
one save wins, the seven others get the conflict message with what they typed still on screen, no 500,
nothing lost (the database holds the winner's value) and one history line.

PostgreSQL: a database of this test's own on 127.0.0.1:5432, cloned from the run's migrated template
(tests/migrated.py; skipped, with the reason, when unreachable, as the other fault scenarios). SQLite: a copy of
the run's migrated file (Django's IMMEDIATE transactions: writers wait for each other instead of failing with
"database is locked")."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.faults.conftest import _psql, _reachable
from tests.migrated import copy_migrated_sqlite, subprocess_env

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["postgresql", "sqlite"])
def database(request, tmp_path, worker_id):
    media = {"MEDIA_ROOT": str(tmp_path / "media")}
    if request.param == "sqlite":
        migrated = request.getfixturevalue("migrated_sqlite")
        yield subprocess_env(copy_migrated_sqlite(migrated, tmp_path / "race.db"), **media)
        return
    if not _reachable(5432):
        pytest.skip("PostgreSQL injoignable sur 127.0.0.1:5432")
    name = f"cls_race_{worker_id}_{os.getpid()}"
    url = request.getfixturevalue("migrated_postgres").clone(name)
    try:
        yield subprocess_env(url, **media)
    finally:
        _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_eight_parallel_saves_of_each_edit_form(database):
    out = subprocess.run([sys.executable, "-m", "tests.faults.race_driver"], cwd=ROOT, env=database,
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-4000:]
    races = json.loads(out.stdout)
    assert len(races) == 9
    for race in races:
        results, label = race["results"], race["form"]
        assert all(r and "error" not in r for r in results), (label, results)
        statuses = sorted(r["status"] for r in results)
        assert statuses == [200] * 7 + [302], (label, statuses)  # one wins, no 500
        losers = [r for r in results if r["status"] == 200]
        assert all(r["conflict"] and r["typed_kept"] for r in losers), (label, losers)
        assert race["saved"] == race["winners"][0], (label, race)  # nothing lost, nothing mixed
        assert race["history_lines"] == 1, (label, race)
