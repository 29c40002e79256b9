"""Write bench/RESULTS.md from the JSON results of bench/run.py: every figure next to its target."""

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


def write_markdown(results, path: Path):
    results = dict(results, sizes=[s for s in results["sizes"] if s in results["by_size"]])
    if not results["sizes"]:
        return
    lines = ["# Résultats des bancs d'essai", "",
             f"- Commande : `{results['command']}` (équivaut à `make bench BENCH_ARGS=\"…\"`)",
             f"- Machine : {results['machine']}",
             f"- Date : {results['started']} → {results.get('finished', 'en cours')}"
             + (f" (charge moyenne à la fin : {results['load_at_end']})" if results.get("load_at_end") else ""), ""]
    if results.get("errors"):
        lines += ["## Mesures en échec", ""] + [f"- ❌ {e}" for e in results["errors"]] + [""]
    vendor = "PostgreSQL" if results["postgres"] else "SQLite"
    lines += ["## Jeu de données (`seed_scale`)", "",
              "| contrats | base | durée (s) | objectif : quelques minutes (< 5 min) | contenu |",
              "|---|---|---|---|---|"]
    seeds = [(size, vendor, results["by_size"][size]["seed"]) for size in results["sizes"]]
    if results.get("sqlite_seed"):
        seeds.append((max(results["sizes"]), "SQLite", results["sqlite_seed"]))
    for size, base, seed in seeds:
        lines.append(f"| {size} | {base} | {seed['seconds']} | {_ok(seed['seconds'] < 300)} | {seed['summary']} |")
    lines.append("")
    lines += _pages_section(results)
    rows = [(s, results["by_size"][s]["coverage"]) for s in results["sizes"] if results["by_size"][s].get("coverage")]
    if rows:
        lines += ["## Couverture régionale (`regional.coverage.coverage`)", "",
                  "| contrats | requêtes SQL (France entière) | requêtes SQL (une région, max) | durée (ms) | "
                  "requêtes SQL au 30/06/2024 | durée au 30/06/2024 (ms) | population couverte |",
                  "|---|---|---|---|---|---|---|"]
        lines += [f"| {s} | {r['queries']} | {r.get('region_queries_max', '—')} | {r['ms']} | "
                  f"{r.get('at_queries', '—')} | {r.get('at_ms', '—')} | {r['population']} |" for s, r in rows]
        constant = len({(r["queries"], r.get("region_queries_max"), r.get("at_queries")) for _, r in rows}) == 1
        lines += ["", "Objectif : nombre de requêtes constant quel que soit le nombre de contrats et de communes — "
                      f"{_ok(constant) if len(rows) > 1 else 'une seule taille mesurée'}", ""]
    for key in ("reports", "chromium", "campaign", "load"):
        part = results.get(key)
        if part:
            lines += [f"## {part.get('title', key)}", ""] + part.get("lines", []) + [""]
    path.write_text("\n".join(lines), encoding="utf-8")


def replace_section(path: Path, title: str, lines: list[str]):
    """Put `## title` and its lines in RESULTS.md in place of that section (or after the report's, or at the
    end), leaving every other section as it is: one part re-measured without re-running the whole bench."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Résultats des bancs d'essai\n"
    sections = text.split("\n## ")
    block = "\n".join([title, "", *lines, ""])
    for i, section in enumerate(sections[1:], 1):
        if section.split("\n", 1)[0].strip() == title:
            sections[i] = block
            break
    else:
        after = next((i for i, s in enumerate(sections[1:], 1) if s.startswith("Rapport d'activité")),
                     len(sections) - 1)
        sections.insert(after + 1, block)
    path.write_text("\n## ".join(sections).rstrip("\n") + "\n", encoding="utf-8")


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
    result = measure(args.repeat)
    if args.write:
        replace_section(Path(__file__).resolve().parent / "RESULTS.md", result["title"], result["lines"])
    json.dump(result, sys.stdout)
