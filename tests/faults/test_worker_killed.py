"""A real Celery worker killed with SIGKILL in the middle of a report: the report is produced once."""

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.celery_worker]

LEASE = 300 + 60  # CELERY_TASK_TIME_LIMIT + 60 s: after that a job "en cours" belongs to a dead worker


def test_report_interrupted_by_sigkill_is_produced_exactly_once_by_the_next_worker(fault_env):
    ctx = fault_env.run("setup")
    assert ctx["fiches"] == 60  # a real-size report: a few seconds of layout, room to kill mid-way
    contract = ctx["contract"]

    first = fault_env.start_worker("w1")
    try:
        report = fault_env.run("http_request", contract, ctx["user"])["report"]
        running = fault_env.wait_for(lambda s: s["reports"] and s["reports"][0]["status"] == "en_cours",
                                     contract, timeout=60, what="rapport en cours")
        fault_env.kill_worker(first)  # mid-report: the PDF is not written yet
    finally:
        fault_env.stop_worker(first)
    assert running["files"] == []
    after_kill = fault_env.state(contract)
    assert [r["status"] for r in after_kill["reports"]] == ["en_cours"], after_kill
    assert after_kill["files"] == [] and after_kill["ready_entries"] == 0

    second = fault_env.start_worker("w2")
    try:
        # The dead worker's message stays unacknowledged in Redis; nothing picks the job up on its own
        # before the lease, and a live worker does not steal a job that is still within it.
        mark = fault_env.log_mark(second)
        fault_env.send("reports.requeue_reports")
        fault_env.send("reports.render_report", report)
        fault_env.wait_handled(second, mark, "reports.requeue_reports", "reports.render_report")
        assert [r["status"] for r in fault_env.state(contract)["reports"]] == ["en_cours"]

        # Six minutes later (the lease): the beat sweep hands the job back and the new worker produces it.
        fault_env.backdate(report, LEASE + 5, "started_at", "requested_at")
        fault_env.send("reports.requeue_reports")
        done = fault_env.wait_for(lambda s: s["reports"][0]["status"] in ("pret", "echec"), contract, timeout=120,
                                  what="rapport produit après la reprise")
        assert done["reports"][0]["status"] == "pret", done
        assert done["reports"][0]["attempts"] == 2
        assert len(done["files"]) == 1 and done["reports"][0]["file"] == done["files"][0]
        assert done["ready_entries"] == 1

        # The killed worker's message delivered late (Redis visibility timeout): nothing is produced twice.
        mark = fault_env.log_mark(second)
        fault_env.send("reports.render_report", report)
        fault_env.send("reports.requeue_reports")
        fault_env.wait_handled(second, mark, "reports.render_report", "reports.requeue_reports")
    finally:
        fault_env.stop_worker(second)
    final = fault_env.state(contract)
    assert len(final["reports"]) == 1 and final["reports"][0]["status"] == "pret"
    assert final["files"] == done["files"] and final["ready_entries"] == 1 and final["reports"][0]["attempts"] == 2
