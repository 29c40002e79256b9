"""What the load test's simulated users share, whichever tool drives them (locust or bench/loadgen.py):
the order in which accounts are handed out, how a page is named in the statistics, the login token.
No Django import: locust loads this next to bench/locustfile.py."""

import re

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_ID = re.compile(r"/\d+(?=/)")


def interleave(accounts):
    """Coordinators, délégation and regional accounts in turn, so 20 users mix the three roles."""
    groups = {}
    for account in sorted(accounts):
        kind = "coord" if "coord" in account else "dd" if "-dd" in account else "region"
        groups.setdefault(kind, []).append(account)
    ordered, queues = [], [groups[k] for k in ("coord", "dd", "region") if k in groups]
    while any(queues):
        for queue in queues:
            if queue:
                ordered.append(queue.pop(0))
    return ordered


def page_name(url: str) -> str:
    """One line per kind of page in the statistics: `/financements/cls/12/` → `/financements/cls/<id>/`."""
    return _ID.sub("/<id>", url.split("?")[0])
