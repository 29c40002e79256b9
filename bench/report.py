"""Write bench/RESULTS.md from the JSON results of bench/run.py: every figure next to its target."""

import datetime as dt
import os
from pathlib import Path


def _ok(flag):
    return "✅ atteint" if flag else "❌ non atteint"


def _pages_section(results):
    sizes = results["sizes"]
    big = max(sizes)
    pages = results["by_size"][big].get("pages")
    if not pages:
        return []
    baseline = next((p for p in pages.values() if p.get("kind") == "baseline" and "median_ms" in p), None)
    admins = [p for p in pages.values() if p.get("kind") == "admin" and "median_ms" in p]
    admin_fastest = min((p["median_ms"] for p in admins), default=None)
    lines = [f"## Pages ({big} contrats, {'PostgreSQL' if results['postgres'] else 'SQLite'})", "",
             "Temps serveur mesuré dans le processus (client de test Django, gabarits en cache, DEBUG désactivé), "
             f"{results.get('repeat', 30)} requêtes par page après 3 de chauffe, en tours (chaque page une fois par "
             "tour, pour qu'un moment plus lent de la machine pèse sur toutes les pages de la même façon), dans le "
             "même processus à chaque taille ; les requêtes SQL sont comptées sur une requête à part, hors "
             "chronométrage.", "",
             "| page | requêtes SQL | " + " | ".join(f"requêtes à {s}" for s in sizes)
             + " | médiane (ms) | p95 (ms) | × page nue | objectif ≤ 3× page nue | objectif < admin "
             "| requêtes constantes |",
             "|---|---|" + "---|" * len(sizes) + "---|---|---|---|---|---|"]
    for name, p in pages.items():
        if "error" in p:
            lines.append(f"| {name} | — |" + " — |" * len(sizes) + f" — | — | — | {p['error']} | — | — |")
            continue
        per_size = [results["by_size"][s].get("pages", {}).get(name, {}).get("queries") for s in sizes]
        constant = len(set(per_size)) == 1
        ratio = p["median_ms"] / baseline["median_ms"] if baseline else None
        if p.get("kind") == "page":
            bare_txt = _ok(ratio is not None and ratio <= 3)
            admin_txt = _ok(admin_fastest is None or p["median_ms"] < admin_fastest)
        else:
            bare_txt = admin_txt = "référence"
        lines.append(
            f"| {name} | {p['queries']} | " + " | ".join(str(q) for q in per_size)
            + f" | {p['median_ms']} | {p['p95_ms']} | {ratio:.2f} | {bare_txt} | {admin_txt} | "
            + f"{_ok(constant) if p.get('kind') == 'page' else '—'} |")
    return lines + [""]


FAILURES = "Mesures en échec"
# Sections a bench no longer writes under that title (its measurement has another section now): a run drops them.
RETIRED = ("Campagne : 100 rapports par de vrais workers Celery (Redis)",)
PREAMBLE = [
    "# Résultats des bancs d'essai", "",
    "`bench/run.py` (`make bench`) remplace ici les sections qu'il vient de mesurer, chacune datée de sa passe, "
    "et laisse les autres comme elles sont : une passe partielle (`--only pages`) ne fait pas perdre les mesures "
    "des rapports, et les notes écrites à la main sous une section (titres `###`) restent sous elle, après le "
    "tableau remis à jour. Les scripts d'une seule section (`report_vs_chromium.py`, `report_levers.py`) "
    "remplacent la leur avec `--write`.", ""]


def _stamp(results) -> str:
    start = results["started"][:16].replace("T", " à ")
    end = results["finished"][11:16] if results.get("finished") else "en cours"
    load = f" (charge moyenne à la fin : {results['load_at_end']})" if results.get("load_at_end") else ""
    same = " (équivaut à `make bench BENCH_ARGS=\"…\"`)" if results["command"].startswith("python bench/run.py") else ""
    return f"Passe du {start} → {end} UTC{load} : `{results['command']}`{same} ; machine : {results['machine']}."


def sections_of(results) -> list[tuple[str, list[str]]]:
    """The sections this run measured, as (title, lines), each stamped with the run."""
    results = dict(results, sizes=[s for s in results["sizes"] if s in results["by_size"]])
    if not results["sizes"]:
        return []
    stamp = _stamp(results)
    out = []
    if results.get("errors"):
        out.append((FAILURES, [stamp, ""] + [f"- ❌ {e}" for e in results["errors"]]))
    vendor = "PostgreSQL" if results["postgres"] else "SQLite"
    lines = [stamp, "", "| contrats | base | durée (s) | objectif : quelques minutes (< 5 min) | contenu |",
             "|---|---|---|---|---|"]
    seeds = [(size, vendor, results["by_size"][size]["seed"]) for size in results["sizes"]]
    if results.get("sqlite_seed"):
        seeds.append((max(results["sizes"]), "SQLite", results["sqlite_seed"]))
    for size, base, seed in seeds:
        lines.append(f"| {size} | {base} | {seed['seconds']} | {_ok(seed['seconds'] < 300)} | {seed['summary']} |")
    out.append(("Jeu de données (`seed_scale`)", lines))
    pages = _pages_section(results)
    if pages:
        out.append((pages[0].removeprefix("## "), [stamp, "", *pages[2:]]))
    rows = [(s, results["by_size"][s]["coverage"]) for s in results["sizes"] if results["by_size"][s].get("coverage")]
    if rows:
        lines = [stamp, "", "| contrats | requêtes SQL (France entière) | requêtes SQL (une région, max) | "
                 "durée (ms) | requêtes SQL au 30/06/2024 | durée au 30/06/2024 (ms) | population couverte |",
                 "|---|---|---|---|---|---|---|"]
        lines += [f"| {s} | {r['queries']} | {r.get('region_queries_max', '—')} | {r['ms']} | "
                  f"{r.get('at_queries', '—')} | {r.get('at_ms', '—')} | {r['population']} |" for s, r in rows]
        constant = len({(r["queries"], r.get("region_queries_max"), r.get("at_queries")) for _, r in rows}) == 1
        lines += ["", "Objectif : nombre de requêtes constant quel que soit le nombre de contrats et de communes — "
                      f"{_ok(constant) if len(rows) > 1 else 'une seule taille mesurée'}"]
        out.append(("Couverture régionale (`regional.coverage.coverage`)", lines))
    for key in ("reports", "chromium", "campaign", "load"):
        part = results.get(key)
        if part:
            out.append((part.get("title", key), [stamp, "", *part.get("lines", [])]))
    return out


