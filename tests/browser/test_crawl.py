"""Every page each demo role reaches, looked at in Chromium at 1280, 390 and 320 px (tests/browser/crawl.py).

In CI (`make test`): a bounded sample, one page per view (URL pattern) and at most `CRAWL_MAX_PAGES`
(default 10) pages per role, for six roles. `make crawl` (CRAWL=full): every demo account, every page
reachable from the landing page (up to 400 per role); `CRAWL_ROLES=admin,ars14` (`anonyme` for the public) keeps
those accounts only. PNGs in var/screens/<role>/<width>/, and a summary in var/screens/summary.txt.

One test per role (each crawl is independent: its own sign-in, its own titles), so that xdist workers share
the roles. Each writes its part of the summary (var/screens/parts/<role>.txt, tagged with the run) and
rewrites summary.txt from the parts of the run, under a lock: the file reads as one crawl of every role.
"""

import fcntl
import os

import pytest

from tests.browser.crawl import SCREENS, crawl_role, page_problems, title_problem

FULL = os.environ.get("CRAWL") == "full"
SAMPLE_ROLES = ["coordinateur", "pilote", "ars14", "ars-normandie", "elu", None]
ALL_ROLES = ["admin", "coordinateur", "coordinateur2", "coordinatrice-langres", "pilote", "ars14", "ars50", "ars52",
             "ars-normandie", "elu", None]


def crawl_roles() -> list[str | None]:
    roles = ALL_ROLES if FULL else SAMPLE_ROLES
    if os.environ.get("CRAWL_ROLES"):
        wanted = {name.strip() for name in os.environ["CRAWL_ROLES"].split(",")}
        roles = [r for r in roles if (r or "anonyme") in wanted]
    return roles


ROLES = crawl_roles()
PARTS = SCREENS / "parts"


