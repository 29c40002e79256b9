"""`generate_reports --year 2025 [--region 28] [--departement 14] [--kind activite] [--wait]`."""

import time

from django.core.management.base import BaseCommand, CommandError

from cls_portal.core.errors import DomainError
from cls_portal.territories.models import Departement, Region
from reports import services
from reports.enums import ANNUAL_KINDS, ReportStatus
from reports.models import Report, ReportCampaign, campaign_progress_annotations

BAR_WIDTH = 30


def progress_bar(done: int, total: int) -> str:
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    percent = 100 * done // total if total else 100
    return f"[{'█' * filled}{'░' * (BAR_WIDTH - filled)}] {done}/{total} rapports ({percent} %)"


class Command(BaseCommand):
    help = "Demande un rapport annuel par contrat en cours pendant l'année (campagne), et suit leur production."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Année des rapports (ex. 2025).")
        parser.add_argument("--region", help="Code INSEE de la région (ex. 28 pour la Normandie).")
        parser.add_argument("--departement", help="Code du département (ex. 14).")
        parser.add_argument("--kind", choices=[k.value for k in ANNUAL_KINDS],
                            help="Un seul type de rapport annuel (défaut : les deux).")
        parser.add_argument("--wait", action="store_true", help="Affiche l'avancement jusqu'à la fin, puis un bilan.")
        parser.add_argument("--timeout", type=int, default=3600, help="Attente maximale avec --wait (secondes).")
        parser.add_argument("--interval", type=float, default=1.0, help="Intervalle de rafraîchissement (secondes).")

    def handle(self, *args, year, region, departement, kind, wait, timeout, interval, **opts):
        region_obj = self._get(Region, region, "région") if region else None
        dep_obj = self._get(Departement, departement, "département") if departement else None
        if dep_obj is not None and region_obj is None:
            region_obj = dep_obj.region
        started = time.monotonic()
        try:
            campaign = services.campaign_start(actor=None, year=year, region=region_obj, departement=dep_obj,
                                               kind=kind or "")
        except DomainError as err:
            raise CommandError(err.message) from err
        total = campaign.reports.count()
        self.stdout.write(f"{campaign} : {total} rapport(s) demandé(s).")
        if not wait:
            self.stdout.write("Les rapports sont produits en arrière-plan (suivi : page des campagnes).")
            return
        self._follow(campaign.pk, started, timeout, interval)

    def _get(self, model, code, label):
        try:
            return model.objects.get(code=code)
        except model.DoesNotExist as exc:
            raise CommandError(f"Code de {label} inconnu : {code}") from exc

    def _follow(self, campaign_pk, started, timeout, interval):
        last = None
        while True:
            c = ReportCampaign.objects.annotate(**campaign_progress_annotations()).get(pk=campaign_pk)
            line = progress_bar(c.nb_done, c.nb_total)
            if line != last:
                self.stdout.write(line)
                last = line
            if not c.nb_unfinished:
                break
            if time.monotonic() - started > timeout:
                raise CommandError(f"Délai dépassé : {c.nb_unfinished} rapport(s) encore en attente ou en cours "
                                   "(un worker Celery tourne-t-il ?).")
            time.sleep(interval)
        self._summary(c, time.monotonic() - started)

    def _summary(self, campaign, seconds):
        reports = Report.objects.filter(campaign=campaign).select_related("contract")
        reused = reports.filter(status=ReportStatus.PRET, reused_from__isnull=False).count()
        self.stdout.write(self.style.SUCCESS(
            f"Terminé en {seconds:.1f} s : {campaign.nb_pret} prêt(s) (dont {reused} repris sans nouvelle mise en "
            f"page), {campaign.nb_echec} en échec, sur {campaign.nb_total}."))
        for r in reports.filter(status=ReportStatus.ECHEC).order_by("contract__nom", "kind"):
            self.stdout.write(self.style.ERROR(
                f"  échec — {r.contract.nom}, {r.get_kind_display()} : {r.error_message}"))
