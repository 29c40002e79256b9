"""Writes for annual reports. The request creates the job row; the Celery task fills it in.

Job life: en attente -> en cours -> prêt | échec. A failed job may be sent again (en attente).
A ready job may be published (by the délégation, or by the coordinator recording the COPIL's
decision); a published report never changes again: a correction is a new job, published as the next
version.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from cls_portal.accounts.models import Role
from cls_portal.core import history
from cls_portal.core.errors import DomainError
from cls_portal.notifications.services import notify
from contracts.dates import fr
from contracts.models import Contract, q_closed_at, q_runs_in_year

from . import data as report_data_module
from .enums import ANNUAL_KINDS, KIND_RULES, UNFINISHED, ReportEvent, ReportKind, ReportStatus
from .models import Report, ReportCampaign
from .rendering import render_pdf
from .workflow import JOBS

logger = logging.getLogger(__name__)

# Errors worth another attempt (database restarting, connection dropped): the job goes back to
# "en attente" and the task retries. Anything else is a real failure shown to the user.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class TransientReportError(Exception):
    pass


def lease_seconds() -> int:
    """A running job older than this belongs to a dead worker (the hard time limit kills live ones)."""
    return int(settings.CELERY_TASK_TIME_LIMIT) + 60


# --- Enqueueing ------------------------------------------------------------------------------

# After a failed send, the sends of the next seconds in this process are not attempted: a campaign of
# 100 jobs asked for while Redis is down costs the user one connection failure, not 100 (each one
# waits for the Redis client's own retries). The jobs stay "en attente"; the beat sweep sends them.
BROKER_BACKOFF_SECONDS = 30.0
PUBLISH_TIMEOUT = 0.8
PUBLISH_TRANSPORT_OPTIONS = {"socket_connect_timeout": PUBLISH_TIMEOUT, "socket_timeout": PUBLISH_TIMEOUT,
                             "max_retries": 0, "retry_on_timeout": False}
_broker_down_until = 0.0


def broker_backoff_reset() -> None:
    global _broker_down_until
    _broker_down_until = 0.0


def enqueue(report_id: int, *, force: bool = False) -> bool:
    """Send the job to the broker. Broker down: log, leave the job "en attente" (the sweep resends it).

    `retry=False`: when the broker is unreachable the request fails at once instead of blocking the
    user's page while kombu retries the connection. `force`: try even within the back-off window
    (the sweep, which runs because the broker delivered it).
    """
    global _broker_down_until
    from .tasks import render_report

    if not force and time.monotonic() < _broker_down_until:
        logger.info("Rapport %s : envoi différé (file d'attente indisponible il y a moins de %.0f s)",
                    report_id, BROKER_BACKOFF_SECONDS)
        return False
    try:
        if render_report.app.conf.task_always_eager:
            render_report.apply_async(args=[report_id], retry=False)
        else:
            # A connection of its own with short timeouts and no retry: a broker that refuses, does not
            # answer or hangs costs the user's request at most about 1 s (the pooled connections of the
            # worker keep the patient settings). The job stays waiting; the sweep sends it later.
            with render_report.app.connection_for_write(
                    connect_timeout=PUBLISH_TIMEOUT, transport_options=PUBLISH_TRANSPORT_OPTIONS) as conn:
                render_report.apply_async(args=[report_id], retry=False, connection=conn)
    except Exception as exc:  # noqa: BLE001 — kombu/redis raise many connection error types
        if render_report.app.conf.task_always_eager and not _is_broker_error(exc):
            raise  # in-process run (make run, tests): a bug in the task must show
        logger.warning("Rapport %s : service de file d'attente indisponible (%s), envoi différé", report_id, exc)
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        return False
    _broker_down_until = 0.0
    Report.objects.filter(pk=report_id).update(enqueued_at=timezone.now())
    return True


def _is_broker_error(exc: Exception) -> bool:
    from kombu.exceptions import OperationalError as KombuOperationalError

    return isinstance(exc, (KombuOperationalError, ConnectionError, OSError, TimeoutError))


def _enqueue_after_commit(report_id: int) -> None:
    transaction.on_commit(lambda: enqueue(report_id))


# --- Requests --------------------------------------------------------------------------------

def _check_kind(contract: Contract, kind: str) -> None:
    """The kind exists and may be produced in the contract's phase (`KIND_RULES`)."""
    if kind not in ReportKind.values:
        raise DomainError("Type de rapport inconnu.", field="kind")
    rule = KIND_RULES[ReportKind(kind)]
    if rule.phases and contract.phase not in rule.phases:
        raise DomainError(rule.phase_reason, field="kind")