def write_summary(run: str, role: str, summary: str, problems: list[str]):
    """Record this role's part of the run, then rewrite summary.txt from every part of the same run, in
    the order of ROLES: summary lines, a blank line, the problems."""
    PARTS.mkdir(parents=True, exist_ok=True)
    (PARTS / f"{role}.txt").write_text("\n".join([run, summary, *problems]) + "\n", encoding="utf-8")
    with open(PARTS / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        summaries, all_problems = [], []
        for name in (r or "anonyme" for r in ROLES):
            part = PARTS / f"{name}.txt"
            lines = part.read_text(encoding="utf-8").splitlines() if part.exists() else []
            if lines[:1] == [run]:
                summaries.append(lines[1])
                all_problems += lines[2:]
        tmp = SCREENS / ".summary.txt.tmp"
        tmp.write_text("\n".join(summaries + [""] + all_problems) + "\n", encoding="utf-8")
        os.replace(tmp, SCREENS / "summary.txt")


@pytest.mark.slow
@pytest.mark.parametrize("username", ROLES or ["?"], ids=lambda r: r or "anonyme")
def test_every_page_each_role_reaches_reads_right(username, demo, browser, live_server, testrun_uid):
    assert ROLES, f"CRAWL_ROLES : aucun compte parmi {', '.join(r or 'anonyme' for r in ALL_ROLES)}"
    per_pattern = None if FULL else 1
    max_pages = 400 if FULL else int(os.environ.get("CRAWL_MAX_PAGES", "10"))
    result = crawl_role(browser, live_server.url, username, per_pattern=per_pattern, max_pages=max_pages)
    minor = ", ".join(f"{rule} ({n} p.)" for rule, n in sorted(result.minor_axe.items())) or "aucune"
    summary = (f"{result.role} : {result.pages} pages, {len(result.visits)} rendus, {result.seconds:.0f} s, "
               f"{len(result.problems())} problème(s) ; axe, règles d'impact modéré ou mineur : {minor}")
    problems = result.problems()
    write_summary(testrun_uid, result.role, summary, problems)
    if username is not None:
        assert result.pages >= 3, f"{result.role} : le parcours n'a presque rien trouvé ({result.pages} pages)"
    assert not problems, "\n".join([summary, *problems[:80]])


BAD_PAGE = """<!doctype html><html lang="fr"><head><title>x</title></head><body><main>
<nav id="main-nav" aria-label="Menu"><a href="/a" aria-current="page">A</a> <a href="/b" aria-current="page">B</a></nav>
<h1>Année 2\u00a0025</h1><p>Population : 2\u00a0025 habitants (2\u00a0023)</p>
<form><select><option value="2\u00a0026">2026</option></select></form>
<a href="?annee=2%C2%A0026">lien</a><div style="left:14,28%">barre</div>
<button type="button"></button>
<svg width="100" height="50" viewBox="0 0 100 50"><text x="60" y="20">un libellé bien trop long</text></svg>
<div style="width:900px">large</div>
<input id="champ" aria-describedby="id_champ_helptext"><section aria-labelledby="nulle-part"></section>
</main></body></html>"""
BAD_HEAD = '<meta http-equiv="refresh" content="3">'


def test_the_page_checks_can_fail(browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.set_content(BAD_PAGE.replace("<title>x</title>", "<title>x</title>" + BAD_HEAD))
    problems = "\n".join(page_problems(page, 390, axe=True))
    context.close()
    for expected in ["Année 2\u00a0025", "séparateur dans une valeur de formulaire",
                     'séparateur dans un attribut : href="?annee=2%C2%A0026"', "virgule décimale dans une valeur CSS",
                     "la page défile à l\u2019horizontale", "texte hors du graphique",
                     "plusieurs entrées de menu courantes", "lien ou bouton sans nom accessible",
                     "axe [critical] button-name", "rechargement automatique (meta refresh)",
                     "aria-describedby vers un id absent : #id_champ_helptext",
                     "aria-labelledby vers un id absent : #nulle-part"]:
        assert expected in problems, f"{expected!r} manque dans :\n{problems}"
    # "Année 2 025" and "(2 023)"; "2 025 habitants" is a quantity and keeps its separator
    assert problems.count("année écrite avec un séparateur") == 2


def test_a_clean_page_has_no_problem(browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.set_content('<!doctype html><html lang="fr"><head><title>x</title></head><body><main><h1>Année 2025</h1>'
                     '<p>15\u00a0500 habitants</p><a href="?annee=2025">Suivi 2025</a></main></body></html>')
    assert page_problems(page, 390) == []
    context.close()


def test_a_title_shared_by_two_different_pages_is_a_problem(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    titles = {}
    page.set_content("<html><head><title>Contrats</title></head><body><main><h1>Contrats</h1><p>A, B</p></main>")
    assert title_problem(titles, page, "/contrats/") is None
    assert title_problem(titles, page, "/contrats/?page=1") is None  # same content: same title is right
    page.set_content("<html><head><title>Contrats</title></head><body><main><h1>Contrats</h1><p>C, D</p></main>")
    assert title_problem(titles, page, "/contrats/?page=2") == (
        "titre déjà porté par /contrats/ pour un autre contenu : « Contrats »")
    page.set_content("<html><head><title>Contrats – page 2</title></head><body><main><p>C, D</p></main>")
    assert title_problem(titles, page, "/contrats/?page=2") is None
    context.close()


def test_the_overflow_check_opens_closed_details_at_320_px(browser):
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.set_content('<!doctype html><html lang="fr"><head><title>x</title></head><body><main><h1>Liste</h1>'
                     '<details><summary>Filtrer</summary><form style="width:360px">filtres</form></details>'
                     '</main></body></html>')
    problems = page_problems(page, 320, axe=False)
    assert any("la page défile à l\u2019horizontale" in p for p in problems), problems
    assert page.evaluate("document.querySelector('details').open") is False  # left as it was
    context.close()
