from django.apps import AppConfig


class RegionalConfig(AppConfig):
    name = "regional"
    label = "regional"
    verbose_name = "Vue régionale, listes et exports"
