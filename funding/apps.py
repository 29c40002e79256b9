from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "Financements"

    def ready(self):
        # Imported here: models are loaded only once ready() runs. Declares this app's reminders (see notifications).
        from cls_portal.notifications import reminders

        from .reminders import dialogue_not_held

        reminders.register(dialogue_not_held)

        from . import history as history_words

        history_words.register()

        # Its items of the work lists (landing pages and menu counts, see cls_portal.core.worklist).
        from cls_portal.core import worklist

        from . import worklist as work_items

        worklist.register(work_items.source)
