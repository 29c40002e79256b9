"""How far changes to the document alone can take the 40-sheet report: the same HTML rendered by the portal's
pipeline with each lever pulled (some of which the product cannot pull: they drop something a reader needs),
then all of them at once, against Chromium printing the untouched HTML in the same run.

    python bench/report_levers.py [--repeat 3] [--write]   # DJANGO_SETTINGS_MODULE=cls_portal.settings.bench

Issue 19 asks for the report in at most Chromium's time. The profile of WeasyPrint's work is flat (line
breaking, cascade, SVG drawing, table layout…): this bench measures the upper bound of what the document can
still give, so that the claim « no change to the document reaches Chromium » is a measurement, not an opinion.
CPU seconds of this process (WeasyPrint is single-threaded: its wall time on an idle core); Chromium's wall
time, process start-up included, as bench/report_vs_chromium.py measures it. With `--write`, replaces its own
section of bench/RESULTS.md.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cls_portal.settings.bench")

import django  # noqa: E402

django.setup()

from bench.report import section_main  # noqa: E402
from bench.report_vs_chromium import chromium_html, chromium_pdf  # noqa: E402
from bench.reports import YEAR, contract_with_40_sheets  # noqa: E402
from cls_portal.pdf import html_to_pdf  # noqa: E402
from reports import rendering  # noqa: E402
from reports.data import report_data  # noqa: E402

TITLE = "Rapport de 40 fiches : ce que le document peut encore donner"


def _css(html: str, css: str) -> str:
    return html.replace("</head>", f"<style>{css}</style></head>", 1)


# (name, what it drops, HTML transform, PDF variant): the product keeps every one of these.
LEVERS = [
    ("rapport tel quel", "—", lambda h: h, rendering.PDF_VARIANT),
    ("sans PDF balisé", "l'accessibilité du PDF (PDF/UA : structure, textes alternatifs)", lambda h: h, None),
    ("sans pied de page", "le titre et « Page n / N » de chaque page",
     lambda h: _css(h, "@page{@bottom-left{content:none}@bottom-right{content:none}}"), rendering.PDF_VARIANT),
    ("sans renvois du sommaire", "les numéros de page du sommaire",
     lambda h: _css(h, "nav.toc a::after{content:none}"), rendering.PDF_VARIANT),
    ("bordures séparées", "rien de visible (bordures de tableau dessinées une fois)",
     lambda h: _css(h, "table{border-collapse:separate;border-spacing:0} th,td{border-width:0 .4pt .4pt 0}"
                       " tr>:first-child{border-left-width:.4pt} thead tr:first-child>*{border-top-width:.4pt}"),
     rendering.PDF_VARIANT),
    ("tout ce qui précède", "tout ce qui précède",
     lambda h: _css(h, "@page{@bottom-left{content:none}@bottom-right{content:none}}"
                       "nav.toc a::after{content:none}"
                       "table{border-collapse:separate;border-spacing:0} th,td{border-width:0 .4pt .4pt 0}"
                       " tr>:first-child{border-left-width:.4pt} thead tr:first-child>*{border-top-width:.4pt}"),
     None),
    ("sans les graphiques (repère)", "les 97 graphiques : leur part du temps",
     lambda h: re.sub(r"<figure.*?</figure>", "", h, flags=re.S), rendering.PDF_VARIANT),
]


def measure(repeat: int) -> dict:
    contract = contract_with_40_sheets()
    if contract is None:
        return {"title": TITLE, "lines": ["Aucun contrat signé de 40 fiches dans le jeu de données."]}
    html = rendering.render_html(kind="activite", year=YEAR, data=report_data(contract, "activite", YEAR))
    variants = [(name, drops, transform(html), variant) for name, drops, transform, variant in LEVERS]
    tmp = Path(tempfile.mkdtemp(prefix="bench-levers-"))
    try:
        html_file = tmp / "rapport.html"
        html_file.write_text(chromium_html(html), encoding="utf-8")
        html_to_pdf(html, stylesheets=rendering.STYLESHEETS, pdf_variant=rendering.PDF_VARIANT)  # warm-up
        chromium_pdf(html_file, tmp / "warm.pdf")
        cpu = {name: [] for name, *_ in variants}
        chromium = []
        for _ in range(repeat):  # rounds: each variant once a round, Chromium too
            for name, _drops, doc, variant in variants:
                c0 = time.process_time()
                html_to_pdf(doc, stylesheets=rendering.STYLESHEETS, pdf_variant=variant)
                cpu[name].append(time.process_time() - c0)
            chromium.append(chromium_pdf(html_file, tmp / "chromium.pdf")[0])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    med = {name: statistics.median(v) for name, v in cpu.items()}
    chromium_s = statistics.median(chromium)
    full, every = med["rapport tel quel"], med["tout ce qui précède"]
    lines = [
        f"Le HTML du rapport d'activité {YEAR} du contrat de 40 fiches, produit par le portail avec chaque levier "
        f"tiré (temps processeur, médiane de {repeat} tours alternés) ; Chromium imprime le HTML tel quel dans les "
        "mêmes tours (temps écoulé, démarrage compris). Le produit ne tire aucun de ces leviers : chacun retire "
        "quelque chose au lecteur (colonne 2), sauf les bordures séparées.", "",
        "| variante | ce qu'elle retire | portail (s) | écart au rapport | portail / Chromium |",
        "|---|---|---|---|---|",
        *[f"| {name} | {drops} | {med[name]:.2f} | {(med[name] - full) / full * 100:+.0f} % | "
          f"{med[name] / chromium_s:.2f} |" for name, drops, *_ in variants],
        f"| Chromium (HTML tel quel) | — | {chromium_s:.2f} | — | 1.00 |", "",
        (f"Tous les leviers tirés à la fois, le portail est à {every / chromium_s:.2f}× Chromium : "
         + ("l'objectif « au plus le temps de Chromium » n'est à portée d'aucun de ces changements du "
            "document, pas même de ceux qui retirent l'accessibilité du PDF, ses pieds de page et les "
            "renvois du sommaire."
            if every > chromium_s else
            "ces leviers suffiraient en temps, mais au prix de ce qu'ils retirent au lecteur.")),
    ]
    return {"title": TITLE, "lines": lines, "median_cpu_s": {k: round(v, 3) for k, v in med.items()},
            "chromium_s": round(chromium_s, 3)}


def main():
    section_main(measure, 3)


if __name__ == "__main__":
    main()
