"""Load: gunicorn (2 workers) + locust, 20 concurrent logged-in users for 60 s on 127.0.0.1.

Prints a JSON document (title, lines for RESULTS.md, raw figures). Only loopback traffic.
"""

import csv
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cls_portal.settings.bench")
USERS, SPAWN_RATE = int(os.environ.get("LOAD_USERS", "20")), 5
DURATION = os.environ.get("LOAD_DURATION", "60s")
LOCUST = Path(sys.executable).parent / "locust"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def targets():
    """{account: [urls it may open]}: 20 coordinators on their own contract + délégation and regional staff."""
    import django

    django.setup()
    # Models and pages can only be imported once Django is set up (this script sets it up itself).
    from bench.scenarios import page_specs
    from contracts.models import Contract

    plan = {}
    for contract in Contract.objects.filter(nom__startswith="CLS échelle").order_by("pk")[:20]:
        for spec in page_specs(contract):
            if spec.get("kind", "page") != "page":
                continue
            try:
                url = spec["url"]() if callable(spec["url"]) else spec["url"]
            except LookupError:
                continue
            plan.setdefault(spec["user"], set()).add(url)
    return {user: sorted(urls) for user, urls in plan.items()}


def main():
    plan = targets()
    port = free_port()
    env = dict(os.environ, BENCH_PLAN=json.dumps(plan))
    out = ROOT / "var" / "locust"
    out.parent.mkdir(exist_ok=True)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "cls_portal.wsgi:application", "-w", "2", "-b",
         f"127.0.0.1:{port}", "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        Path(f"{out}_stats.csv").unlink(missing_ok=True)
        if LOCUST.exists():
            tool = "locust"
            subprocess.run(
                [str(LOCUST), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                 "-u", str(USERS), "-r", str(SPAWN_RATE), "-t", DURATION, "--host", f"http://127.0.0.1:{port}",
                 "--csv", str(out), "--only-summary", "--loglevel", "WARNING"],
                cwd=ROOT, env=env, check=False, capture_output=True, timeout=600)
        else:  # locust not installed in this environment: the standard-library equivalent (bench/loadgen.py)
            from bench import loadgen

            tool = "bench/loadgen.py (locust absent de l'environnement)"
            errors = loadgen.run("127.0.0.1", port, plan, USERS, int(DURATION.rstrip("s")), SPAWN_RATE, str(out))
            for name, _, error in errors:
                print(f"échec : {name} : {error}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = list(csv.DictReader(open(f"{out}_stats.csv", encoding="utf-8")))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    shared = sorted({u.split("?")[0] for urls in plan.values() for u in urls
                     if not u.rstrip("/").split("/")[-1].isdigit()})
    lines = [f"gunicorn 2 workers, base {os.environ.get('DATABASE_URL', 'SQLite').split('@')[-1]}, "
             f"{USERS} utilisateurs connectés pendant {DURATION} ({tool}), comptes coordination, délégation et "
             f"région en alternance ; pages : {', '.join(shared)} et les pages propres à chaque contrat.", "",
             "| page | requêtes | échecs | médiane (ms) | p95 (ms) |", "|---|---|---|---|---|"]
    for r in rows:
        name = r["Name"]
        if name != "Aggregated" and name.startswith("/cls/") and name.rstrip("/").split("/")[-1].isdigit():
            continue  # contract pages are folded into one line below
        lines.append(f"| {r['Name']} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | {r['95%']} |")
    pages = next((r for r in rows if r["Name"] == "Pages (hors connexion)"), None)
    failures = int(total["Failure Count"])
    ok = failures == 0 and int((pages or total)["Request Count"]) > 0
    lines += ["", f"Objectif : zéro erreur — {'✅ atteint' if ok else '❌ non atteint'} "
              f"({failures} échec(s) sur {total['Request Count']} requêtes, p95 global {total['95%']} ms, "
              f"{float(total['Requests/s']):.1f} requêtes/s"
              + (f" ; p95 des pages hors connexion {pages['95%']} ms" if pages else "") + ")."]
    json.dump({"title": "Charge : 20 utilisateurs simultanés", "lines": lines, "failures": failures,
               "requests": int(total["Request Count"]), "p95_ms": total["95%"]}, sys.stdout)


if __name__ == "__main__":
    main()
