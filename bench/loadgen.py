"""A small closed-loop HTTP load generator (standard library only), used by bench/load.py when locust
is not installed. Same behaviour as bench/locustfile.py: each simulated user logs in through the real
login form (CSRF token, session cookie), then opens a random page of its plan, waits 0.5 to 1.5 s,
and again, until the time is up. Writes a locust-compatible `<prefix>_stats.csv` (the columns load.py
reads: Name, Request Count, Failure Count, 50%, 95%, Requests/s).
"""

import csv
import http.client
import random
import statistics
import threading
import time
import urllib.parse

from .loadplan import TOKEN, interleave, page_name


def percentile(values, p):
    if not values:
        return 0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))]


class User(threading.Thread):
    def __init__(self, host, port, username, urls, stop_at, record):
        super().__init__(daemon=True)
        self.host, self.port, self.username, self.urls = host, port, username, urls
        self.stop_at, self.record, self.cookies = stop_at, record, {}

    def _request(self, method, url, name, body=None, headers=None, expect=200):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        t0 = time.perf_counter()
        error = None
        try:
            self.conn.request(method, url, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            if response.status != expect:
                error = f"{url} -> {response.status}"
        except (OSError, http.client.HTTPException) as exc:
            text, error = "", f"{url} -> {type(exc).__name__}: {exc}"
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self.record(name, (time.perf_counter() - t0) * 1000, error)
        return text

    def run(self):
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        page = self._request("GET", "/connexion/", "connexion (GET)")
        match = TOKEN.search(page)
        if not match:
            self.record("connexion (POST)", 0, "jeton CSRF introuvable")
            return
        body = urllib.parse.urlencode({"username": self.username, "password": "demo",
                                       "csrfmiddlewaretoken": match.group(1)})
        self._request("POST", "/connexion/", "connexion (POST)", body=body, expect=302,
                      headers={"Content-Type": "application/x-www-form-urlencoded",
                               "Referer": f"http://{self.host}:{self.port}/connexion/"})
        while time.monotonic() < self.stop_at:
            url = random.choice(self.urls)
            self._request("GET", url, page_name(url))
            time.sleep(random.uniform(0.5, 1.5))
        self.conn.close()


def run(host, port, plan, users, duration_s, spawn_rate, csv_prefix):
    samples, lock = [], threading.Lock()

    def record(name, ms, error):
        with lock:
            samples.append((name, ms, error))

    accounts = interleave(plan)
    started = time.monotonic()
    stop_at = started + duration_s
    threads = []
    for i in range(users):
        username = accounts[i % len(accounts)]
        thread = User(host, port, username, plan[username], stop_at, record)
        thread.start()
        threads.append(thread)
        time.sleep(1 / spawn_rate)
    for thread in threads:
        thread.join(timeout=duration_s + 60)
    elapsed = time.monotonic() - started
    names = sorted({s[0] for s in samples})
    rows = []
    for name in [*names, "Pages (hors connexion)", "Aggregated"]:
        if name == "Pages (hors connexion)":
            mine = [s for s in samples if not s[0].startswith("connexion")]
        else:
            mine = [s for s in samples if name == "Aggregated" or s[0] == name]
        times = [s[1] for s in mine]
        rows.append({"Name": name, "Request Count": len(mine), "Failure Count": sum(1 for s in mine if s[2]),
                     "50%": round(statistics.median(times)) if times else 0, "95%": round(percentile(times, 95)),
                     "Requests/s": f"{len(mine) / elapsed:.2f}"})
    with open(f"{csv_prefix}_stats.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return [s for s in samples if s[2]][:20]
