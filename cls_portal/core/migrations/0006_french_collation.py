"""The `french` collation of PostgreSQL (cls_portal.core.collation): ICU, locale « fr », deterministic. SQLite
gets its own at each connection (nothing to do here)."""

from django.db import DatabaseError, migrations

from cls_portal.core.collation import FRENCH


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        schema_editor.execute(f'CREATE COLLATION IF NOT EXISTS "{FRENCH}" (provider = icu, locale = \'fr\')')
    except DatabaseError as exc:
        raise RuntimeError(
            "La collation « french » (ICU, locale fr) n'a pas pu être créée : le serveur PostgreSQL doit être "
            f"compilé avec ICU (paquets Debian, Ubuntu et images officielles). PostgreSQL a répondu : {exc}") from exc


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP COLLATION IF EXISTS "{FRENCH}"')


class Migration(migrations.Migration):
    dependencies = [("core", "0005_cache_table")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
