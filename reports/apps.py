from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    label = "reports"
    verbose_name = "Rapports annuels"

    def ready(self):
        # Imported here: models are loaded only once ready() runs. Declares this app's reminders (see notifications).
        from django.conf import settings

        from cls_portal.notifications import reminders

        from .reminders import reports_due

        reminders.register(reports_due)

        from . import history as history_words

        history_words.register()

        # Its items of the work lists (landing pages and menu counts, see cls_portal.core.worklist).
        from cls_portal.core import worklist

        from . import worklist as work_items

        worklist.register(work_items.source)
        if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
            # Imported now, not by the first report request (about 1 s on a loaded machine).
            import kombu.transport.redis  # noqa: F401
