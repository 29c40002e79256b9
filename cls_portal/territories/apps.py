from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "cls_portal.territories"
    label = "territories"
    verbose_name = "Territoires et organisations"
