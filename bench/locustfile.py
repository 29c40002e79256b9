"""20 logged-in users over the main pages (run by bench/load.py; accounts made by seed_scale)."""

import itertools
import json
import os
import random
import sys
from pathlib import Path

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadplan import TOKEN, interleave, page_name  # noqa: E402

PLAN = json.loads(os.environ["BENCH_PLAN"])  # account -> the pages it may open
ACCOUNTS = interleave(PLAN)  # the three roles in turn
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
        with self.client.get(url, name=page_name(url), catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{url} -> {response.status_code}")
