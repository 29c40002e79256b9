from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Ressources pour les coordinateurs"

    def ready(self):
        # Imported here: models are loaded only once ready() runs.
        from . import history as history_words

        history_words.register()
