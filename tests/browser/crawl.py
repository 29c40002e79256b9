"""Look at the pages the way a person does: crawl what each demo role reaches, check each page in Chromium.

`crawl_role(browser, base_url, username, ...)` signs in, starts from the landing page (`/`) and follows
the same-site links it finds (breadth first, GET only, bounded), at 1280, 390 and 320 px. On each page,
`page_problems(page, width)` reports:

- a year, id or CSS value written with a thousands separator or a decimal comma: in attributes that are
  never prose (href, src, action, style, id, option and hidden/number input values, SVG geometry) and
  in text where a year stands on its own ("Année 2 025", "(2 023)", "INSEE, 2 021");
- at 390 and 320 px, a page wider than the window (it scrolls sideways), every `<details>` opened;
- an SVG text element whose box leaves its chart;
- more than one main-menu item marked current;
- a link or button without an accessible name;
- a page that reloads itself (`<meta http-equiv="refresh">`);
- an `aria-describedby` or `aria-labelledby` naming an id the page does not have;
- axe-core violations of serious or critical impact (tests/browser/a11y.py); the others (moderate, minor:
  mostly best practices) are counted in `CrawlResult.minor_axe` and written in the summary.

And across the pages one role reaches (`crawl_role`), a title that repeats another page's title for a
different content (WCAG 2.4.2: the title is what tells pages apart, in tabs, history and a screen reader's
first words). « Different content » is the text of `<main>`, spaces collapsed, at the first width: two URLs
showing the same text (`/x/` and `/x/?page=1`) may share a title, two filter variants or two pages of a
list may not. Error answers (403, 404) are left out: their titles are shared on purpose. The check is per
role: two roles see different buttons on one page under one title, and that is right.

Each page is saved as a PNG under `var/screens/<role>/<width>/` (gitignored): a build artefact a person
can look through.
"""

from __future__ import annotations

import re
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from tests.browser.a11y import BLOCKING_IMPACTS, axe_violations

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"
WIDTHS = (1280, 390, 320)
# Links a crawl never follows: leaving the session, the Django admin (its own look), files.
SKIP = re.compile(r"/(deconnexion|logout|admin)/|/telecharger|/download|/export|[?&]format=|\.(pdf|csv|xlsx|zip)$",
                  re.IGNORECASE)

PROBLEMS_JS = (Path(__file__).parent / "page_checks.js").read_text(encoding="utf-8")


@dataclass
class Visit:
    url: str
    width: int
    problems: list[str] = field(default_factory=list)
    screenshot: str = ""


@dataclass
class CrawlResult:
    role: str
    visits: list[Visit] = field(default_factory=list)
    seconds: float = 0.0
    minor_axe: dict[str, int] = field(default_factory=dict)  # axe rule id -> pages (moderate and minor impact)

    @property
    def pages(self) -> int:
        return len({v.url for v in self.visits})

    def problems(self) -> list[str]:
        return [f"[{self.role} {v.width} px] {v.url} — {p}" for v in self.visits for p in v.problems]


def pattern(path: str) -> str:
    """`/cls/12/fiches/3/` -> `/cls/N/fiches/N/`: pages built from the same view."""
    return re.sub(r"\d+", "N", path)


def page_problems(page, width: int, *, axe: bool = True, minor: dict | None = None) -> list[str]:
    """The problems of the page open in `page`; `minor` (a dict) counts the non-blocking axe rules it breaks."""
    problems = list(page.evaluate(PROBLEMS_JS, width))
    if axe:
        for v in axe_violations(page, impacts=None):
            if v.get("impact") not in BLOCKING_IMPACTS:
                if minor is not None:
                    minor[v["id"]] = minor.get(v["id"], 0) + 1
                continue
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
            problems.append(f"axe [{v['impact']}] {v['id']} : {v['help']} ({len(v['nodes'])} élément(s) : {targets})")
    return problems


MAIN_TEXT_JS = "(document.querySelector('main') || document.body).innerText.replace(/\\s+/g, ' ').trim()"


def title_problem(titles: dict, page, path: str) -> str | None:
    """Remember the page's title and main text in `titles`; a problem line when another page already had that
    title with a different text."""
    title = page.title().strip()
    text = page.evaluate(MAIN_TEXT_JS)
    first = titles.setdefault(title, (path, text))
    if first[1] != text:
        return f"titre déjà porté par {first[0]} pour un autre contenu : « {title} »"
    return None


def _login(page, username: str):
    page.goto("/connexion/")
    page.get_by_label("Identifiant ou adresse électronique").fill(username)
    page.get_by_label("Mot de passe").fill("demo")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def _slug(path: str) -> str:
    return re.sub(r"[^a-zA-Z0-9]+", "_", path).strip("_")[:120] or "accueil"


def crawl_role(browser, base_url: str, username: str | None, *, max_pages: int = 400, per_pattern: int | None = None,
               widths=WIDTHS, screens: Path | None = SCREENS, axe: bool = True) -> CrawlResult:
    """Crawl from `/` as `username` (None: anonymous). `per_pattern` bounds the pages of one view (a sample);
    `max_pages` bounds the crawl."""
    role = username or "anonyme"
    result = CrawlResult(role)
    started = time.monotonic()
    host = urlsplit(base_url).netloc
    contexts = {}
    for w in widths:
        ctx = browser.new_context(base_url=base_url, viewport={"width": w, "height": 900}, locale="fr-FR")
        ctx.set_default_timeout(20_000)
        page = ctx.new_page()
        if username:
            _login(page, username)
        contexts[w] = (ctx, page)
    seen: set[str] = set()
    titles: dict[str, tuple[str, str]] = {}
    per: dict[str, int] = {}
    queue = deque(["/"])
    try:
        while queue and len(seen) < max_pages:
            path = queue.popleft()
            if path in seen:
                continue
            key = pattern(urlsplit(path).path) + ("?" if urlsplit(path).query else "")
            if per_pattern is not None and per.get(key, 0) >= per_pattern:
                continue
            seen.add(path)
            per[key] = per.get(key, 0) + 1
            for w, (_, page) in contexts.items():
                visit = Visit(path, w)
                try:
                    response = page.goto(path)
                except Exception as err:  # a download, an aborted navigation
                    if "Download is starting" in str(err):
                        break
                    visit.problems.append(f"navigation impossible : {err}")
                    result.visits.append(visit)
                    continue
                ctype = (response.headers.get("content-type", "") if response else "")
                if "text/html" not in ctype:
                    break
                if response.status >= 400 and response.status not in (403, 404):
                    visit.problems.append(f"réponse {response.status}")
                if urlsplit(page.url).path.startswith("/connexion/") and username:
                    visit.problems.append("renvoyé à la page de connexion")
                visit.problems += page_problems(page, w, axe=axe, minor=result.minor_axe if w == widths[0] else None)
                if w == widths[0] and response.status < 400:
                    same = title_problem(titles, page, path)
                    if same:
                        visit.problems.append(same)
                if screens is not None:
                    target = screens / role / str(w) / f"{_slug(path)}.png"
                    target.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(target), full_page=True)
                    visit.screenshot = str(target)
                result.visits.append(visit)
                if w == widths[0]:
                    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                        href, _ = urldefrag(href)
                        parts = urlsplit(href)
                        if parts.netloc != host or parts.scheme not in ("http", "https") or SKIP.search(href):
                            continue
                        local = parts.path + (f"?{parts.query}" if parts.query else "")
                        if local not in seen:
                            queue.append(local)
    finally:
        for ctx, _ in contexts.values():
            ctx.close()
    result.seconds = time.monotonic() - started
    return result
