from django.core.management.base import BaseCommand

from reports import services


class Command(BaseCommand):
    help = ("Renvoie au service de production les rapports restés en attente (broker indisponible) "
            "et ceux dont le worker a disparu en cours de production.")

    def add_arguments(self, parser):
        parser.add_argument("--min-age", type=int, default=0,
                            help="Ne renvoie que les demandes plus anciennes que ce nombre de secondes (défaut : 0).")

    def handle(self, *args, min_age, **opts):
        result = services.requeue_waiting(min_age_seconds=min_age)
        self.stdout.write(f"{result.sent} rapport(s) renvoyé(s) au service de production, "
                          f"{result.released} production(s) abandonnée(s) remise(s) en attente"
                          + (f", {result.failed} envoi(s) impossible(s) (service indisponible)." if result.failed
                             else "."))
