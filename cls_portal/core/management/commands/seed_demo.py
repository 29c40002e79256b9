"""Demo data: Normandie and Grand Est, their délégations, CLS in every phase and demo accounts.

Idempotent (run it as often as you like). Refuses production settings unless --force.
Each installed app contributes through `<app>/demo.py: seed(ctx)`, called in INSTALLED_APPS order (the
layer order: contracts first). The command names no app: core sits below them all.
"""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


def demo_modules() -> list[str]:
    """`<app>.demo` of every installed app that has one, in INSTALLED_APPS order."""
    names = [f"{config.name}.demo" for config in apps.get_app_configs()]
    return [name for name in names if importlib.util.find_spec(name) is not None]


class Command(BaseCommand):
    help = "Crée (ou complète) les données de démonstration. Mot de passe de tous les comptes : demo."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Autorise l'exécution avec les réglages de production.")

    def handle(self, *args, **opts):
        if getattr(settings, "IS_PRODUCTION", False) and not opts["force"]:
            raise CommandError("seed_demo refuse de s'exécuter avec les réglages de production (utilisez --force).")
        if not apps.get_model("territories", "Commune").objects.exists():
            self.stdout.write("Import des territoires…")
            call_command("import_territories", stdout=self.stdout)
        ctx = {"stdout": self.stdout}
        for name in demo_modules():
            module = importlib.import_module(name)
            with transaction.atomic():
                module.seed(ctx)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes (mot de passe : demo)."))
