from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    label = "directory"
    verbose_name = "Annuaire public des contrats"
