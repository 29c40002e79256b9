"""The broker is down while a user asks for a report (POST of the real form): no error page, the job
waits, and is produced once the broker is back (the `reports.requeue_reports` beat sweep resends it)."""

import pytest

from tests.faults.conftest import free_port

pytestmark = [pytest.mark.slow, pytest.mark.celery_worker]


def test_report_asked_while_redis_is_down_waits_then_completes_once_redis_is_back(fault_env):
    ctx = fault_env.run("setup")
    contract = ctx["contract"]
    dead_broker = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there: Redis is "stopped"

    asked = fault_env.run("http_request", contract, ctx["user"], broker=dead_broker)
    assert asked["get"] == 200
    # No 500: the request is recorded and the user lands on the report's page, which says it waits.
    assert asked["post"] == 200 and asked["redirects"] == [asked["detail_url"]], asked
    assert asked["says_registered"] and asked["says_waiting"], asked
    st = fault_env.state(contract)
    assert [(r["pk"], r["status"], r["enqueued_at"]) for r in st["reports"]] == [(asked["report"], "en_attente", None)]

    worker = fault_env.start_worker("w-back")  # Redis is back, a worker listens
    try:
        fault_env.wait_handled(worker, 0, quiet=2)  # a ready worker with no task for 2 s: nothing was queued
        assert fault_env.state(contract)["reports"][0]["status"] == "en_attente"
        fault_env.backdate(asked["report"], 61, "requested_at")  # the sweep leaves jobs younger than 60 s alone
        fault_env.send("reports.requeue_reports")
        done = fault_env.wait_for(lambda s: s["reports"][0]["status"] in ("pret", "echec"), contract, timeout=120,
                                  what="rapport produit après le retour de Redis")
        mark = fault_env.log_mark(worker)
        fault_env.send("reports.requeue_reports")  # a second sweep finds nothing to resend
        fault_env.wait_handled(worker, mark, "reports.requeue_reports")  # it ran, and nothing followed it
    finally:
        fault_env.stop_worker(worker)
    assert done["reports"][0]["status"] == "pret", done
    final = fault_env.state(contract)
    assert len(final["reports"]) == 1 and final["reports"][0]["attempts"] == 1
    assert len(final["files"]) == 1 and final["ready_entries"] == 1
