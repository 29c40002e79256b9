"""Benchmarks of the CLS portal. `make bench` runs this and writes bench/RESULTS.md.

    python bench/run.py                         # SQLite, 100 and 1 255 contracts, every part
    python bench/run.py --postgres              # the same on PostgreSQL (127.0.0.1:5432)
    python bench/run.py --sizes 100 --only pages

Parts: seed (seed_scale timing), pages (server time + SQL queries vs the bare page and the admin
changelist, at each size), coverage (SQL queries of the regional coverage at each size), reports
(activity report time split into data / HTML / PDF layout), campaign (100 reports through real Celery
workers on Redis, 1 then 2 processes; PostgreSQL only), load (gunicorn 2 workers, 20 users, 60 s).
"""

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
RESULTS = ROOT / "bench" / "RESULTS.md"
PARTS = [p for p in ["seed", "pages", "coverage", "reports", "campaign", "load"]
         if p == "seed" or (ROOT / "bench" / f"{p}.py").exists()]


def sh(args, env, **kw):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, text=True, capture_output=True, **kw)


def database_env(size, postgres):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="cls_portal.settings.bench")
    env.pop("CELERY_BROKER_URL", None)
    if postgres:
        # BENCH_PG_PREFIX: a database of one's own (several people measuring on the same server).
        name = f"{os.environ.get('BENCH_PG_PREFIX', 'cls_bench')}_{size}"
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"],
                       check=True, capture_output=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        db = ROOT / "var" / f"bench-{size}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{db}"
    return env


