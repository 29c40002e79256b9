from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = "Diagnostics locaux de santé"

    def ready(self):
        # Imported here: models are loaded only once ready() runs. Declares this app's reminders (see notifications).
        from cls_portal.notifications import reminders

        from .reminders import diagnostics_waiting_review

        reminders.register(diagnostics_waiting_review)

        from . import history as history_words

        history_words.register()

        # Its items of the work lists (landing pages and menu counts, see cls_portal.core.worklist).
        from cls_portal.core import worklist

        from . import worklist as work_items

        worklist.register(work_items.source)
