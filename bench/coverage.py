"""Regional coverage (population covered by active CLS) over every contract of the data set.

Run by bench/run.py at each size; prints one JSON document: SQL queries and time of
`regional.coverage.coverage()` for the whole of France (every département), and the
largest figure of queries among the 18 régions one by one; and the same coverage at a past date (`at=`: the
phase history and the dated perimeter periods), which must stay at the same number of queries.
"""

import datetime as dt
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

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cls_portal.territories.models import Region  # noqa: E402
from contracts.models import Contract  # noqa: E402
from regional.coverage import coverage  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "30")) // 3 or 1
AT = dt.date(2024, 6, 30)  # a past date: the figures "au 30/06/2024"


def main():
    coverage()  # warm-up
    times, queries = [], None
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            result = coverage()
            times.append((time.perf_counter() - t0) * 1000)
        queries = len(ctx.captured_queries)
    per_region = []
    for code in Region.objects.order_by("code").values_list("code", flat=True):
        with CaptureQueriesContext(connection) as ctx:
            coverage(region_code=code)
        per_region.append(len(ctx.captured_queries))
    at_times, at_queries = [], None
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            coverage(at=AT)
            at_times.append((time.perf_counter() - t0) * 1000)
        at_queries = len(ctx.captured_queries)
    total = result.total
    json.dump({"contracts": Contract.objects.count(), "queries": queries, "ms": round(statistics.median(times), 1),
               "region_queries_max": max(per_region), "at_queries": at_queries,
               "at_ms": round(statistics.median(at_times), 1),
               "population": f"{total.covered:,} / {total.population:,} ({total.share:.1%})".replace(",", "\u202f")},
              sys.stdout)


if __name__ == "__main__":
    main()
