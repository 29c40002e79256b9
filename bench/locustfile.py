"""20 logged-in users over the main pages (run by bench/load.py; accounts made by seed_scale)."""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

PLAN = json.loads(os.environ["BENCH_PLAN"])  # account -> the pages it may open


def _interleave(accounts):
    """Coordinators, délégation and regional accounts in turn (same order as bench/loadgen.py)."""
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


ACCOUNTS = _interleave(PLAN)  # the three roles in turn
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_next_account = itertools.cycle(ACCOUNTS)


class PortalUser(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        username = self.username = next(_next_account)
        page = self.client.get("/connexion/", name="connexion (GET)")
        token = TOKEN.search(page.text).group(1)
        with self.client.post("/connexion/", {"username": username, "password": "demo", "csrfmiddlewaretoken": token},
                              headers={"Referer": self.host + "/connexion/"}, name="connexion (POST)",
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"connexion refusée pour {username} ({response.status_code})")

    @task
    def browse(self):
        url = random.choice(PLAN[self.username])
        is_contract = url.startswith("/cls/") and url.rstrip("/").split("/")[-1].isdigit()
        name = "/cls/<id>/" if is_contract else url.split("?")[0]
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{url} -> {response.status_code}")
