"""Create the database cache table as part of `migrate`.

Why a migration rather than another backend: the cache holds the password-reset and login
counters (`cls_portal.accounts.throttling`), which must be shared by every process serving the
portal (gunicorn workers, several hosts). A per-process cache (LocMemCache) would multiply every
limit by the number of workers, and Redis or Memcached would make a broker-less `make run`
impossible. The database cache is shared, needs nothing more than the database, and this migration
makes a plain `migrate` enough: `createcachetable` is idempotent (an existing table is left as it
is) and does nothing for non-database backends (the test settings' LocMemCache, a `CACHE_URL`
pointing at Redis in production).
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_history_typed_events")]

    # Not atomic: on SQLite, createcachetable opens its own transaction per table.
    atomic = False

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False)]
