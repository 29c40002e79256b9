from pathlib import Path

from django.core.management.base import BaseCommand

from cls_portal.territories.importer import DATA_FILE, import_territories, load_compact


class Command(BaseCommand):
    help = "Importe (ou met à jour) régions, départements, EPCI, communes, ARS et délégations."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA_FILE), help="Fichier compact (.json.gz).")

    def handle(self, *args, **opts):
        report = import_territories(load_compact(Path(opts["file"])))
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Territoires à jour." if report.changed else "Aucun changement."))
