from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    label = "reports"
    verbose_name = "Rapports annuels"

    def ready(self):
        # Imported here: models are loaded only once ready() runs. Declares this app's reminders (see notifications).
        from cls_portal.notifications import reminders

        from .reminders import reports_due

        reminders.register(reports_due)

        from . import history as history_words

        history_words.register()
