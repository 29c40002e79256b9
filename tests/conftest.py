"""Suite-wide fixtures.

- Undefined variables in the project's own templates fail the test (third-party templates are
  left alone). Note: `{{ x|default:"…" }}` on an undefined `x` fails too; pass the variable.
- Warnings are errors (pyproject `filterwarnings`).
- `world`: two tenants (Normandie/Calvados and Grand Est/Haute-Marne) with one user per role.
"""

import os
import sys

import pytest
from django.conf import settings

from tests.migrated import migrated_postgres, migrated_sqlite  # noqa: E402,F401 (fixtures)

pytest.register_assert_rewrite("tests.queries")  # a query snapshot that differs shows syrupy's diff

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# alongside it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROJECT_DIR = str(settings.BASE_DIR)


class UndefinedTemplateVariable(str):
    """`string_if_invalid` that raises for templates of this project only."""

    def __contains__(self, key):
        return key == "%s"

    def __mod__(self, var):
        frame = sys._getframe(1)
        while frame is not None:
            node = frame.f_locals.get("self")
            origin = getattr(node, "origin", None)
            if origin is not None and hasattr(node, "token"):
                name = str(getattr(origin, "name", ""))
                if name.startswith(PROJECT_DIR) and "site-packages" not in name:
                    raise AssertionError(f"Variable de gabarit non définie « {var} » dans {name}")
                return ""
            frame = frame.f_back
        return ""


@pytest.fixture(autouse=True)
def _strict_templates(settings):
    for tpl in settings.TEMPLATES:
        tpl.setdefault("OPTIONS", {})["string_if_invalid"] = UndefinedTemplateVariable("")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _broker_backoff_reset():
    """A broker failure in one test must not hold back the report sends of the next ones."""
    from reports.services import broker_backoff_reset

    broker_backoff_reset()
    yield
    broker_backoff_reset()


# --- The shared world, built once per worker and rolled back around each test -------------------
#
# Building the world costs about 200 queries; 1 000+ tests use it. Like Django's `setUpTestData`,
# it is built once inside an outer transaction that stays open while the tests that use it run (each
# test runs in a savepoint inside it and rolls back), then rolled back before any test that does not
# ask for it, so those still start from an empty database. Tests asking for the world are moved to the
# front of the database tests so that each xdist worker builds it once. Each test gets a deep copy of
# the Python objects, so in-memory changes do not leak either. Transactional tests (live_server,
# transactional_db) cannot run inside a transaction: they build their own world, as before.


class _SharedWorld:
    atomic = None
    world = None
    media = None  # the files the world's objects point to, copied into each test's MEDIA_ROOT


def _is_transactional(item_or_request) -> bool:
    names = item_or_request.fixturenames
    marker = item_or_request.node.get_closest_marker("django_db") if hasattr(item_or_request, "node") \
        else item_or_request.get_closest_marker("django_db")
    marked = bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    return marked or "transactional_db" in names or "live_server" in names


def _uses_db(item) -> bool:
    names = getattr(item, "fixturenames", [])
    return bool(item.get_closest_marker("django_db")) or "db" in names or "transactional_db" in names \
        or "live_server" in names or "world" in names or "demo" in names


def _close_shared_world():
    if _SharedWorld.atomic is not None:
        from django.db import transaction

        transaction.set_rollback(True)
        _SharedWorld.atomic.__exit__(None, None, None)
        _SharedWorld.atomic = _SharedWorld.world = None


def _slow_first(items):
    """Stable: the tests marked `slow` first, the others in their order."""
    return sorted(items, key=lambda i: i.get_closest_marker("slow") is None)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # pytest-django has ordered the tests: database, transactional, then no database at all. The world's tests
    # go first (each xdist worker builds the world once). Within each group the `slow` tests go first, and the
    # slow tests that use no test database (fault scenarios, upload bombs: subprocesses on databases of their
    # own) before everything: xdist hands the first quarter of the items out one at a time, alternating
    # workers, then smaller and smaller chunks, so a minute-long test left at the end keeps one worker busy
    # alone while the other waits.
    shared = [i for i in items if "world" in getattr(i, "fixturenames", []) and not _is_transactional(i)]
    ids = {id(i) for i in shared}
    rest = [i for i in items if id(i) not in ids]
    no_db_slow = [i for i in rest if not _uses_db(i) and i.get_closest_marker("slow")]
    ids |= {id(i) for i in no_db_slow}
    db = [i for i in rest if id(i) not in ids and _uses_db(i) and not _is_transactional(i)]
    transactional = [i for i in rest if id(i) not in ids and _uses_db(i) and _is_transactional(i)]
    no_db = [i for i in rest if id(i) not in ids and not _uses_db(i)]
    items[:] = no_db_slow + _slow_first(shared) + _slow_first(db) + _slow_first(transactional) + no_db
    for item in items:
        if _uses_db(item):
            item.fixturenames.insert(0, "_world_scope")


@pytest.fixture(scope="session")
def _world_session(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        _close_shared_world()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """`--reuse-db` (pyproject) keeps the test database of an earlier run, which its last transactional test
    flushed (pytest-django runs them last): the reference rows a data migration wrote are gone. Put them back,
    idempotently, so that `make test` passes a second time as it did the first."""
    import importlib

    from django.apps import apps

    with django_db_blocker.unblock():
        importlib.import_module("actions.migrations.0006_seed_fields_of_action").forwards(apps, None)


@pytest.fixture
def _world_scope(request, _world_session, django_db_blocker, tmp_path_factory):
    """Runs before the test's own transaction: opens (and builds) or closes the shared world."""
    from django.db import transaction

    wanted = "world" in request.fixturenames and not _is_transactional(request)
    with django_db_blocker.unblock():
        if wanted and _SharedWorld.atomic is None:
            from django.test import override_settings

            from tests.world import build_world

            _SharedWorld.media = tmp_path_factory.mktemp("world-media")
            _SharedWorld.atomic = transaction.atomic()
            _SharedWorld.atomic.__enter__()
            with override_settings(MEDIA_ROOT=str(_SharedWorld.media)):
                _SharedWorld.world = build_world()
        elif not wanted:
            _close_shared_world()


@pytest.fixture
def world(request, db, settings):
    import shutil

    from tests.world import fresh_copy

    if _SharedWorld.world is not None:
        shutil.copytree(_SharedWorld.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
        return fresh_copy(_SharedWorld.world)
    from tests.world import build_world

    return build_world()  # a transactional test: its own world, flushed after it


@pytest.fixture
def demo(_demo_snapshot_session, transactional_db, settings):
    """The full demo data set (Normandie and Grand Est territories only), for journeys.

    Seeding takes 5 to 10 s and about 30 tests ask for it: each xdist worker seeds once, copies every table
    of the result (tests/demo.py `DemoSnapshot`), and restores that copy for the next tests, which start
    from the same flushed database (transactional tests: a flush after each). `tests/core/test_seed_demo.py`
    runs the seed itself."""
    from tests.demo import DemoSnapshot

    DemoSnapshot.load(settings.MEDIA_ROOT)


@pytest.fixture(scope="session")
def _demo_snapshot_session(django_db_setup, django_db_blocker):
    """Drops the worker's copy of the demo tables at the end of the session (`--reuse-db` keeps the database)."""
    yield
    from tests.demo import DemoSnapshot

    with django_db_blocker.unblock():
        DemoSnapshot.drop()
