"""bench/RESULTS.md: a bench run replaces the sections it measured and leaves the rest (earlier passes' sections,
notes written under a section) as it found them."""

from bench.report import FAILURES, merge, replace_section, write_markdown

BEFORE = """# Résultats des bancs d'essai

Ancien préambule.

## Mesures en échec

- ❌ pages : échec

## Pages (1255 contrats, PostgreSQL)

Ancien tableau des pages.

### Note écrite à la main (3/12)

Ce qui a changé, et pourquoi.

## Rapport de 40 fiches : le portail et Chromium côte à côte

Mesures du rapport d'une passe précédente.

## Charge : 20 utilisateurs simultanés

Ancienne charge.
"""


def _results(**extra):
    seed = {"seconds": 5.0, "summary": "100 contrats"}
    page = {"kind": "page", "queries": 9, "median_ms": 30.0, "p95_ms": 40.0}
    bare = {"kind": "baseline", "queries": 4, "median_ms": 12.0, "p95_ms": 15.0}
    by_size = {100: {"seed": seed, "pages": {"Page nue": bare, "Une page": page}},
               1255: {"seed": seed, "pages": {"Page nue": bare, "Une page": page}}}
    return {"sizes": [100, 1255], "postgres": True, "by_size": by_size, "errors": [], "started": "2026-12-04T22:48:06",
            "finished": "2026-12-04T22:51:26", "command": "python bench/run.py --only seed,pages",
            "machine": "2 cœurs", **extra}


def test_a_run_replaces_what_it_measured_and_keeps_the_rest(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text(BEFORE, encoding="utf-8")
    write_markdown(_results(), path)
    text = path.read_text(encoding="utf-8")
    assert "Ancien tableau des pages." not in text and "| Une page | 9 | 9 | 9 | 30.0 | 40.0 | 2.50 |" in text
    assert "Passe du 2026-12-04 à 22:48 → 22:51 UTC : `python bench/run.py --only seed,pages` (équivaut à" in text
    # The notes under the pages stay under them, after the new table; unmeasured sections stay as they were.
    assert text.index("| Une page |") < text.index("### Note écrite à la main (3/12)\n\nCe qui a changé, et pourquoi.")
    assert text.index("Ce qui a changé") < text.index("## Rapport de 40 fiches") < text.index("## Charge")
    assert "Mesures du rapport d'une passe précédente." in text and "Ancienne charge." in text
    # A run without errors removes the old list of failures; the seed section, new, comes before the pages.
    assert FAILURES not in text and "Ancien préambule." not in text
    assert text.index("## Jeu de données") < text.index("## Pages (1255 contrats, PostgreSQL)")
    assert text.count("\n## ") == 4


def test_the_pages_of_the_smaller_size_written_by_a_checkpoint_go_at_the_end(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text(BEFORE, encoding="utf-8")
    first = _results()
    first["by_size"] = {100: first["by_size"][100]}
    write_markdown(first, path)  # the checkpoint after the first size
    assert "## Pages (100 contrats, PostgreSQL)" in path.read_text(encoding="utf-8")
    write_markdown(_results(), path)
    text = path.read_text(encoding="utf-8")
    assert "## Pages (100 contrats, PostgreSQL)" not in text and "## Pages (1255 contrats, PostgreSQL)" in text


def test_a_failed_measurement_is_listed_and_an_empty_run_writes_nothing(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text(BEFORE, encoding="utf-8")
    write_markdown(_results(errors=["couverture (100 contrats) : échec (boom)"]), path)
    assert "- ❌ couverture (100 contrats) : échec (boom)" in path.read_text(encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    write_markdown(_results(sizes=[]), path)
    assert path.read_text(encoding="utf-8") == before


def test_one_section_goes_after_the_report_or_in_place(tmp_path):
    path = tmp_path / "RESULTS.md"
    replace_section(path, "Rapport d'activité d'un contrat de 40 fiches", ["Rapport."])  # file absent
    replace_section(path, "Leviers", ["Premier."])
    merge(path, [("Charge", ["Charge."])])
    replace_section(path, "Leviers", ["Second."])
    text = path.read_text(encoding="utf-8")
    titles = [line for line in text.splitlines() if line.startswith("## ")]
    assert titles == ["## Rapport d'activité d'un contrat de 40 fiches", "## Leviers", "## Charge"]
    assert "Second." in text and "Premier." not in text


def test_a_section_whose_bench_changed_title_goes(tmp_path):
    """The Celery campaign bench measures a region's campaign now: its former section does not stay beside it."""
    path = tmp_path / "RESULTS.md"
    path.write_text(BEFORE + "\n## Campagne : 100 rapports par de vrais workers Celery (Redis)\n\nAncienne campagne.\n",
                    encoding="utf-8")
    campaign = {"title": "Campagne : les rapports d'une région", "lines": ["Nouvelle campagne."]}
    write_markdown(_results(campaign=campaign), path)
    text = path.read_text(encoding="utf-8")
    assert "Ancienne campagne." not in text and "100 rapports par de vrais workers" not in text
    assert "## Campagne : les rapports d'une région\n\nPasse du 2026-12-04 à 22:48" in text
    assert "Nouvelle campagne." in text
