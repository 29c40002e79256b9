from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cls_portal.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from . import events

        events.register()
