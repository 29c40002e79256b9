"""Permission predicates as plain functions: (allowed, reason)."""

import pytest

from reports import permissions as p
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role,drafts,request_,publish,copil", [
    ("coordinateur", True, True, True, True),
    ("delegation", True, True, True, False),
    ("region", True, False, False, True),
    ("elu", False, False, False, True),
])
def test_predicates_by_role(contract, role, drafts, request_, publish, copil):
    user = contract.people[role]
    report = ReportFactory(contract=contract, ready=True)
    assert p.can_view_drafts(user, contract)[0] is drafts
    assert p.can_request_report(user, contract)[0] is request_
    assert p.can_retry_report(user, report)[0] is request_
    assert p.can_publish_report(user, report)[0] is publish
    assert p.can_view_report(user, report)[0] is drafts
    if publish:
        assert p.must_record_copil_decision(user, report) is copil


def test_refusals_give_a_french_reason(contract):
    elu = contract.people["elu"]
    allowed, reason = p.can_request_report(elu, contract)
    assert not allowed and "coordinateur" in reason
    published = ReportFactory(contract=contract, published_v1=True)
    assert p.can_view_report(elu, published) == (True, "")
    assert p.can_publish_report(contract.people["delegation"], published) == (False, "Ce rapport est déjà publié.")


def test_only_regional_staff_start_campaigns(contract):
    assert p.can_start_campaign(contract.people["region"])[0]
    allowed, reason = p.can_start_campaign(contract.people["delegation"])
    assert not allowed and "siège régional" in reason
