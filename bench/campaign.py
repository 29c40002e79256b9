"""Campaign: a region's campaign (both annual reports of each running contract) through REAL Celery workers on
Redis, 1 then 2 worker processes; the national campaign projected from the rate measured with 2.

    python bench/campaign.py --postgres      # run by bench/run.py on the largest data set

Each round: the reports of the contracts it uses and the region's campaigns are deleted (no file is reused
from the round before: a campaign where everything is to be produced), a `celery -A cls_portal worker
--concurrency N` is started on a Redis database of its own (127.0.0.1:6379/11, not the one the CI uses),
warmed up with N reports, then `reports.services.campaign_start` (the path the regional team's button
takes) asks for the activity and financial reports of every contract running in the region; the clock
stops when the last one is "prêt". The region is the one whose number of running contracts is closest to
50 (about 100 reports; BENCH_CAMPAIGN_REGION=<code> to choose). Prints one JSON document on stdout.
PostgreSQL only: SQLite serialises writers, which would measure the lock, not the workers.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cls_portal.settings.bench")
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/11")
os.environ["CELERY_BROKER_URL"] = BROKER  # before django.setup(): requests go to the broker, not in-process

import django  # noqa: E402

django.setup()

from django.db.models import Avg, Count  # noqa: E402

from cls_portal.core.formatting import format_number  # noqa: E402
from cls_portal.territories.models import Region  # noqa: E402
from contracts.models import Contract  # noqa: E402
from reports import services  # noqa: E402
from reports.enums import ReportStatus  # noqa: E402
from reports.models import Report, ReportCampaign  # noqa: E402

YEAR = 2025
TARGET = 1.7  # 2 worker processes against one
TARGET_NATIONAL_MIN = 45
TIMEOUT = float(os.environ.get("BENCH_CAMPAIGN_TIMEOUT", "1800"))
TITLE = "Campagne : les rapports d'une région par de vrais workers Celery (Redis), la campagne nationale projetée"


def flush_broker():
    import redis

    redis.Redis.from_url(BROKER).flushdb()


def start_worker(concurrency, log):
    env = dict(os.environ, CELERY_BROKER_URL=BROKER)
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "cls_portal", "worker", "--concurrency", str(concurrency),
         "-P", "prefork", "-l", "info", "-n", f"bench{concurrency}@%h", "--without-gossip", "--without-mingle",
         "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"le worker Celery s'est arrêté au démarrage :\n{Path(log.name).read_text()[-2000:]}")
        if " ready." in Path(log.name).read_text(errors="replace"):
            return proc
        time.sleep(0.2)
    stop_worker(proc)
    raise RuntimeError("le worker Celery n'a pas démarré en 60 s")


def stop_worker(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def ask(contracts):
    return [services.report_request(actor=None, contract=c, kind="activite", year=YEAR).pk for c in contracts]


def campaign(region):
    """The region's campaign, both kinds, as the regional team starts it: the ids of its reports."""
    return list(services.campaign_start(actor=None, year=YEAR, region=region).reports.values_list("pk", flat=True))


def pick_region():
    """(region, its running contracts): BENCH_CAMPAIGN_REGION, or the one closest to 50 running contracts."""
    running = {r: services.campaign_contracts(year=YEAR, region=r) for r in Region.objects.order_by("code")}
    wanted = os.environ.get("BENCH_CAMPAIGN_REGION")
    if wanted:
        region = next(r for r in running if r.code == wanted)
    else:
        region = min((r for r in running if running[r]), key=lambda r: (abs(len(running[r]) - 50), r.code))
    return region, running[region]


def mean_sheets(contracts):
    return Contract.objects.filter(pk__in=[c.pk for c in contracts]).annotate(n=Count("fiches")).aggregate(
        m=Avg("n"))["m"] or 0


def wait_done(ids):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        states = dict(Report.objects.filter(pk__in=ids).values_list("pk", "status"))
        if all(s in (ReportStatus.PRET, ReportStatus.ECHEC) for s in states.values()):
            return states
        time.sleep(0.25)
    raise RuntimeError(f"campagne non terminée après {TIMEOUT:.0f} s")