def prepare(size, postgres):
    env = database_env(size, postgres)
    sh([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    sh([PY, "manage.py", "import_territories"], env)
    t0 = time.monotonic()
    out = sh([PY, "manage.py", "seed_scale", "--contracts", str(size)], env).stdout.strip().splitlines()[-1]
    seed_seconds = time.monotonic() - t0
    # Fresh statistics, no autovacuum pass and no dirty pages left to flush racing the measurements (a
    # seeded database just had a million rows inserted): a production database, not one mid-maintenance.
    sh([PY, "manage.py", "shell", "-c",
        "from django.db import connection as c; "
        "cur = c.cursor(); cur.execute('VACUUM (ANALYZE)' if c.vendor == 'postgresql' else 'ANALYZE'); "
        "c.vendor == 'postgresql' and cur.execute('CHECKPOINT')"], env)
    sh([PY, "manage.py", "shell", "-c",
        "from django.contrib.auth import get_user_model as g; U=g(); "
        "U.objects.filter(username='bench-admin').exists() or "
        "U.objects.create_superuser('bench-admin', 'b@x.fr', 'demo')"],
       env)
    return env, {"seconds": round(seed_seconds, 1), "summary": out}


def run_json(script, env, *args):
    return json.loads(sh([PY, str(ROOT / "bench" / script), *args], env).stdout)


def _first_line(args):
    try:
        out = subprocess.run(args, check=True, capture_output=True, text=True, timeout=20).stdout
        return out.strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "inconnue"


def machine(postgres):
    """nproc, CPU model, RAM, load at start, Python, and the PostgreSQL/Redis versions the run used."""
    mem, cpu = "", platform.processor() or platform.machine()
    try:
        with open("/proc/meminfo") as fh:
            mem = f"{int(fh.readline().split()[1]) / 1024 / 1024:.0f} Gio de RAM"
        with open("/proc/cpuinfo") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    parts = [f"`nproc` = {_first_line(['nproc'])}", cpu, mem, f"charge au départ {os.getloadavg()[0]:.1f}",
             f"Python {platform.python_version()}", platform.platform()]
    if postgres:
        parts.append("PostgreSQL " + _first_line(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
                                                 "SHOW server_version"]))
    else:
        import sqlite3

        parts.append(f"SQLite {sqlite3.sqlite_version}")
    parts.append(_first_line(["redis-server", "--version"]).split(" sha=")[0])
    return ", ".join(p for p in parts if p)


def seed_on_sqlite(size):
    """seed_scale timing on SQLite too (the PostgreSQL run already times it on PostgreSQL)."""
    env = database_env(f"{size}-sqlite-seed", postgres=False)
    sh([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    sh([PY, "manage.py", "import_territories"], env)
    t0 = time.monotonic()
    out = sh([PY, "manage.py", "seed_scale", "--contracts", str(size)], env).stdout.strip().splitlines()[-1]
    return {"seconds": round(time.monotonic() - t0, 1), "summary": out, "vendor": "SQLite"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1255")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--only", default=",".join(PARTS))
    parser.add_argument("--sqlite-seed", action="store_true",
                        help="avec --postgres : chronométrer aussi seed_scale sur SQLite à la plus grande taille")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    parts = args.only.split(",")
    results = {"sizes": sizes, "postgres": args.postgres, "parts": parts,
               "started": dt.datetime.now(dt.UTC).isoformat(),
               "machine": machine(args.postgres), "command": " ".join(["python bench/run.py", *sys.argv[1:]]),
               "by_size": {}, "errors": [], "repeat": int(os.environ.get("BENCH_REPEAT", "30"))}
    envs = {}

    def attempt(label, fn, *fn_args):
        """Run one measurement; a failing part is reported in RESULTS.md instead of losing the others."""
        try:
            return fn(*fn_args)
        except subprocess.CalledProcessError as exc:
            tail = (exc.stderr or "").strip().splitlines()[-6:]
            results["errors"].append(f"{label} : échec ({' / '.join(tail)})")
            print(f"   ÉCHEC {label} :\n{exc.stderr}", file=sys.stderr, flush=True)
            return None

    def checkpoint():
        """Results so far, in var/bench-results.json and bench/RESULTS.md (a long run shows progress)."""
        from bench.report import write_markdown

        (ROOT / "var").mkdir(exist_ok=True)
        (ROOT / "var" / "bench-results.json").write_text(json.dumps(results, indent=2, default=str))
        write_markdown(results, RESULTS)

    for size in sizes:
        print(f"== {size} contrats : préparation", flush=True)
        env, seed = prepare(size, args.postgres)
        envs[size] = env
        results["by_size"][size] = {"seed": seed}
        print(f"   {seed['summary']} ({seed['seconds']} s)", flush=True)
        if "pages" in parts:
            print("   pages…", flush=True)
            pages = attempt(f"pages ({size} contrats)", run_json, "pages.py", env)
            results["by_size"][size]["pages"] = pages["pages"] if pages else {}
        if "coverage" in parts:
            print("   couverture…", flush=True)
            coverage = attempt(f"couverture ({size} contrats)", run_json, "coverage.py", env)
            if coverage:
                results["by_size"][size]["coverage"] = coverage
        checkpoint()
    largest = envs[max(sizes)]
    if args.sqlite_seed and args.postgres:
        print(f"== seed_scale {max(sizes)} sur SQLite", flush=True)
        results["sqlite_seed"] = attempt("seed_scale sur SQLite", seed_on_sqlite, max(sizes))
    if "reports" in parts:
        print("== rapport d'activité", flush=True)
        results["reports"] = attempt("rapport d'activité", run_json, "reports.py", largest)
        checkpoint()
        print("== rapport d'activité : le portail et Chromium côte à côte", flush=True)
        results["chromium"] = attempt("portail et Chromium", run_json, "report_vs_chromium.py", largest)
        checkpoint()
    if "load" in parts:
        print("== charge (gunicorn, 20 utilisateurs)", flush=True)
        results["load"] = attempt("charge", run_json, "load.py", largest)
        checkpoint()
    if "campaign" in parts:
        print("== campagne Celery", flush=True)
        results["campaign"] = attempt("campagne Celery", run_json, "campaign.py", largest,
                                      "--postgres" if args.postgres else "--sqlite")
        checkpoint()
    results["finished"] = dt.datetime.now(dt.UTC).isoformat()
    results["load_at_end"] = round(os.getloadavg()[0], 1)
    checkpoint()
    print(f"Résultats : {RESULTS}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