def _check_year(contract: Contract, year: int) -> None:
    if not contract.date_signature:
        raise DomainError("Un rapport annuel ne peut être produit que pour un contrat signé.", field="year")
    if year < contract.date_signature.year:
        raise DomainError(f"Le contrat n'était pas encore signé en {year}.", field="year")
    if year > timezone.localdate().year:
        raise DomainError(f"L'année {year} n'est pas encore commencée.", field="year")


def _job_for(*, actor, contract: Contract, kind: str, year: int, campaign: ReportCampaign | None) -> Report:
    existing = (Report.objects.filter(contract=contract, kind=kind, year=year, status__in=UNFINISHED)
                .order_by("requested_at").first())
    if existing is not None:
        # A double click or an overlapping campaign: the job already asked for will do.
        if campaign is not None and existing.campaign_id is None:
            Report.objects.filter(pk=existing.pk).update(campaign=campaign)
            existing.campaign = campaign
        if existing.status == ReportStatus.EN_ATTENTE:
            _enqueue_after_commit(existing.pk)
        return existing
    report = Report.objects.create(contract=contract, kind=kind, year=year, campaign=campaign,
                                   requested_by=actor if getattr(actor, "is_authenticated", False) else None)
    history.record(actor=actor, obj=report, event=ReportEvent.DEMANDE)
    _enqueue_after_commit(report.pk)
    return report


@transaction.atomic
def report_request(*, actor, contract: Contract, kind: str, year: int) -> Report:
    """Ask for one report. Preconditions: the caller checked `can_request_report`.

    Creates the job "en attente" and enqueues it after commit; returns the job already waiting or
    running for the same contract, kind and year instead of a second one.
    """
    _check_kind(contract, kind)
    _check_year(contract, year)
    Contract.objects.select_for_update().filter(pk=contract.pk).first()  # serialise concurrent requests
    return _job_for(actor=actor, contract=contract, kind=kind, year=year, campaign=None)


@transaction.atomic
def report_set_resource(*, actor, report: Report, ressource) -> Report:
    """Name the regional resource the report follows (None: none). Preconditions: the caller checked
    `can_set_resource`; a resource of the contract's région, not archived unless already chosen."""
    report = Report.objects.select_for_update().select_related("contract__ars").get(pk=report.pk)
    if report.published:
        raise DomainError("Un rapport publié ne change plus.", field="ressource")
    if ressource is not None and ressource.pk != report.ressource_id and (
            ressource.region_id != report.contract.ars.region_id or ressource.archived_at):
        raise DomainError("Choisissez une ressource en service de la région du contrat.", field="ressource")
    old = report.ressource_id
    report.ressource = ressource
    report.save(update_fields=["ressource"])
    history.record(actor=actor, obj=report, event=ReportEvent.RESSOURCE,
                   changes={"ressource": [old, ressource.pk if ressource else None]})
    return report


def report_produce_now(*, actor, contract: Contract, kind: str, year: int) -> Report:
    """Create a job and produce it in this process, without the broker (demo data, maintenance).

    Preconditions: as `report_request`. Returns the job, "prêt" or "échec".
    """
    _check_kind(contract, kind)
    _check_year(contract, year)
    with transaction.atomic():
        report = Report.objects.create(contract=contract, kind=kind, year=year,
                                       requested_by=actor if getattr(actor, "is_authenticated", False) else None)
        history.record(actor=actor, obj=report, event=ReportEvent.DEMANDE)
    report_produce(report_id=report.pk)
    report.refresh_from_db()
    return report


