"""The 40-sheet activity report side by side: the portal's pipeline (WeasyPrint) and Chromium printing the
same HTML to PDF, in one run, rounds alternated; then the national campaign projected from the measured rate.

    python bench/report_vs_chromium.py [--repeat 5] [--write]   # DJANGO_SETTINGS_MODULE=cls_portal.settings.bench

Run by bench/run.py (part `reports`) on the largest data set; prints one JSON document on stdout. With
`--write`, also replaces its own section of bench/RESULTS.md (the other sections stay as they are).

- Portal: `html_to_pdf` in this process, as a Celery worker runs it (a warm process: one warm-up render).
- Chromium: `chromium --headless --print-to-pdf` on the same HTML with the same stylesheet linked, process
  start-up included (a new process per report, as a peer would be used). Chromium is the peer here, not a
  dependency of the product.
- Each round renders once with each, one after the other, so a busier moment of the shared machine weighs
  on both; wall-clock medians, the CPU seconds of each (this process / Chromium's process tree) and the
  1-minute load next to them.
- Campaign: 1 255 contracts × (activity + financial report of the same contract, data + HTML + PDF), on
  2 worker processes at twice the rate of one (the ideal; bench/campaign.py measures the real one).
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cls_portal.settings.bench")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from bench.report import section_main  # noqa: E402
from bench.report_timing import one_run  # noqa: E402
from bench.reports import YEAR, contract_with_40_sheets  # noqa: E402
from cls_portal.pdf import html_to_pdf, static_path  # noqa: E402
from reports import rendering  # noqa: E402
from reports.data import report_data  # noqa: E402

TITLE = "Rapport de 40 fiches : le portail et Chromium côte à côte"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CONTRACTS = 1255
WORKERS = 2
# 2 worker processes against one, counted as 2 (the ideal on 2 cores): this projection starts from one process'
# rate; bench/campaign.py measures the rate of 2 real workers (1.93× to 2.08× on 5/12) and projects from it.
SCALING = 2.0
TARGET_SECONDS, TARGET_CAMPAIGN_MIN = 3.0, 45


def chromium_html(html: str) -> str:
    """The same HTML with the print stylesheet linked (WeasyPrint gets it as a separate stylesheet)."""
    links = "".join(f'<link rel="stylesheet" href="{static_path(s).as_uri()}">' for s in rendering.STYLESHEETS)
    return html.replace("</head>", f"{links}</head>", 1)


def chromium_pdf(html_file: Path, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `chromium --headless --print-to-pdf`, process start-up included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={out}", html_file.as_uri()], check=True, capture_output=True, timeout=300)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if not out.exists() or out.stat().st_size == 0:
        raise RuntimeError("Chromium n'a pas écrit de PDF")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def portal_pdf(html: str) -> tuple[float, float, bytes]:
    c0, t0 = time.process_time(), time.perf_counter()
    pdf = html_to_pdf(html, stylesheets=rendering.STYLESHEETS, pdf_variant=rendering.PDF_VARIANT)
    return time.perf_counter() - t0, time.process_time() - c0, pdf


def pages(pdf: Path) -> str:
    if not shutil.which("pdfinfo"):
        return "?"
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return next((line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")), "?")


def measure(repeat: int) -> dict:
    contract = contract_with_40_sheets()
    if contract is None:
        return {"title": TITLE, "lines": ["Aucun contrat signé de 40 fiches dans le jeu de données : mesure "
                                          "impossible."]}
    html = rendering.render_html(kind="activite", year=YEAR, data=report_data(contract, "activite", YEAR))
    tmp = Path(tempfile.mkdtemp(prefix="bench-chromium-"))
    try:
        html_file = tmp / "rapport.html"
        html_file.write_text(chromium_html(html), encoding="utf-8")
        portal_pdf(html)  # warm-up: fonts, imports (a worker has done it before its first report)
        chromium_pdf(html_file, tmp / "warm.pdf")  # warm-up: the binary and its libraries in the page cache
        rounds = []
        for _ in range(repeat):
            load = os.getloadavg()[0]
            p_wall, p_cpu, pdf = portal_pdf(html)
            c_wall, c_cpu = chromium_pdf(html_file, tmp / "chromium.pdf")
            rounds.append({"load": load, "portal": p_wall, "portal_cpu": p_cpu, "chromium": c_wall,
                           "chromium_cpu": c_cpu})
        (tmp / "portal.pdf").write_bytes(pdf)
        page_counts = (pages(tmp / "portal.pdf"), pages(tmp / "chromium.pdf"))
        # The campaign's unit of work: both reports of a contract, data + HTML + PDF, as the task does it.
        per_contract, per_contract_cpu = [], []
        for _ in range(max(3, repeat // 2 + 1)):
            c0 = time.process_time()
            act, fin = one_run(contract, "activite", YEAR), one_run(contract, "financier", YEAR)
            per_contract_cpu.append(time.process_time() - c0)
            per_contract.append(sum(act[k] + fin[k] for k in ("data", "html", "pdf")))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    med = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
    ratio = med["portal"] / med["chromium"]
    contract_s, contract_cpu = statistics.median(per_contract), statistics.median(per_contract_cpu)
    campaign_min = CONTRACTS * contract_s / SCALING / 60
    campaign_cpu_min = CONTRACTS * contract_cpu / SCALING / 60  # two cores for the two workers alone
    rate = 2 * 60 / contract_s * SCALING
    ok_fast = med["portal"] <= med["chromium"] and med["portal"] < TARGET_SECONDS
    ok_campaign = campaign_min < TARGET_CAMPAIGN_MIN

    def row(r, i):
        return (f"| {i} | {r['load']:.1f} | {r['portal']:.2f} | {r['portal_cpu']:.2f} | {r['chromium']:.2f} | "
                f"{r['chromium_cpu']:.2f} | {r['portal'] / r['chromium']:.2f} |")

    lines = [
        f"Contrat « {contract.nom} » ({contract.fiches.count()} fiches ; base {connection.vendor}, "
        f"{type(contract).objects.count()} contrats), rapport d'activité {YEAR} : le même HTML "
        f"(`reports.rendering.render_html`), produit en PDF par le portail (`cls_portal.pdf.html_to_pdf`, WeasyPrint, "
        f"PDF balisé, dans un processus déjà chaud comme un worker) et par Chromium (`{CHROMIUM} --headless "
        f"--print-to-pdf`, démarrage du processus compris, feuille de style du rapport liée). {repeat} tours "
        f"alternés après une chauffe de chacun ; temps écoulé (s) et temps processeur (s) de chacun ; charge "
        f"de la machine (1 min) au début de chaque tour. Pages : portail {page_counts[0]}, Chromium "
        f"{page_counts[1]} (Chromium ne sait ni les renvois de page du sommaire ni les filets de points).", "",
        "| tour | charge | portail (s) | portail CPU (s) | Chromium (s) | Chromium CPU (s) | portail / Chromium |",
        "|---|---|---|---|---|---|---|",
        *[row(r, i) for i, r in enumerate(rounds, 1)],
        f"| **médiane** | {med['load']:.1f} | **{med['portal']:.2f}** | {med['portal_cpu']:.2f} | "
        f"**{med['chromium']:.2f}** | {med['chromium_cpu']:.2f} | **{ratio:.2f}** |", "",
        f"En temps processeur : portail {med['portal_cpu']:.2f} s, Chromium {med['chromium_cpu']:.2f} s (tous ses "
        f"processus), soit {med['portal_cpu'] / med['chromium_cpu']:.2f}×. Sur une machine chargée (charge > 2 "
        "pour 2 cœurs) le temps écoulé mesure surtout l'attente du processeur ; le temps processeur, lui, ne "
        "dépend presque pas des autres processus.", "",
        f"Objectif : le rapport en au plus le temps de Chromium et en moins de {TARGET_SECONDS:.0f} s — "
        f"{'✅ atteint' if ok_fast else '❌ non atteint'} ({med['portal']:.2f} s, {ratio:.2f}× Chromium).", "",
        f"Campagne nationale projetée : {CONTRACTS} contrats × 2 rapports (activité + financier du même contrat, "
        f"données + HTML + PDF : médiane {contract_s:.2f} s par contrat sur {len(per_contract)} mesures), "
        f"{WORKERS} workers comptés à {SCALING:g}× le débit d'un seul (l'idéal ; la section « Campagne » mesure "
        "le débit de vrais workers) : "
        f"{rate:.1f} rapports / min, **{campaign_min:.0f} min** au temps écoulé mesuré (charge {med['load']:.1f}) ; "
        f"{campaign_cpu_min:.0f} min au temps processeur ({contract_cpu:.2f} s par contrat), si les deux workers "
        f"ont les deux cœurs pour eux. Objectif < {TARGET_CAMPAIGN_MIN} min — "
        f"{'✅ atteint' if ok_campaign else '❌ non atteint'} (au temps écoulé). Les rapports dont les données "
        "n'ont pas changé sont réutilisés (empreinte) et ne comptent pas ici : c'est la campagne où tout "
        "est à produire.",
    ]
    return {"title": TITLE, "lines": lines, "median_s": {k: round(v, 3) for k, v in med.items()},
            "ratio": round(ratio, 3), "contract_s": round(contract_s, 3), "contract_cpu_s": round(contract_cpu, 3),
            "campaign_min": round(campaign_min, 1), "campaign_cpu_min": round(campaign_cpu_min, 1),
            "targets_met": {"report": ok_fast, "campaign": ok_campaign}}


def main():
    section_main(measure, int(os.environ.get("BENCH_REPORT_REPEAT", "5")))


if __name__ == "__main__":
    main()
