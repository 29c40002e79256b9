"""Annual reports: one row per production job (the request creates it, the Celery task fills it in)."""

from functools import reduce
from operator import add

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q

from .enums import FINISHED, UNFINISHED, ReportKind, ReportStatus


def report_upload_to(instance, filename):
    return f"rapports/{instance.contract_id}/{instance.year}/{filename}"


class ReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def unfinished(self):
        return self.filter(status__in=UNFINISHED)


class ReportCampaign(models.Model):
    """A batch of reports for one year over a region or a département (page or `generate_reports`)."""

    year = models.PositiveSmallIntegerField("année")
    kind = models.CharField("type de rapport", max_length=16, choices=ReportKind.choices, blank=True,
                            help_text="Vide : les deux rapports.")
    region = models.ForeignKey("territories.Region", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="report_campaigns", verbose_name="région")
    departement = models.ForeignKey("territories.Departement", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="report_campaigns", verbose_name="département")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="report_campaigns", verbose_name="lancée par")
    started_at = models.DateTimeField("lancée le", auto_now_add=True)

    class Meta:
        verbose_name = "campagne de rapports"
        verbose_name_plural = "campagnes de rapports"
        ordering = ["-started_at", "-id"]

    def __str__(self):
        scope = self.departement or self.region or "France entière"
        return f"Campagne {self.year} — {scope}"

    # Progress, from `campaign_progress_annotations()` (one query for a list of campaigns) or, for `nb_done` and
    # `nb_unfinished` alone, `campaign_done_annotations()`.
    @property
    def nb_done(self) -> int:
        return sum(getattr(self, f"nb_{s.value}") for s in FINISHED)

    @property
    def nb_unfinished(self) -> int:
        return self.nb_total - self.nb_done

    @property
    def percent(self) -> int:
        return round(100 * self.nb_done / self.nb_total) if self.nb_total else 100


def campaign_progress_annotations(states=ReportStatus):
    """Counts per state for a queryset of campaigns (one query, whatever the number of reports): `nb_total` and
    `nb_<state>` for each of `states` (all of them by default)."""
    return {
        "nb_total": Count("reports"),
        **{f"nb_{s.value}": Count("reports", filter=Q(reports__status=s)) for s in states},
    }


def campaign_done_annotations():
    """The counts `nb_done` and `nb_unfinished` read, and no other: the work list's running campaigns (every state's
    count and an EXISTS on the unfinished reports cost 0.4 ms more of SQL building, on every regional view)."""
    return campaign_progress_annotations(FINISHED)


# A campaign some of whose reports are not finished, on a queryset annotated with `campaign_done_annotations()`.
Q_CAMPAIGN_RUNNING = Q(nb_total__gt=reduce(add, (F(f"nb_{s.value}") for s in FINISHED)))


class Report(models.Model):
    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="reports",
                                 verbose_name="contrat")
    kind = models.CharField("type", max_length=16, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField("année")
    status = models.CharField("état", max_length=16, choices=ReportStatus.choices, default=ReportStatus.EN_ATTENTE,
                              db_index=True)
    file = models.FileField("fichier", upload_to=report_upload_to, blank=True, max_length=255)
    fingerprint = models.CharField("empreinte des données", max_length=64, blank=True, db_index=True)
    reused_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="fichier repris de")
    campaign = models.ForeignKey(ReportCampaign, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="reports", verbose_name="campagne")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="reports_requested", verbose_name="demandé par")
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    enqueued_at = models.DateTimeField("transmis au service de production le", null=True, blank=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    duration = models.DurationField("durée de production", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    error_message = models.TextField("motif de l'échec", blank=True)

    # Publication: a published report is immutable; a correction publishes a new version.
    published = models.BooleanField("publié", default=False, db_index=True)
    version = models.PositiveSmallIntegerField("version publiée", null=True, blank=True)
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="reports_published", verbose_name="publié par")
    copil_date = models.DateField("date de la décision du COPIL", null=True, blank=True)
    # The regional resource the report follows (the regional template or guide of the annual report).
    ressource = models.ForeignKey("resources.Resource", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="reports", verbose_name="ressource régionale suivie")

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "rapport annuel"
        verbose_name_plural = "rapports annuels"
        ordering = ["-year", "kind", "-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "kind", "year", "version"], condition=Q(published=True),
                                    name="report_unique_published_version"),
            models.CheckConstraint(condition=Q(published=False) | Q(status=ReportStatus.PRET, version__isnull=False),
                                   name="report_published_is_ready"),
        ]
        indexes = [models.Index(fields=["contract", "kind", "year", "status"], name="report_lookup_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} — {self.contract}"

    @property
    def is_ready(self) -> bool:
        return self.status == ReportStatus.PRET

    @property
    def is_unfinished(self) -> bool:
        return self.status in UNFINISHED

    @property
    def is_current(self) -> bool:
        """The latest published version of its contract, kind and year (needs `latest_version` annotated)."""
        return self.published and getattr(self, "latest_version", self.version) == self.version

    @property
    def filename(self) -> str:
        suffix = f"-v{self.version}" if self.published else f"-brouillon-{self.pk}"
        return f"rapport-{self.kind}-{self.year}-cls-{self.contract_id}{suffix}.pdf"