def campaign_contracts(*, year: int, region=None, departement=None):
    """Contracts running during `year` (`q_runs_in_year`: signed that year or before, not ended before it, and not
    closed before it began) in the scope, whatever their phase today: a contract that reached its end date, or was
    closed, since still has the reports of the years it ran; one closed early owes none for the years after."""
    qs = Contract.objects.filter(q_runs_in_year(year)).exclude(q_closed_at(dt.date(year - 1, 12, 31)))
    if region is not None:
        qs = qs.filter(ars__region=region)
    if departement is not None:
        qs = qs.in_departements([departement.pk])
    return list(qs.order_by("nom"))


@transaction.atomic
def campaign_start(*, actor, year: int, region=None, departement=None, kind: str = "") -> ReportCampaign:
    """One job per running contract of the scope (and per kind). Preconditions: `can_start_campaign`."""
    if kind and kind not in ANNUAL_KINDS:
        raise DomainError("Type de rapport inconnu.", field="kind")
    if year > timezone.localdate().year:
        raise DomainError(f"L'année {year} n'est pas encore commencée.", field="year")
    if departement is not None and region is not None and departement.region_id != region.pk:
        raise DomainError("Ce département n'appartient pas à la région choisie.", field="departement")
    contracts = campaign_contracts(year=year, region=region, departement=departement)
    if not contracts:
        raise DomainError(f"Aucun contrat en cours en {year} dans ce périmètre.", field="year")
    campaign = ReportCampaign.objects.create(
        year=year, kind=kind, region=region, departement=departement,
        started_by=actor if getattr(actor, "is_authenticated", False) else None)
    kinds = [kind] if kind else list(ANNUAL_KINDS)
    for contract in contracts:
        for k in kinds:
            _job_for(actor=actor, contract=contract, kind=k, year=year, campaign=campaign)
    history.record(actor=actor, obj=campaign, event=ReportEvent.CAMPAGNE_LANCEE,
                   changes={"contrats": [None, len(contracts)]})
    return campaign


@transaction.atomic
def report_retry(*, actor, report: Report) -> Report:
    """Send a failed job again. Preconditions: `can_request_report`; the job is "échec" (the table says so)."""
    def apply(job, ctx):
        job.error_message, job.enqueued_at = "", None

    # The failure being retried is said in the line (the job's own field is cleared).
    old_error = Report.objects.filter(pk=report.pk).values_list("error_message", flat=True).first() or ""
    report = JOBS.fire("relancer", pk=report.pk, actor=actor, apply=apply, check_actor=False,
                       history_comment=old_error)
    _enqueue_after_commit(report.pk)
    return report


def check_copil_date(day: dt.date, *, year: int, signature: dt.date | None, today: dt.date) -> dt.date:
    """The day the COPIL approved the report of `year`: a day that has come, not before 1 January of `year` (a
    COPIL cannot approve a year's report before that year began) nor before the contract's signature."""
    if day > today:
        raise DomainError("La date du COPIL ne peut pas être dans le futur.", field="copil_date")
    start = dt.date(year, 1, 1)
    if day < start:
        raise DomainError(f"Le COPIL ne peut pas avoir validé le rapport {year} avant le début de l'année {year} : "
                          f"saisissez une date à partir du {fr(start)}.", field="copil_date")
    if signature is not None and day < signature:
        raise DomainError(f"Le COPIL ne peut pas avoir validé le rapport avant la signature du contrat, le "
                          f"{fr(signature)} : saisissez une date à partir de ce jour.", field="copil_date")
    return day


