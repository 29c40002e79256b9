"""Eight people save the same edit form at the same instant (race_driver.py), on PostgreSQL and on SQLite:
one save wins, the seven others get the conflict message with what they typed still on screen, no 500,
nothing lost (the database holds the winner's value) and one history line.

PostgreSQL: a database of this test's own on 127.0.0.1:5432 (skipped, with the reason, when unreachable,
as the other fault scenarios). SQLite: a migrated file (Django's IMMEDIATE transactions: writers wait for
each other instead of failing with "database is locked")."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.faults.conftest import _psql, _reachable

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp, url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "DATABASE_"))}
    env.update(DJANGO_SETTINGS_MODULE="cls_portal.settings.test", DATABASE_URL=url, MEDIA_ROOT=str(tmp / "media"),
               PYTHONPATH=str(ROOT))
    return env


@pytest.fixture(params=["postgresql", "sqlite"])
def database(request, tmp_path, worker_id):
    if request.param == "sqlite":
        yield _env(tmp_path, f"sqlite:///{tmp_path / 'race.db'}")
        return
    if not _reachable(5432):
        pytest.skip("PostgreSQL injoignable sur 127.0.0.1:5432")
    name = f"cls_race_{worker_id}_{os.getpid()}"
    _psql(f"DROP DATABASE IF EXISTS {name}")
    _psql(f"CREATE DATABASE {name}")
    try:
        yield _env(tmp_path, f"postgres://postgres@127.0.0.1:5432/{name}")
    finally:
        _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_eight_parallel_saves_of_each_edit_form(database):
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=database,
                   check=True, capture_output=True)
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
