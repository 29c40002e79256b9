"""Done when (issue 15), in a real browser on the demo: the délégation, the coordinator and the pilot land on
exactly the items the database says wait for them, the menu counts them, and each link opens its page."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cls_portal.accounts.models import User
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import login
from tests.worklists.test_demo_landing_pages import (
    _more_pending_states,
    expected_for_coordinator,
    expected_for_pilot,
    expected_for_reviewers,
)

CASES = [
    ("ars14", "Tableau de bord de la délégation", "Tableau de bord",
     lambda u, t: expected_for_reviewers(u, "delegation", t)),
    ("coordinateur", "Mon CLS", "Mon CLS", expected_for_coordinator),
    ("pilote", "Mes fiches", "Mes fiches", expected_for_pilot),
]


@pytest.mark.parametrize("username,heading,menu,expected_fn", CASES, ids=[c[0] for c in CASES])
def test_landing_page_lists_what_waits_and_each_link_opens(page, demo, username, heading, menu, expected_fn):
    _more_pending_states()
    expected = expected_fn(User.objects.get(username=username), timezone.localdate())
    assert expected, "the demo gives this role something to do"
    login(page, username)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    links = page.locator("li[data-work-item] > a")
    found = sorted((li.get_attribute("data-work-item"), a.get_attribute("href"))
                   for li, a in zip(page.locator("li[data-work-item]").all(), links.all(), strict=True))
    assert found == sorted(expected.elements())
    expect(page.locator("#main-nav").get_by_role("link", name=menu)).to_contain_text(str(sum(expected.values())))
    assert_accessible(page)
    landing = page.url
    for i in range(links.count()):
        link = page.locator("li[data-work-item] > a").nth(i)
        href = link.get_attribute("href")
        with page.expect_navigation() as nav:
            link.click()
        assert nav.value.status == 200, href
        assert page.url.split("#")[0].endswith(href.split("#")[0])
        expect(page.locator("main h1").first).to_be_visible()
        page.goto(landing)


def test_review_queue_from_the_dashboard(page, demo):
    login(page, "ars14")
    page.get_by_role("link", name="Fiches actions à relire").click()
    expect(page).to_have_url(f"{page.url.split('/plan-action')[0]}{reverse('actions:review_queue')}")
    expect(page.get_by_role("heading", name="Fiches actions à relire")).to_be_visible()
