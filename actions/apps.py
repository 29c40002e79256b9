from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Plan d'action"

    def ready(self):
        # Imported here: models are loaded only once ready() runs. The layers below ask the action plan through
        # their registries (they never import actions); the action plan also declares its reminder.
        from cls_portal.accounts.models import Role
        from cls_portal.notifications import reminders
        from contracts import registry as contracts_registry
        from diagnostics import registry as diagnostics_registry
        from resources import registry as resources_registry

        from . import enums, selectors, services
        from .reminders import sheets_waiting_review

        contracts_registry.visibility.register((Role.PILOTE, selectors.contracts_piloted_by))
        resources_registry.member_regions.register((Role.PILOTE, selectors.piloted_region_codes))
        contracts_registry.renewal.register(services.plan_copy_unfinished)
        contracts_registry.avenant_in_force.register(services.fiches_retire_by_avenant)
        contracts_registry.validated_sheet_statuses.provide(enums.VALIDATED_STATUSES)
        contracts_registry.dropped_sheet_statuses.provide(enums.DROPPED_STATUSES)
        contracts_registry.amendable_sheet_statuses.provide(enums.AMENDABLE_STATUSES)
        contracts_registry.timeline_groups.register(selectors.timeline_sheets)
        contracts_registry.meeting_sheets.register(selectors.meeting_sheets)
        diagnostics_registry.axe_for_priorite.provide(services.axe_create_for_priorite)
        reminders.register(sheets_waiting_review)

        from . import history as history_words

        history_words.register()

        # Its items of the work lists (landing pages and menu counts, see cls_portal.core.worklist).
        from cls_portal.core import worklist

        from . import worklist as work_items

        worklist.register(work_items.source)
