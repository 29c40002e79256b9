from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cls_portal.accounts"
    label = "accounts"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import events, permissions
        from .throttling import reset_own_failures

        user_logged_in.connect(reset_own_failures, dispatch_uid="accounts-reset-own-failures")
        events.register(permissions.can_view_people)
