"""Where the time of one report goes: data gathering, HTML templating (with its SVG charts), WeasyPrint.

Bench-only (the reports app carries no timing code): it times the public steps the Celery task chains,
`reports.data.report_data` → `reports.rendering.render_html` → `cls_portal.pdf.html_to_pdf`. Needs Django
set up (bench/reports.py does it; the tests already have it).
"""

from __future__ import annotations

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cls_portal.pdf import html_to_pdf
from reports import rendering
from reports.data import report_data

SOURCE = "report_data → render_html → html_to_pdf (bench/report_timing.py)"


def one_run(contract, kind: str, year: int) -> dict:
    """{"data", "html", "pdf"} seconds for one report, the PDF size ("bytes") and the data step's SQL queries."""
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        fresh = type(contract).objects.get(pk=contract.pk)  # no cache carried over between runs
        data = report_data(fresh, kind, year)
        t1 = time.perf_counter()
    html = rendering.render_html(kind=kind, year=year, data=data)
    t2 = time.perf_counter()
    pdf = html_to_pdf(html, stylesheets=rendering.STYLESHEETS, pdf_variant=rendering.PDF_VARIANT)
    t3 = time.perf_counter()
    return {"data": t1 - t0, "html": t2 - t1, "pdf": t3 - t2, "bytes": len(pdf), "queries": len(ctx.captured_queries)}
