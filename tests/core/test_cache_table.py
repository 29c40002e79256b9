"""A plain `migrate` gives a working portal: the database cache table comes with the migrations."""

import importlib
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.db import connection
from django.db.migrations.loader import MigrationLoader

pytestmark = pytest.mark.django_db


def test_cache_table_is_created_by_a_migration(settings):
    assert ("core", "0005_cache_table") in MigrationLoader(connection).graph.nodes
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "cls_cache_migration_test"}}
    assert "cls_cache_migration_test" not in connection.introspection.table_names()
    migration = importlib.import_module("cls_portal.core.migrations.0005_cache_table")
    migration.create_cache_tables(None, SimpleNamespace(connection=connection))
    migration.create_cache_tables(None, SimpleNamespace(connection=connection))  # idempotent
    assert "cls_cache_migration_test" in connection.introspection.table_names()
    caches["default"].set("compteur", 3)
    assert caches["default"].get("compteur") == 3
