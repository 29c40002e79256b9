"""Demo data for browser tests: territories of Normandie and Grand Est only (fast), then seed_demo."""

import os

from django.core.management import call_command

from cls_portal.territories.importer import import_territories, load_compact

_COMPACT = None
DEMO_REGIONS = {"28", "44"}


def load_demo_territories():
    global _COMPACT
    if _COMPACT is None:
        _COMPACT = load_compact()
    data = dict(_COMPACT)
    data["regions"] = [r for r in _COMPACT["regions"] if r[0] in DEMO_REGIONS]
    data["departements"] = [d for d in _COMPACT["departements"] if d[2] in DEMO_REGIONS]
    data["communes"] = [c for c in _COMPACT["communes"] if c[3] in DEMO_REGIONS]
    epcis = {c[5] for c in data["communes"] if c[5]}
    data["epci"] = [e for e in _COMPACT["epci"] if e[0] in epcis]
    import_territories(data)


def seed_demo_data():
    """Import the two demo régions' territories and run `seed_demo` (idempotent)."""
    load_demo_territories()
    call_command("seed_demo", stdout=open("/dev/null", "w"))


class DemoSnapshot:
    """The demo data of one test session, seeded once and copied back for each test that asks for it.

    `load(media_root)` seeds on the first call (`seed_demo_data`), then copies every table of the project
    (the columns the database does not compute) into tables of its own — the `cls_demo_snapshot` schema
    on PostgreSQL, `cls_demo_snapshot__<table>` on SQLite —, the files written under MEDIA_ROOT into a
    folder of its own, and the e-mails the seed sent. Later calls empty the tables (what pytest-django's
    flush does), copy the rows back, move the sequences past them, and put the files and e-mails back:
    the test sees what a fresh seed would give it, in well under a second instead of 5 to 10 s.
    """

    SCHEMA = "cls_demo_snapshot"
    tables: list[tuple[str, str, list[str]]] | None = None  # (table, copy, columns)
    models: list = []
    media: str | None = None
    outbox: list = []

    @classmethod
    def _copy_name(cls, connection, table):
        if connection.vendor == "postgresql":
            return f"{connection.ops.quote_name(cls.SCHEMA)}.{connection.ops.quote_name(table)}"
        return connection.ops.quote_name(f"{cls.SCHEMA}__{table}")

    @classmethod
    def _project_tables(cls, connection):
        from django.apps import apps

        existing = set(connection.introspection.django_table_names(only_existing=True, include_views=False))
        tables, models = [], []
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if meta.proxy or not meta.managed or meta.db_table not in existing:
                continue
            columns = [f.column for f in meta.local_concrete_fields if not getattr(f, "generated", False)]
            tables.append((meta.db_table, cls._copy_name(connection, meta.db_table), columns))
            models.append(model)
        return tables, models

    @classmethod
    def load(cls, media_root):
        import copy
        import shutil
        import tempfile

        from django.contrib.contenttypes.models import ContentType
        from django.core import mail
        from django.core.management.color import no_style
        from django.db import connection, transaction

        quote = connection.ops.quote_name
        if cls.tables is None:
            cls.drop()  # a copy left by an earlier session (`--reuse-db`)
            sent = len(getattr(mail, "outbox", []))
            seed_demo_data()
            cls.outbox = [copy.deepcopy(m) for m in getattr(mail, "outbox", [])[sent:]]
            tables, cls.models = cls._project_tables(connection)
            with transaction.atomic(), connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute(f"CREATE SCHEMA {quote(cls.SCHEMA)}")
                for table, snap, columns in tables:
                    cursor.execute(f"CREATE TABLE {snap} AS SELECT {', '.join(map(quote, columns))} "
                                   f"FROM {quote(table)}")
            cls.tables = tables
            cls.media = tempfile.mkdtemp(prefix="cls-demo-media-")
            if os.path.isdir(media_root):
                shutil.copytree(media_root, cls.media, dirs_exist_ok=True)
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in connection.ops.sql_flush(no_style(), [t for t, _, _ in cls.tables]):
                cursor.execute(sql)
            for table, snap, columns in cls.tables:
                names = ", ".join(map(quote, columns))
                cursor.execute(f"INSERT INTO {quote(table)} ({names}) SELECT {names} FROM {snap}")
            for sql in connection.ops.sequence_reset_sql(no_style(), cls.models):
                cursor.execute(sql)
        ContentType.objects.clear_cache()
        shutil.copytree(cls.media, media_root, dirs_exist_ok=True)
        if hasattr(mail, "outbox"):
            mail.outbox.extend(copy.deepcopy(m) for m in cls.outbox)

    @classmethod
    def drop(cls):
        import shutil

        from django.db import connection

        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP SCHEMA IF EXISTS {connection.ops.quote_name(cls.SCHEMA)} CASCADE")
            else:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE %s",
                               [f"{cls.SCHEMA}__%"])
                for (name,) in cursor.fetchall():
                    cursor.execute(f"DROP TABLE {connection.ops.quote_name(name)}")
        if cls.media:
            shutil.rmtree(cls.media, ignore_errors=True)
        cls.tables, cls.models, cls.media, cls.outbox = None, [], None, []
