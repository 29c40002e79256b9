"""Migrated databases for the tests that run the portal in subprocesses (fault scenarios, races, upload bombs).

`migrate` from scratch takes about 20 s on the CI machine, and those tests each needed one (a PostgreSQL database
per xdist worker for the fault scenarios, one more per race, a SQLite file for the races and one for the bombs).
Here it runs once per test run, whichever xdist worker asks first (the others wait on a file lock in the run's
shared temporary folder): a SQLite file that the tests copy, and a PostgreSQL template that they clone with
`CREATE DATABASE … TEMPLATE` (under a second). Copies and clones are the tests' own, as before.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def subprocess_env(database_url: str, **extra) -> dict:
    """The environment of a `manage.py` or driver subprocess: this one's, without the Django, database and Celery
    variables of the run, on `database_url` with the test settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "DATABASE_"))}
    env.update(DJANGO_SETTINGS_MODULE="cls_portal.settings.test", DATABASE_URL=database_url, PYTHONPATH=str(ROOT),
               **extra)
    return env


def migrate(database_url: str):
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT,
                   env=subprocess_env(database_url), check=True, capture_output=True)


def psql(sql: str) -> str:
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qtAc", sql], check=True,
                         capture_output=True, text=True)
    return out.stdout.strip()


def shared_dir(tmp_path_factory, worker_id) -> Path:
    """A folder every xdist worker of this run sees (the parent of the workers' own base temp folders)."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@contextlib.contextmanager
def locked(path: Path):
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory, worker_id) -> Path:
    """A migrated SQLite file of this run. Copy it (`copy_migrated_sqlite`); never open it for writing."""
    shared = shared_dir(tmp_path_factory, worker_id)
    target = shared / "migrated.sqlite3"
    with locked(shared / "migrated.sqlite3.lock"):
        if not target.exists():
            part = shared / "migrated.sqlite3.part"
            part.unlink(missing_ok=True)
            migrate(f"sqlite:///{part}")
            part.rename(target)
    return target


def copy_migrated_sqlite(migrated: Path, target: Path) -> str:
    """Copy the migrated file to `target`; its DATABASE_URL."""
    shutil.copy(migrated, target)
    return f"sqlite:///{target}"


class PostgresTemplate:
    """`clone(name)` creates database `name` from the run's migrated template (migrating it first if it is
    missing: the first clone of the run, or after another worker dropped it at its end)."""

    def __init__(self, name: str, lock: Path):
        self.name, self.lock = name, lock

    def _exists(self) -> bool:
        return psql(f"SELECT 1 FROM pg_database WHERE datname = '{self.name}'") == "1"

    def clone(self, name: str) -> str:
        with locked(self.lock):
            if not self._exists():
                psql(f"CREATE DATABASE {self.name}")
                try:
                    migrate(f"postgres://postgres@127.0.0.1:5432/{self.name}")
                except BaseException:
                    psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
                    raise
            psql(f"DROP DATABASE IF EXISTS {name}")
            psql(f"CREATE DATABASE {name} TEMPLATE {self.name}")
        return f"postgres://postgres@127.0.0.1:5432/{name}"

    def drop(self):
        with locked(self.lock):
            psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


@pytest.fixture(scope="session")
def migrated_postgres(tmp_path_factory, worker_id, testrun_uid):
    """The run's migrated PostgreSQL template (127.0.0.1:5432; the caller checks that it answers)."""
    shared = shared_dir(tmp_path_factory, worker_id)
    template = PostgresTemplate(f"cls_tpl_{testrun_uid[:16]}", shared / "migrated-postgres.lock")
    yield template
    template.drop()
