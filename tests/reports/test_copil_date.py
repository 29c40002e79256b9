"""Publishing on the COPIL's decision: the COPIL's date is a day of the report's year or after, and after the
contract's signature (QA walk-through: 01/01/2019 was accepted for a 2026 report of a contract signed in 2024)."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from cls_portal.core.errors import DomainError
from reports.services import check_copil_date
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 6)


def _publish(client, contract, *, year, signed, copil_date):
    type(contract).objects.filter(pk=contract.pk).update(date_signature=signed)
    report = ReportFactory(contract=contract, year=year, ready=True)
    client.force_login(contract.people["coordinateur"])
    response = client.post(reverse("reports:publish", args=[report.pk]), {"copil_date": copil_date, "confirme": "on"})
    report.refresh_from_db()
    return response, report


def test_a_copil_before_the_report_year_is_refused_next_to_the_field(client, contract):
    response, report = _publish(client, contract, year=2026, signed=dt.date(2024, 3, 12), copil_date="2019-01-01")
    assert response.status_code == 200 and not report.published
    assert response.context["publish_form"].errors["copil_date"] == [
        "Le COPIL ne peut pas avoir validé le rapport 2026 avant le début de l'année 2026 : saisissez une date à "
        "partir du 01/01/2026."]
    page = html.unescape(response.content.decode())
    assert "fr-input-group--error" in page and "saisissez une date à partir du 01/01/2026" in page


def test_a_copil_before_the_signature_is_refused(client, contract):
    response, report = _publish(client, contract, year=2024, signed=dt.date(2024, 3, 12), copil_date="2024-02-01")
    assert response.status_code == 200 and not report.published
    assert "signature du contrat, le 12/03/2024" in response.context["publish_form"].errors["copil_date"][0]


def test_a_copil_in_the_report_year_after_the_signature_publishes(client, contract):
    response, report = _publish(client, contract, year=2026, signed=dt.date(2024, 3, 12), copil_date="2026-01-01")
    assert response.status_code == 302 and report.published and report.copil_date == dt.date(2026, 1, 1)


@pytest.mark.parametrize("day, year, signature, ok", [
    (dt.date(2025, 12, 31), 2026, None, False), (dt.date(2026, 1, 1), 2026, None, True),
    (dt.date(2024, 3, 11), 2024, dt.date(2024, 3, 12), False), (dt.date(2024, 3, 12), 2024, dt.date(2024, 3, 12), True),
    (dt.date(2026, 12, 7), 2026, None, False),
])
def test_the_rule_as_a_function(day, year, signature, ok):
    if ok:
        assert check_copil_date(day, year=year, signature=signature, today=TODAY) == day
    else:
        with pytest.raises(DomainError) as err:
            check_copil_date(day, year=year, signature=signature, today=TODAY)
        assert err.value.field == "copil_date"