@transaction.atomic
def report_publish(*, actor, report: Report, copil_date: dt.date | None = None) -> Report:
    """Publish a ready report as the next version of its contract, kind and year.

    Preconditions: the caller checked `can_publish_report` (délégation, or coordinator with
    `copil_date`, the date of the COPIL that approved it, checked by `check_copil_date`). Elected officials are
    notified.
    """
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    def apply(job, ctx):
        if copil_date:
            check_copil_date(copil_date, year=job.year, signature=job.contract.date_signature,
                             today=timezone.localdate())
        last = (Report.objects.filter(contract=job.contract, kind=job.kind, year=job.year, published=True)
                .aggregate(v=Max("version"))["v"] or 0)
        job.published, job.version = True, last + 1
        job.published_at, job.published_by, job.copil_date = timezone.now(), actor, copil_date
        return {"copil_date": [None, copil_date]}  # the sentence says it is published, and its version

    def lock(pk):
        return Report.objects.select_for_update(of=("self",)).select_related("contract").get(pk=pk)

    report = JOBS.fire("publier", pk=report.pk, actor=actor, apply=apply, lock=lock, check_actor=False)
    elus = get_user_model().objects.filter(memberships__role=Role.ELU,
                                           memberships__organisation=report.contract.collectivite_id).distinct()
    notify(users=elus, kind="rapport",
           title=f"{report.get_kind_display()} {report.year} publié — {report.contract.nom}",
           body=f"Version {report.version}, disponible au téléchargement.", url=reverse("reports:home"))
    return report


# --- Production (called by the Celery task) --------------------------------------------------

def _claim(report_id: int):
    """Conditional UPDATE: only one worker gets a waiting (or abandoned) job. Returns its start time."""
    now = timezone.now()
    stale = now - dt.timedelta(seconds=lease_seconds())
    claimed = JOBS.claim("produire", filters={"pk": report_id},
                         q=Q(status=ReportStatus.EN_ATTENTE) | Q(status=ReportStatus.EN_COURS, started_at__lt=stale),
                         started_at=now, attempts=F("attempts") + 1, error_message="")
    return now if claimed else None


OUTCOMES = {ReportStatus.PRET: "terminer", ReportStatus.ECHEC: "echouer"}


def _finish(report_id: int, token, *, status: str, **fields) -> bool:
    """Write the outcome (prêt or échec, through the table's transition) only if this run still holds the job
    (guards against a presumed-dead worker)."""
    return bool(JOBS.claim(OUTCOMES[status], filters={"pk": report_id, "started_at": token},
                           finished_at=timezone.now(), **fields))


