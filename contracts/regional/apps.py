from django.apps import AppConfig


class RegionalConfig(AppConfig):
    name = "contracts.regional"
    label = "regional"
    verbose_name = "Vue régionale, annuaire public, imports, exports et rappels"
