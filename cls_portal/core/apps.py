from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cls_portal.core"
    label = "core"
    verbose_name = "Socle"