def report_produce(*, report_id: int, final_attempt: bool = True) -> bool:
    """Claim the job, gather the data, reuse an identical ready file or render a new one.

    Returns False when there was nothing to do (the job is not waiting: a second delivery).
    Not one transaction on purpose: the claim commits at once so the page shows "en cours", and the
    long rendering holds no lock. A transient error hands the job back ("en attente") unless
    `final_attempt`; any other error marks it "échec" with its reason.
    """
    token = _claim(report_id)
    if token is None:
        return False
    started = time.monotonic()
    stored_name = None
    try:
        report = Report.objects.select_related("contract", "contract__collectivite", "contract__ars",
                                               "contract__epci").get(pk=report_id)
        data = report_data_module.report_data(report.contract, report.kind, report.year)
        fp = report_data_module.fingerprint(report.kind, report.year, data)
        same = (Report.objects.filter(contract_id=report.contract_id, kind=report.kind, year=report.year,
                                      status=ReportStatus.PRET, fingerprint=fp)
                .exclude(pk=report.pk).exclude(file="").order_by("-finished_at").first())
        if same is not None and default_storage.exists(same.file.name):
            fields = {"file": same.file.name, "reused_from": same.reused_from_id or same.pk}
        else:
            pdf = render_pdf(kind=report.kind, year=report.year, data=data, produced_at=timezone.now())
            stored_name = default_storage.save(report.file.field.generate_filename(
                report, f"{report.kind}-{report.pk}.pdf"), ContentFile(pdf))
            fields = {"file": stored_name, "reused_from": None}
        duration = dt.timedelta(seconds=time.monotonic() - started)
        with transaction.atomic():
            done = _finish(report_id, token, status=ReportStatus.PRET, fingerprint=fp, duration=duration,
                           **{("reused_from_id" if k == "reused_from" else k): v for k, v in fields.items()})
            if done:
                history.record(actor=None, obj=report, event=ReportEvent.PRET,
                               changes={"status": [ReportStatus.EN_COURS, ReportStatus.PRET]},
                               comment="Fichier repris : les données n'ont pas changé." if "reused_from" in fields
                               and fields["reused_from"] else "")
        if not done and stored_name:
            default_storage.delete(stored_name)
        return done
    except TRANSIENT_ERRORS as exc:
        if stored_name:
            default_storage.delete(stored_name)
        if not final_attempt:
            try:
                JOBS.claim("liberer", filters={"pk": report_id, "started_at": token}, started_at=None)
            except TRANSIENT_ERRORS:
                pass  # still unreachable: the sweep releases the job once its lease has run out
            raise TransientReportError(str(exc)) from exc
        _fail(report_id, token, started, "La base de données est restée indisponible pendant la production. "
                                         "Relancez la production un peu plus tard.")
        return False
    except Exception as exc:
        from celery.exceptions import SoftTimeLimitExceeded

        if stored_name:
            default_storage.delete(stored_name)
        if isinstance(exc, SoftTimeLimitExceeded):
            message = "La production a dépassé le temps imparti et a été interrompue."
        else:
            logger.exception("Échec de la production du rapport %s", report_id)
            message = (f"La production du rapport a échoué ({type(exc).__name__} : {str(exc)[:300]}). "
                       "Relancez la production ; si l'échec se répète, signalez-le à l'administrateur du portail.")
        _fail(report_id, token, started, message)
        return False


def _fail(report_id, token, started, message):
    with transaction.atomic():
        if _finish(report_id, token, status=ReportStatus.ECHEC, error_message=message[:2000],
                   duration=dt.timedelta(seconds=time.monotonic() - started)):
            history.record(actor=None, obj=Report.objects.get(pk=report_id), event=ReportEvent.ECHEC,
                           changes={"status": [ReportStatus.EN_COURS, ReportStatus.ECHEC]}, comment=message)


@dataclass(frozen=True)
class RequeueResult:
    released: int  # "en cours" jobs of dead workers put back "en attente"
    sent: int
    failed: int  # still waiting: the broker is still down


def requeue_waiting(*, min_age_seconds: int = 60) -> RequeueResult:
    """Send again the jobs still waiting (broker was down) and release those of dead workers.

    A job "en cours" past its lease belonged to a worker that died (SIGKILL, machine lost): it goes
    back to "en attente". A waiting job is sent again if it never reached the broker, or if it did
    longer than a lease ago (message lost). Jobs asked for less than `min_age_seconds` ago are left
    to their first send (the beat sweep must not race the request's own on_commit).
    """
    now = timezone.now()
    lease = dt.timedelta(seconds=lease_seconds())
    released = JOBS.claim("liberer", filters={"started_at__lt": now - lease}, started_at=None, enqueued_at=None)
    waiting = list(Report.objects.filter(status=ReportStatus.EN_ATTENTE)
                   .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - lease))
                   .filter(requested_at__lte=now - dt.timedelta(seconds=min_age_seconds))
                   .order_by("requested_at").values_list("pk", flat=True))
    sent = 0
    for pk in waiting:
        if not enqueue(pk, force=True):
            break  # broker still down: the next sweep will try again, no point hammering it
        sent += 1
    if released or waiting:
        logger.info("Rapports : %s remis en attente, %s renvoyés, %s en échec d'envoi", released, sent,
                    len(waiting) - sent)
    return RequeueResult(released=released, sent=sent, failed=len(waiting) - sent)
