"""Demo data: Normandie and Grand Est, their délégations, CLS in every phase and demo accounts.

Idempotent (run it as often as you like). Refuses production settings unless --force.
Each domain app contributes through `<app>/demo.py: seed(ctx)`, called in dependency order.
"""

import importlib

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cls_portal.territories.models import Commune

DEMO_MODULES = ["contracts.demo", "diagnostics.demo", "actions.demo", "funding.demo", "reports.demo",
                "regional.demo"]


class Command(BaseCommand):
    help = "Crée (ou complète) les données de démonstration. Mot de passe de tous les comptes : demo."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Autorise l'exécution avec les réglages de production.")

    def handle(self, *args, **opts):
        if getattr(settings, "IS_PRODUCTION", False) and not opts["force"]:
            raise CommandError("seed_demo refuse de s'exécuter avec les réglages de production (utilisez --force).")
        if not Commune.objects.exists():
            self.stdout.write("Import des territoires…")
            call_command("import_territories", stdout=self.stdout)
        ctx = {"stdout": self.stdout}
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue
                raise
            with transaction.atomic():
                module.seed(ctx)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes (mot de passe : demo)."))
