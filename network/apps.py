from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Réseau régional des coordinateurs"

    def ready(self):
        from . import history as history_words

        history_words.register()
