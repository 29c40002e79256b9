"""Activity report of one 40-sheet contract: time split into data gathering, HTML templating, PDF layout.

Run by bench/run.py on the largest data set; prints one JSON document on stdout. Uses the reports
app's own timing split (`reports.rendering.render_report_timed`, the steps the Celery task
chains: data + fingerprint, HTML templating with its SVG charts, WeasyPrint layout).
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cls_portal.settings.bench")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from actions.models import Indicateur  # noqa: E402
from contracts.models import Contract  # noqa: E402
from reports import rendering  # noqa: E402
from reports.data import report_data  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPORT_REPEAT", "5"))
YEAR = 2025
TARGET = 0.15


def contract_with_40_sheets():
    return (Contract.objects.filter(nom__startswith="CLS échelle", date_signature__isnull=False,
                                    date_signature__year__lte=YEAR)
            .annotate(n=Count("fiches")).filter(n=40).order_by("pk").first())


def one_run(contract):
    """{data, html, pdf} seconds for one report, plus the PDF size and the data step's SQL queries."""
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        fresh = Contract.objects.get(pk=contract.pk)  # no cache carried over between runs
        data = report_data(fresh, "activite", YEAR)
        t1 = time.perf_counter()
    html = rendering.render_html(kind="activite", year=YEAR, data=data)
    t2 = time.perf_counter()
    from cls_portal.pdf import html_to_pdf

    pdf = html_to_pdf(html, stylesheets=rendering.STYLESHEETS, pdf_variant=rendering.PDF_VARIANT)
    t3 = time.perf_counter()
    return {"data": t1 - t0, "html": t2 - t1, "pdf": t3 - t2, "bytes": len(pdf), "queries": len(ctx.captured_queries)}


def split(contract):
    """The reports app's own timing split when it has one, else the three public steps timed here."""
    timed = getattr(rendering, "render_report_timed", None)
    if not callable(timed):
        return one_run(contract), "report_data → render_html → html_to_pdf (bench/reports.py)"
    with CaptureQueriesContext(connection) as ctx:
        result = timed(Contract.objects.get(pk=contract.pk), "activite", YEAR)
    return ({"data": result.data_seconds, "html": result.html_seconds, "pdf": result.pdf_seconds,
             "bytes": len(result.pdf), "queries": len(ctx.captured_queries)},
            "`reports.rendering.render_report_timed`")


def main():
    contract = contract_with_40_sheets()
    if contract is None:
        json.dump({"title": "Rapport d'activité d'un contrat de 40 fiches",
                   "lines": ["Aucun contrat signé de 40 fiches dans le jeu de données : mesure impossible."]},
                  sys.stdout)
        return
    split(contract)  # warm-up: templates, fonts, imports
    runs, source = [], ""
    for _ in range(REPEAT):
        reset_queries()
        run, source = split(contract)
        runs.append(run)
    med = {k: statistics.median(r[k] for r in runs) for k in ("data", "html", "pdf")}
    total = sum(med.values())
    own = (med["data"] + med["html"]) / total
    ok = own < TARGET
    lines = [
        f"Contrat « {contract.nom} » ({contract.fiches.count()} fiches, "
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
