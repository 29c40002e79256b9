"""Fault scenarios against real services: PostgreSQL on 127.0.0.1:5432 and a real Redis.

Each xdist worker gets a PostgreSQL database of its own (`cls_bench_faults_<worker>_<pid>`, cloned once per
session from the run's migrated template, tests/migrated.py) and a redis-server of its own on a free port
(falling back to a database 13-15 of the Redis on 6379 when no redis-server binary is installed), so the scenarios never
meet the CI's queue, another xdist worker's, or another checkout running the suite at the same time.
The steps run in subprocesses (tests/faults/driver.py) so the test, the driver and the Celery worker
all see the same committed rows. Skipped, with the reason, only when PostgreSQL (or, without a
redis-server binary, the Redis on 6379) cannot be reached.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.migrated import subprocess_env

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
CELERY = str(Path(sys.executable).parent / "celery")


def _reachable(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def _psql(sql):
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql], check=True,
                   capture_output=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class FaultEnv:
    env: dict
    tmp: Path

    def run(self, command, *args, broker=None):
        env = dict(self.env)
        if broker is not None:
            env["CELERY_BROKER_URL"] = broker
        out = subprocess.run([PY, "-m", "tests.faults.driver", command, *map(str, args)], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, f"driver {command} a échoué :\n{out.stderr[-4000:]}"
        return json.loads(out.stdout)

    def start_worker(self, name):
        log = open(self.tmp / f"worker-{name}.log", "w+")
        proc = subprocess.Popen(
            [CELERY, "-A", "cls_portal", "worker", "--concurrency", "1", "-P", "prefork", "-l", "info",
             "-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        proc.log_path = log.name
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = Path(log.name).read_text(errors="replace")
            assert proc.poll() is None, f"le worker s'est arrêté au démarrage :\n{text[-3000:]}"
            if " ready." in text:
                return proc
            time.sleep(0.2)
        self.stop_worker(proc)
        pytest.fail("le worker Celery n'a pas démarré en 60 s")

    @staticmethod
    def log_mark(proc) -> int:
        """Where the worker's log ends now: `wait_handled` looks at what it writes after that."""
        return len(Path(proc.log_path).read_text(errors="replace"))

    @staticmethod
    def wait_handled(proc, since: int, *task_names: str, quiet: float = 0.5, timeout: float = 60):
        """Wait until the worker has logged the end (succeeded, raised, retry) of each task named, once per name
        given, since `since`, then has had no task pending for `quiet` seconds (every task it received since has
        ended): what a fixed sleep hoped for, checked. A task that never ends fails the test with the log."""
        deadline = time.monotonic() + timeout
        quiet_since = None
        while time.monotonic() < deadline:
            text = Path(proc.log_path).read_text(errors="replace")[since:]
            ended = re.findall(r"Task ([\w.]+)\[[^\]]+\] (?:succeeded|raised|retry)", text)
            received = len(re.findall(r"Task [\w.]+\[[^\]]+\] received", text))
            wanted = all(ended.count(name) >= task_names.count(name) for name in set(task_names))
            if wanted and received == len(ended):
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= quiet:
                    return
            else:
                quiet_since = None
            assert proc.poll() is None, f"le worker s'est arrêté :\n{text[-3000:]}"
            time.sleep(0.1)
        pytest.fail(f"le worker n'a pas fini {', '.join(task_names)} en {timeout} s :\n{text[-3000:]}")

    @staticmethod
    def kill_worker(proc):
        """SIGKILL to the worker and its pool children: no warm shutdown, nothing handed back."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    @staticmethod
    def stop_worker(proc):
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def state(self, contract):
        """The contract's report jobs, their files on disk and "rapport_pret" history entries (direct SQL)."""
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"]) as conn:
            cols = ["pk", "status", "file", "attempts", "enqueued_at", "started_at", "error_message"]
            rows = conn.execute(
                "SELECT id, status, file, attempts, enqueued_at, started_at, error_message FROM reports_report "
                "WHERE contract_id = %s ORDER BY id", [contract]).fetchall()
            ready = conn.execute("SELECT count(*) FROM core_historyentry WHERE action = 'rapport_pret' "
                                 "AND contract_id = %s", [contract]).fetchone()[0]
        folder = Path(self.env["MEDIA_ROOT"]) / "rapports" / str(contract)
        files = sorted(str(p.relative_to(self.env["MEDIA_ROOT"])) for p in folder.rglob("*") if p.is_file())
        return {"reports": [dict(zip(cols, r, strict=True)) for r in rows], "files": files, "ready_entries": ready}

    def backdate(self, report, seconds, *fields):
        """Move a job's timestamps back: what the beat sweep sees once that much time has passed."""
        import psycopg

        sets = ", ".join(f"{f} = {f} - make_interval(secs => %s)" for f in fields)
        with psycopg.connect(self.env["DATABASE_URL"]) as conn:
            conn.execute(f"UPDATE reports_report SET {sets} WHERE id = %s", [seconds] * len(fields) + [report])

    def send(self, task_name, *args, broker=None):
        """Publish a task by name to the broker (what beat, or a late redelivery, does)."""
        from celery import Celery

        url = broker or self.env["CELERY_BROKER_URL"]
        # set_as_current=False: a new Celery app otherwise becomes the process's current app, and the
        # `shared_task`s of every later test in this process (e-mails, reports) would publish to this broker
        # instead of running eagerly under the test settings.
        app = Celery("faults", broker=url, set_as_current=False)
        # Celery's `broker_url` prefers the CELERY_BROKER_URL environment variable (set in CI) over the
        # argument; the write URL is what publishing uses, and it takes ours.
        app.conf.broker_write_url = url
        try:
            app.send_task(task_name, args=list(args), retry=False)
        finally:
            app.close()

    def wait_for(self, predicate, contract, timeout=90, what="l'état attendu"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            st = self.state(contract)
            if predicate(st):
                return st
            time.sleep(0.3)
        pytest.fail(f"{what} non atteint en {timeout} s : {st}")


def _private_redis(tmp):
    """A redis-server of this test session only (nothing else can consume its tasks), or None."""
    import shutil

    binary = shutil.which("redis-server")
    if binary is None:
        return None, None
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    for _ in range(100):
        if _reachable(port):
            return proc, f"redis://127.0.0.1:{port}/0"
        time.sleep(0.1)
    proc.kill()
    return None, None


@pytest.fixture(scope="session")
def fault_env(request, tmp_path_factory, worker_id):
    if not _reachable(5432):
        pytest.skip("PostgreSQL injoignable sur 127.0.0.1:5432 (scénario de panne avec un vrai worker)")
    tmp = tmp_path_factory.mktemp("faults")
    redis_proc, broker = _private_redis(tmp)
    if broker is None:  # no redis-server binary here: the shared Redis, on a database of our own
        if not _reachable(6379):
            pytest.skip("Redis injoignable sur 127.0.0.1:6379 (scénario de panne avec un vrai worker)")
        index = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
        broker = f"redis://127.0.0.1:6379/{13 + index % 3}"
        import redis

        redis.Redis.from_url(broker).flushdb()
    # Unique per run: several checkouts of the project may run the suite at the same time.
    name = f"cls_bench_faults_{worker_id}_{os.getpid()}"
    try:
        url = request.getfixturevalue("migrated_postgres").clone(name)  # tests/migrated.py
        env = subprocess_env(url, CELERY_REAL_WORKER="1", CELERY_BROKER_URL=broker, MEDIA_ROOT=str(tmp / "media"))
        yield FaultEnv(env=env, tmp=tmp)
    finally:
        if redis_proc is not None:
            os.killpg(redis_proc.pid, signal.SIGKILL)
            redis_proc.wait()
        _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
