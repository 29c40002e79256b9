"""HTML -> PDF with WeasyPrint, kept apart from HTTP (callers get bytes, not a response).

Rendering never touches the network: the URL fetcher only serves `data:` URIs and files under the
project's static folders (stylesheets, fonts, images). Anything else is refused, so a report cannot
leak a request to a third party nor hang on one.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import gc
import logging
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

logger = logging.getLogger(__name__)


class NetworkFetchRefused(ValueError):
    pass


def _allowed_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in getattr(settings, "STATICFILES_DIRS", [])]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def static_path(path: str) -> Path:
    """Absolute path of a static file (`reports/report.css`), found like `{% static %}` finds it."""
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"Fichier statique introuvable : {path}")
    return Path(found).resolve()


def _local_fetcher_class():
    from weasyprint.urls import URLFetcher

    class LocalOnlyURLFetcher(URLFetcher):
        """Serves `data:` and `file:` URLs under the static roots; refuses everything else."""

        def __init__(self, *args, **kwargs):
            kwargs["allowed_protocols"] = {"data", "file"}
            super().__init__(*args, **kwargs)

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in _allowed_roots()):
                    raise NetworkFetchRefused(f"Fichier hors des dossiers statiques refusé : {url}")
            elif scheme != "data":
                raise NetworkFetchRefused(f"Ressource réseau refusée pendant le rendu PDF : {url}")
            return super().fetch(url, headers)

    return LocalOnlyURLFetcher


# While WeasyPrint lays out a document it keeps hundreds of thousands of objects alive (boxes, computed
# styles, Pango layouts): with Python's default first-generation threshold (700 allocations) the cyclic
# garbage collector walks them over and over, ~15 % of a 40-sheet report's CPU time (issue 19). During a
# rendering the threshold is raised; refcounting still frees almost everything at once, and the collector
# still runs, every 50 000 allocations instead of 700. The previous thresholds come back afterwards.
GC_FIRST_GENERATION_THRESHOLD = 50_000
_gc_lock = threading.Lock()
_gc_state = {"depth": 0, "saved": None}


@contextlib.contextmanager
def _fewer_gc_passes():
    """Raise the collector's first threshold for the time of a rendering (threads share it: the first in
    raises it, the last out restores it)."""
    with _gc_lock:
        if _gc_state["depth"] == 0:
            _gc_state["saved"] = gc.get_threshold()
            gc.set_threshold(max(GC_FIRST_GENERATION_THRESHOLD, _gc_state["saved"][0]), *_gc_state["saved"][1:])
        _gc_state["depth"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["depth"] -= 1
            if _gc_state["depth"] == 0:
                gc.set_threshold(*_gc_state["saved"])


@functools.lru_cache(maxsize=8)
def _prepared(stylesheets: tuple[str, ...]):
    """(fetcher, font configuration, parsed stylesheets), made once per worker process and reused by every
    document: the stylesheets are parsed and their @font-face fonts loaded once, not once per report."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fetcher = _local_fetcher_class()()
    # One font configuration for the stylesheets and the rendering: without it, WeasyPrint ignores the
    # @font-face rules (Marianne) and falls back on the system's fonts.
    font_config = FontConfiguration()
    css = [weasyprint.CSS(filename=str(static_path(s)), url_fetcher=fetcher, font_config=font_config)
           for s in stylesheets]
    return fetcher, font_config, css


def release_fonts() -> None:
    """Drop what `_prepared` keeps, its font configuration first. WeasyPrint copies the stylesheets' fonts into a
    temporary folder (`weasyprint-…` in the system's temporary directory, 2.5 MB) and removes it when that
    configuration is collected. Kept for the life of the process, it was collected only at interpreter
    shutdown, when WeasyPrint's module globals are already gone (« 'NoneType' object is not callable » in its
    `__del__`): every process that rendered a report left its folder behind (63 after one run of the test
    suite). Called at exit, and by each Celery prefork child before it exits (`cls_portal.celery`: a child
    leaves by `os._exit`, which runs no exit handler)."""
    _prepared.cache_clear()
    gc.collect()  # the configuration may sit in reference cycles (CSS objects, Pango maps)


atexit.register(release_fonts)


def html_to_pdf(html: str, *, stylesheets: list[str] = (), pdf_variant: str | None = None) -> bytes:
    """Render `html` (with static `stylesheets`, e.g. ["reports/report.css"]) to PDF bytes.

    Relative URLs in the HTML resolve against the static folder; fonts referenced by the stylesheets
    are embedded (subset). `pdf_variant` (e.g. "pdf/ua-1") asks WeasyPrint for a tagged PDF. The parsed
    stylesheets and their fonts are kept for the life of the process (`_prepared`); the garbage collector
    makes fewer passes while the document is built (`_fewer_gc_passes`); the charts are drawn by
    `cls_portal.pdf_charts`.
    """
    import weasyprint

    from .pdf_charts import ChartPictures

    fetcher, font_config, css = _prepared(tuple(stylesheets))
    base = static_path(stylesheets[0]).parent.as_uri() + "/" if stylesheets else None
    options = {"pdf_variant": pdf_variant} if pdf_variant else {}
    with _fewer_gc_passes():
        document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
        # The charts (`data:` SVG images) are drawn by `pdf_charts`, not by WeasyPrint's SVG engine.
        return document.write_pdf(stylesheets=css, font_config=font_config, cache=ChartPictures(font_config),
                                  **options)
