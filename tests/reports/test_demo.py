import pytest

from reports.models import Report
from tests.demo import seed_demo_data


@pytest.mark.django_db
def test_demo_publishes_last_years_two_reports_for_bayeux_once():
    seed_demo_data()
    seed_demo_data()  # idempotent
    reports = Report.objects.filter(contract__nom__icontains="Bayeux", published=True)
    assert sorted(reports.values_list("kind", "version")) == [("activite", 1), ("financier", 1)]
    assert all(r.file.read(5) == b"%PDF-" for r in reports)
