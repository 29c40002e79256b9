"""The accessibility check itself must be able to fail."""

from tests.browser.a11y import axe_violations


def test_axe_reports_an_unlabelled_field(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<html><body><main><form><input type='text'></form><img src='x.png'></main></body></html>")
    ids = {v["id"] for v in axe_violations(page)}
    context.close()
    assert "label" in ids or "image-alt" in ids
