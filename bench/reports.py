"""Activity report of one 40-sheet contract: time split into data gathering, HTML templating, PDF layout.

Run by bench/run.py on the largest data set; prints one JSON document on stdout. The steps the Celery
task chains are timed by bench/report_timing.py (data, HTML templating with its SVG charts, WeasyPrint).
"""

import json
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cls_portal.settings.bench")

import django  # noqa: E402

django.setup()

from django.db import reset_queries  # noqa: E402
from django.db.models import Count  # noqa: E402

from actions.models import Indicateur  # noqa: E402
from bench.report_timing import SOURCE, one_run  # noqa: E402
from contracts.models import Contract  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPORT_REPEAT", "5"))
YEAR = 2025
TARGET = 0.15


def contract_with_40_sheets():
    return (Contract.objects.filter(nom__startswith="CLS échelle", date_signature__isnull=False,
                                    date_signature__year__lte=YEAR)
            .annotate(n=Count("fiches")).filter(n=40).order_by("pk").first())


def main():
    contract = contract_with_40_sheets()
    if contract is None:
        json.dump({"title": "Rapport d'activité d'un contrat de 40 fiches",
                   "lines": ["Aucun contrat signé de 40 fiches dans le jeu de données : mesure impossible."]},
                  sys.stdout)
        return
    one_run(contract, "activite", YEAR)  # warm-up: templates, fonts, imports
    runs, source = [], SOURCE
    for _ in range(REPEAT):
        reset_queries()
        runs.append(one_run(contract, "activite", YEAR))
    med = {k: statistics.median(r[k] for r in runs) for k in ("data", "html", "pdf")}
    total = sum(med.values())
    own = (med["data"] + med["html"]) / total
    ok = own < TARGET
    lines = [
        f"Contrat « {contract.nom} » ({contract.fiches.count()} fiches, "
        f"{Indicateur.objects.filter(fiche__contract=contract).count()} indicateurs), rapport d'activité {YEAR}, "
        f"médiane de {REPEAT} productions après une de chauffe ; découpage : {source}.", "",
        "| étape | médiane (ms) | part du total |", "|---|---|---|",
        f"| données (requêtes SQL : {runs[-1]['queries']}) | {med['data'] * 1000:.0f} | {med['data'] / total:.1%} |",
        f"| gabarit HTML | {med['html'] * 1000:.0f} | {med['html'] / total:.1%} |",
        f"| mise en page WeasyPrint (PDF de {runs[-1]['bytes'] // 1024} Kio) | {med['pdf'] * 1000:.0f} | "
        f"{med['pdf'] / total:.1%} |",
        f"| **total** | {total * 1000:.0f} | 100 % |", "",
        f"Objectif : part propre du portail (données + HTML) < {TARGET:.0%} du total — "
        f"{'✅ atteint' if ok else '❌ non atteint'} ({own:.1%}).",
    ]
    json.dump({"title": "Rapport d'activité d'un contrat de 40 fiches", "lines": lines,
               "ms": {k: round(v * 1000, 1) for k, v in med.items()}, "own_share": round(own, 4), "target_met": ok},
              sys.stdout)


if __name__ == "__main__":
    main()
