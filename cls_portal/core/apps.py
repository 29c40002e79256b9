from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cls_portal.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .collation import register_sqlite

        connection_created.connect(register_sqlite, dispatch_uid="cls_portal.core.collation")
