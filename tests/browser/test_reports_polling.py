"""Browser: a page that waits for a report says its progress in a polite live region, without reloading and
without moving focus, and shows the download link when the report is ready (reports/views.py, poll.js)."""

from playwright.sync_api import expect

from reports.enums import ReportStatus
from reports.models import Report
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import login


def _waiting_report(status):
    """A draft of the coordinator's contract, being produced; `_ready(report)` finishes it with the demo's file."""
    published = Report.objects.filter(status=ReportStatus.PRET, contract__coordinators__username="coordinateur").first()
    return Report.objects.create(contract=published.contract, kind=published.kind, year=published.year - 1,
                                 status=status), published.file.name


def _ready(report, file):
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.PRET, file=file)


def test_the_report_page_announces_it_is_ready_without_reloading_or_moving_focus(demo, page):
    report, file = _waiting_report(ReportStatus.EN_COURS)
    login(page, "coordinateur")
    page.goto(f"/rapports/{report.pk}/")
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    status = page.get_by_role("status")
    expect(status).to_contain_text("Production en cours")
    expect(status).to_contain_text("Cette page se met à jour toute seule")
    expect(page.get_by_role("link", name="Rafraîchir")).to_be_hidden()  # shown only without JavaScript
    assert_accessible(page)
    page.evaluate("window.__sameDocument = true")
    crumb = page.get_by_role("navigation", name="vous êtes ici").get_by_role("link").first
    crumb.focus()
    _ready(report, file)
    expect(status.get_by_role("link", name="Télécharger le rapport (PDF)")).to_be_visible(timeout=10_000)
    assert page.evaluate("window.__sameDocument === true")  # no reload
    assert page.evaluate("document.activeElement === document.querySelector('nav.fr-breadcrumb a')")
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "etat=1" in r.url else None)
    page.wait_for_timeout(4_000)
    assert requests == []  # done: polling stopped


def test_without_javascript_the_page_offers_a_refresh_link(demo, browser, live_server):
    report, file = _waiting_report(ReportStatus.EN_ATTENTE)
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    login(page, "coordinateur")
    page.goto(f"/rapports/{report.pk}/")
    link = page.get_by_role("link", name="Rafraîchir l'état du rapport")
    expect(link).to_be_visible()
    expect(page.get_by_text("Cette page se met à jour toute seule")).to_be_hidden()
    _ready(report, file)
    link.click()
    expect(page.get_by_role("link", name="Télécharger le rapport (PDF)")).to_be_visible()
    context.close()
