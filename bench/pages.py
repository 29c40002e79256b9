"""Server time and SQL queries of the main pages, in-process (Django test client), on the current DB.

Run by bench/run.py once per data-set size; prints one JSON document on stdout.
"""

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

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from bench.scenarios import page_specs  # noqa: E402
from contracts.models import Contract  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
WARMUP = 3


def percentile(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def _get(client, url):
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response


def prepare(client, url):
    """Warm-up, then the SQL queries of one request, counted apart from the timed ones (recording every
    statement would slow down the pages with more queries)."""
    for _ in range(WARMUP):
        _get(client, url)
    with CaptureQueriesContext(connection) as ctx:
        status = _get(client, url).status_code
    return {"status": status, "queries": len(ctx.captured_queries)}


def main():
    User = get_user_model()
    data = {"contracts": Contract.objects.count(), "vendor": connection.vendor, "pages": {}}
    biggest = (Contract.objects.filter(nom__startswith="CLS échelle").annotate(n=Count("fiches"))
               .order_by("-n", "pk").first())
    timed = []
    for spec in page_specs(biggest):
        user = User.objects.get(username=spec["user"])
        client = Client()
        client.force_login(user)
        try:
            url = spec["url"]() if callable(spec["url"]) else spec["url"]
        except (NoReverseMatch, LookupError, AttributeError) as exc:
            data["pages"][spec["name"]] = {"error": f"page indisponible : {exc}"}
            continue
        data["pages"][spec["name"]] = {"url": url, "user": spec["user"], "kind": spec.get("kind", "page"),
                                       **prepare(client, url)}
        timed.append((spec["name"], client, url, []))
    # Rounds: every page once per round, so a slower moment of the machine weighs on all pages alike
    # and the ratios to the bare page and to the admin hold.
    for _ in range(REPEAT):
        for _name, client, url, times in timed:
            t0 = time.perf_counter()
            _get(client, url)
            times.append((time.perf_counter() - t0) * 1000)
    for name, _client, _url, times in timed:
        data["pages"][name].update(median_ms=round(statistics.median(times), 2),
                                   p95_ms=round(percentile(times, 95), 2))
    json.dump(data, sys.stdout)


if __name__ == "__main__":
    main()
    _ = reverse
