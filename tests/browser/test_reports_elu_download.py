"""Browser: after `seed_demo`, the elected official lands on the annual reports and downloads one."""

import io

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import login


def test_elu_downloads_the_published_activity_report(demo, page):
    login(page, "elu")
    expect(page.get_by_role("heading", name="Rapports annuels", level=1)).to_be_visible()
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text="Rapport d'activité").filter(has_text="Bayeux Intercom")
    expect(row.get_by_text("Publié — version 1")).to_be_visible()
    with page.expect_download() as info:
        row.get_by_role("link", name="Télécharger").click()
    download = info.value
    assert download.suggested_filename.startswith("rapport-activite-") and download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages)
    assert "Contrat local de santé de Bayeux Intercom 2024-2028" in text and "Rapport d'activité" in text


def test_on_a_phone_the_elu_sees_each_report_and_its_download_link(demo, page):
    """At 390 px the reports' table becomes one block per report, each cell named; the download link, the last
    column, was off-screen in the table's sideways scroll."""
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "elu")
    row = page.get_by_role("row").filter(has_text="Rapport d'activité").filter(has_text="Bayeux Intercom")
    link = row.get_by_role("link", name="Télécharger")
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the page does not scroll sideways
    expect(row.get_by_text("Fichier :")).to_have_count(0)  # the label is CSS content, not text in the cell
    label = link.evaluate("a => getComputedStyle(a.closest('td'), '::before').content")
    assert label == '"Fichier : "', label
    assert_accessible(page)
    # the contract's reports
    row.get_by_role("link", name="Contrat local de santé de Bayeux Intercom 2024-2028", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapports annuels")
    link = page.get_by_role("row").filter(has_text="Rapport d'activité").get_by_role("link", name="Télécharger")
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
