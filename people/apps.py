from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "Personnes des contrats"

    def ready(self):
        # What an accepted invitation means for a contract and a sheet, and the pilot's start page: accounts
        # (below) asks through its registries.
        from cls_portal.accounts import registry as accounts_registry

        from . import services

        accounts_registry.invitation_accepted.register(services.attach_accepted)
        accounts_registry.start_pages.register(services.pilot_start_page)