def round_(concurrency, region, contracts, warmup):
    Report.objects.filter(contract__in=contracts + warmup).delete()
    ReportCampaign.objects.filter(region=region).delete()
    flush_broker()
    load = os.getloadavg()[0]
    with tempfile.NamedTemporaryFile("w+", prefix=f"bench-worker{concurrency}-", suffix=".log", delete=False) as log:
        proc = start_worker(concurrency, log)
        try:
            wait_done(ask(warmup[:concurrency]))  # each child imports WeasyPrint and loads fonts once
            t0 = time.monotonic()
            states = wait_done(campaign(region))
            elapsed = time.monotonic() - t0
        finally:
            stop_worker(proc)
    failed = sum(1 for s in states.values() if s != ReportStatus.PRET)
    by_kind = {}
    for kind, duration in Report.objects.filter(pk__in=states, duration__isnull=False).values_list("kind", "duration"):
        by_kind.setdefault(kind, []).append(duration.total_seconds())
    return {"workers": concurrency, "reports": len(states), "seconds": round(elapsed, 1),
            "per_minute": round(len(states) / elapsed * 60, 1), "failed": failed,
            "mean_s": {k: round(sum(v) / len(v), 2) for k, v in sorted(by_kind.items())}, "load": round(load, 1)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    from django.db import connection

    if connection.vendor != "postgresql" or args.sqlite:
        json.dump({"title": TITLE, "lines": ["Non mesurée sur SQLite : la campagne se mesure sur PostgreSQL "
                                             "(`make bench BENCH_ARGS=\"--postgres\"`)."]}, sys.stdout)
        return
    region, contracts = pick_region()
    national = services.campaign_contracts(year=YEAR)
    warmup = list(Contract.objects.filter(pk__in=[c.pk for c in national]).exclude(ars__region=region)
                  .order_by("pk")[:2])
    rounds = [round_(1, region, contracts, warmup), round_(2, region, contracts, warmup)]
    ratio = rounds[1]["per_minute"] / rounds[0]["per_minute"]
    ok = ratio >= TARGET and not any(r["failed"] for r in rounds)
    national_reports = 2 * len(national)
    national_min = national_reports / rounds[1]["per_minute"]
    every = Contract.objects.count()
    every_min = 2 * every / rounds[1]["per_minute"]
    ok_national = national_min < TARGET_NATIONAL_MIN and not any(r["failed"] for r in rounds)

    sheets_here, sheets_all = format_number(mean_sheets(contracts), 1), format_number(mean_sheets(national), 1)
    lines = [f"Campagne {YEAR} de la région {region.nom} : rapports d'activité et financier de ses "
             f"{len(contracts)} contrats en cours ({rounds[0]['reports']} rapports, {sheets_here} fiches par contrat "
             f"en moyenne, {sheets_all} pour la France entière), demandés par "
             "`campaign_start` comme le bouton de l'équipe régionale, produits par `celery -A cls_portal worker "
             "--concurrency N` (prefork) sur Redis, base PostgreSQL ; chrono du lancement au dernier rapport prêt, "
             "après une chauffe d'un rapport par processus. Aucun rapport n'est réutilisé : tout est à produire.", "",
             "| processus worker | rapports | durée (s) | rapports / min | échecs | durée moyenne (s) : activité / "
             "financier | charge de la machine au départ (1 min) |", "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['workers']} | {r['reports']} | {r['seconds']} | {r['per_minute']} | {r['failed']} | "
              f"{r['mean_s'].get('activite', '—')} / {r['mean_s'].get('financier', '—')} | {r['load']} |"
              for r in rounds]
    lines += ["", f"Objectif : 2 processus ≥ {TARGET}× le débit d'un seul — {'✅ atteint' if ok else '❌ non atteint'} "
                  f"({ratio:.2f}×, sur {os.cpu_count()} cœurs partagés avec la base et le processus qui mesure).", "",
              f"Campagne nationale {YEAR} projetée au débit mesuré de 2 workers ({rounds[1]['per_minute']} rapports / "
              f"min) : {format_number(len(national))} contrats en cours × 2 rapports = "
              f"{format_number(national_reports)} rapports, "
              f"**{national_min:.0f} min** ({every_min:.0f} min si les {format_number(every)} contrats du jeu de "
              f"données étaient tous en cours). Objectif < {TARGET_NATIONAL_MIN} min — "
              f"{'✅ atteint' if ok_national else '❌ non atteint'}."]
    json.dump({"title": TITLE, "lines": lines, "rounds": rounds, "ratio": round(ratio, 2), "target_met": ok,
               "national_min": round(national_min, 1), "national_target_met": ok_national}, sys.stdout)


if __name__ == "__main__":
    main()
