"""The bench's report timing (bench/report_timing.py): the three steps, and a data step whose SQL does not grow."""

import pytest

from bench.report_timing import one_run
from tests import factories as f
from tests.reports.builders import plan_contract as build


@pytest.mark.django_db
def test_timing_split_counts_the_data_queries_and_they_do_not_grow_with_the_sheets():
    small = one_run(build(), "activite", 2025)
    assert set(small) == {"data", "html", "pdf", "bytes", "queries"} and small["bytes"] > 1000
    assert all(small[k] > 0 for k in ("data", "html", "pdf"))
    contract = build()
    axe = contract.axes.get(numero=2)
    for n in range(2, 12):
        f.FicheActionFactory(axe=axe, numero=n, titre=f"Fiche supplémentaire {n}")
    big = one_run(contract, "activite", 2025)
    assert big["queries"] == small["queries"]
