from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contrats locaux de santé"

    def ready(self):
        # Imported here: models are loaded only once ready() runs. Declares this app's reminders (see notifications).
        from cls_portal.notifications import reminders

        from .reminders import contract_ended, last_year, overdue_steps

        reminders.register(last_year)
        reminders.register(contract_ended)
        reminders.register(overdue_steps)

        # Coordinators belong to the régions of the contracts they coordinate (the library of resources).
        from cls_portal.accounts.models import Role
        from resources import registry as resources_registry

        from .selectors import coordinated_region_codes

        resources_registry.member_regions.register((Role.COORDINATEUR, coordinated_region_codes))

        from . import history as history_words

        history_words.register()

        # Its items of the work lists (landing pages and menu counts, see cls_portal.core.worklist).
        from cls_portal.core import worklist

        from . import worklist as work_items

        worklist.register(work_items.source)
        worklist.contract_departements.provide(work_items.contract_departements)
