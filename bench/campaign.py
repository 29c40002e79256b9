"""Campaign: 100 activity reports through REAL Celery workers on Redis, 1 then 2 worker processes.

    python bench/campaign.py --postgres      # run by bench/run.py on the largest data set

Each round: every previous report of the data set is deleted (so no file is reused from the round
before), a `celery -A cls_portal worker --concurrency N` is started on a Redis database of its own
(127.0.0.1:6379/11, not the one the CI uses), warmed up with N reports, then 100 reports are asked
for through `reports.services.report_request` (the path a user's click takes) and the clock
stops when the last one is "prêt". Prints one JSON document on stdout. PostgreSQL only: SQLite
serialises writers, which would measure the lock, not the workers.
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

from contracts.models import Contract  # noqa: E402
from reports import services  # noqa: E402
from reports.enums import ReportStatus  # noqa: E402
from reports.models import Report  # noqa: E402

N_REPORTS = int(os.environ.get("BENCH_CAMPAIGN_REPORTS", "100"))
YEAR = 2025
TARGET = 1.7
TIMEOUT = float(os.environ.get("BENCH_CAMPAIGN_TIMEOUT", "1800"))
TITLE = f"Campagne : {N_REPORTS} rapports par de vrais workers Celery (Redis)"


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


def wait_done(ids):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        states = dict(Report.objects.filter(pk__in=ids).values_list("pk", "status"))
        if all(s in (ReportStatus.PRET, ReportStatus.ECHEC) for s in states.values()):
            return states
        time.sleep(0.25)
    raise RuntimeError(f"campagne non terminée après {TIMEOUT:.0f} s")


def round_(concurrency, contracts, warmup):
    Report.objects.filter(contract__in=contracts + warmup).delete()
    flush_broker()
    load = os.getloadavg()[0]
    with tempfile.NamedTemporaryFile("w+", prefix=f"bench-worker{concurrency}-", suffix=".log", delete=False) as log:
        proc = start_worker(concurrency, log)
        try:
            wait_done(ask(warmup[:concurrency]))  # each child imports WeasyPrint and loads fonts once
            t0 = time.monotonic()
            states = wait_done(ask(contracts))
            elapsed = time.monotonic() - t0
        finally:
            stop_worker(proc)
    failed = sum(1 for s in states.values() if s != ReportStatus.PRET)
    durations = [r.duration.total_seconds() for r in Report.objects.filter(pk__in=states, duration__isnull=False)]
    return {"workers": concurrency, "seconds": round(elapsed, 1), "per_minute": round(len(contracts) / elapsed * 60, 1),
            "failed": failed, "mean_report_s": round(sum(durations) / max(len(durations), 1), 2),
            "load": round(load, 1)}


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
    signed = list(Contract.objects.filter(nom__startswith="CLS échelle", date_signature__year__lte=YEAR)
                  .order_by("pk")[:N_REPORTS + 2])
    contracts, warmup = signed[:N_REPORTS], signed[N_REPORTS:]
    rounds = [round_(1, contracts, warmup), round_(2, contracts, warmup)]
    ratio = rounds[1]["per_minute"] / rounds[0]["per_minute"]
    ok = ratio >= TARGET and not any(r["failed"] for r in rounds)
    lines = [f"{len(contracts)} rapports d'activité {YEAR} demandés par `report_request`, produits par "
             f"`celery -A cls_portal worker --concurrency N` (prefork) sur Redis, base PostgreSQL ; chrono de la "
             "première demande au dernier rapport prêt, après une chauffe d'un rapport par processus.", "",
             "| processus worker | durée (s) | rapports / min | échecs | durée moyenne d'un rapport (s) | "
             "charge de la machine au départ (1 min) |", "|---|---|---|---|---|---|"]
    lines += [f"| {r['workers']} | {r['seconds']} | {r['per_minute']} | {r['failed']} | {r['mean_report_s']} | "
              f"{r['load']} |" for r in rounds]
    if len(contracts) < 100:
        lines += ["", f"⚠️ {len(contracts)} rapports au lieu des 100 prévus (BENCH_CAMPAIGN_REPORTS={N_REPORTS}) : "
                      "le temps restant ne permettait pas davantage sur cette machine chargée."]
    lines += ["", f"Objectif : 2 processus ≥ {TARGET}× le débit d'un seul — {'✅ atteint' if ok else '❌ non atteint'} "
                  f"({ratio:.2f}×, sur {os.cpu_count()} cœurs partagés avec la base et le processus qui mesure)."]
    json.dump({"title": TITLE, "lines": lines, "rounds": rounds, "ratio": round(ratio, 2), "target_met": ok},
              sys.stdout)


if __name__ == "__main__":
    main()
