"""With the broker down (refusing, or accepting and never answering), the first report request of a process
tries once, with the publish timeout (`reports.services.PUBLISH_TIMEOUT`, 0.8 s), and gives up: about 1 s on
an idle machine (was ~6 s: kombu's three retries with back-off, then the transport's import). Measured in a
process of its own started with the broker configured, as a server process would be.

What is asserted is the mechanism — a single connection attempt, no retry, and a bound loose enough to
hold on a loaded CI machine (3 s, against ~6 s before) — not a speed target, which a timed unit test cannot
check honestly (a CI run under a load of 15 measured 1.5 s)."""

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.faults.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import json, os, sys, time
sys.path.insert(0, os.getcwd())
import django
django.setup()
from reports import services
t0 = time.perf_counter()
sent = services.enqueue(1)
print(json.dumps({"sent": sent, "seconds": time.perf_counter() - t0}))
"""


@pytest.fixture
def silent_broker():
    """A TCP server on the loopback that accepts connections and never answers (a hung Redis)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held = []

    def accept():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0", held
    server.close()
    for conn in held:
        conn.close()


def _first_enqueue(broker):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(DJANGO_SETTINGS_MODULE="cls_portal.settings.test", CELERY_BROKER_URL=broker, CELERY_REAL_WORKER="1")
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


BOUND = 3.0  # seconds: ~1 s idle; kombu's retries cost ~6 s


def test_a_refusing_broker_costs_the_first_request_one_attempt():
    result = _first_enqueue(f"redis://127.0.0.1:{free_port()}/0")
    assert result["sent"] is False and result["seconds"] < BOUND, result


def test_a_hung_broker_costs_the_first_request_one_attempt_and_the_timeout(silent_broker):
    url, held = silent_broker
    result = _first_enqueue(url)
    assert result["sent"] is False, result
    assert 0.8 <= result["seconds"] < BOUND, result  # it waited for the publish timeout, once
    assert len(held) == 1, f"{len(held)} connections: the publish was retried"