def write_markdown(results, path: Path):
    """Put the sections this run measured in RESULTS.md (`merge`); a run without errors removes an earlier
    run's list of failed measurements."""
    sections = sections_of(results)
    if sections:
        # The pages of the smaller sizes of this run: a checkpoint wrote them while the bigger ones were measured.
        vendor = "PostgreSQL" if results["postgres"] else "SQLite"
        done = [s for s in results["sizes"] if s in results["by_size"]]
        stale = tuple(f"Pages ({s} contrats, {vendor})" for s in done if s != max(done))
        merge(path, sections, drop=stale + RETIRED + (() if results.get("errors") else (FAILURES,)))


def _split(text: str) -> tuple[str, list[tuple[str, str]]]:
    """(what comes before the first `## ` section, [(title, body)]), bodies without their title line."""
    head, *parts = text.split("\n## ")
    return head, [(part.split("\n", 1)[0].strip(), part.split("\n", 1)[1] if "\n" in part else "")
                  for part in parts]


def merge(path: Path, sections: list[tuple[str, list[str]]], *, drop=(), after: str = ""):
    """Replace each of `sections` (title, lines) in RESULTS.md, keeping under it the notes (`###`
    subsections) the old one had. A section not in the file goes before the next one of this call that the
    file has, else after the one placed just before it in this call, else after the first section whose
    title starts with `after`, else at the end. The other
    sections stay as they are; those titled in `drop` go. The preamble is this module's."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    out = [(title, body) for title, body in _split(text)[1] if title not in drop]
    last = next((i for i, (title, _) in enumerate(out) if after and title.startswith(after)), len(out) - 1)
    for n, (title, lines) in enumerate(sections):
        at = next((i for i, (t, _) in enumerate(out) if t == title), None)
        if at is None:  # before the next section of this call the file has, if any
            following = {t for t, _ in sections[n + 1:]}
            last = next((i - 1 for i, (t, _) in enumerate(out) if t in following), last)
        old = out[at][1] if at is not None else ""
        notes = old[old.index("### "):] if old.startswith("### ") else (
            old[old.index("\n### ") + 1:] if "\n### " in old else "")
        body = "\n".join(lines).strip("\n") + ("\n\n" + notes.strip("\n") if notes else "")
        if at is None:
            at = last + 1
            out.insert(at, (title, body))
        else:
            out[at] = (title, body)
        last = at
    blocks = ["\n".join(PREAMBLE).rstrip("\n") + "\n"]
    blocks += [f"## {title}\n\n{body.strip(chr(10))}\n" for title, body in out]
    path.write_text("\n".join(blocks), encoding="utf-8")


def replace_section(path: Path, title: str, lines: list[str]):
    """Put `## title` and its lines in RESULTS.md in place of that section (or after the report's, or at the
    end), leaving every other section as it is: one part re-measured without re-running the whole bench."""
    merge(path, [(title, lines)], after="Rapport d'activité")


def section_main(measure, default_repeat: int):
    """The command line of a bench script that measures one section (report_vs_chromium.py, report_levers.py):
    `--repeat N`, `--write` (replace its section of RESULTS.md), its JSON result on stdout."""
    import argparse
    import json
    import sys

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=default_repeat)
    parser.add_argument("--write", action="store_true", help="remplacer sa section de bench/RESULTS.md")
    args = parser.parse_args()
    started = dt.datetime.now(dt.UTC).isoformat()
    result = measure(args.repeat)
    if args.write:
        from django.db import connection

        from bench.run import machine

        stamp = _stamp({"started": started, "finished": dt.datetime.now(dt.UTC).isoformat(),
                        "load_at_end": round(os.getloadavg()[0], 1),
                        "machine": machine(postgres=connection.vendor == "postgresql"),
                        "command": " ".join(["python", f"bench/{Path(sys.argv[0]).name}", *sys.argv[1:]])})
        replace_section(Path(__file__).resolve().parent / "RESULTS.md", result["title"], [stamp, "", *result["lines"]])
    json.dump(result, sys.stdout)
