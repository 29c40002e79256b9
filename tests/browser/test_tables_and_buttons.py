"""What DSFR draws from the portal's markup and CSS, on real pages: a table's caption is read above its table,
and a button written with words beside its icon shows those words (tests/browser/page_checks.js, checks 8 and 9).

Found on the demo: the diagnostic's indicator tables (« Population », « Situation sociale »…) had their titles
hidden under their header rows, and the action plan's « Ajouter un axe », « Ajouter une fiche action » and
« Importer un plan d'action (XLSX) » were three bare squares.
"""

import pytest

from contracts.models import Contract
from diagnostics.models import Diagnostic
from tests.browser.conftest import login
from tests.browser.crawl import page_problems

CHECKS = ("titre de tableau caché", "bouton réduit à son icône")


@pytest.mark.django_db(transaction=True)
def test_captions_and_labelled_buttons_are_visible(page, demo):
    contract = Contract.objects.get(nom__icontains="Bayeux")
    diagnostic = Diagnostic.objects.filter(contract=contract).order_by("-pk").first()
    login(page, "coordinateur")
    for url in (f"/diagnostics/{diagnostic.pk}/", f"/plan-action/contrat/{contract.pk}/"):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(url)
        problems = [p for p in page_problems(page, 1280, axe=False) if p.startswith(CHECKS)]
        assert problems == [], url
    # the diagnostic's themes are captions a person reads (the check had something to look at)
    page.goto(f"/diagnostics/{diagnostic.pk}/")
    caption = page.locator("caption", has_text="Population")
    box, head = caption.bounding_box(), caption.locator("xpath=..").locator("thead").bounding_box()
    assert box["y"] + box["height"] <= head["y"] + 1
    page.goto(f"/plan-action/contrat/{contract.pk}/")
    assert page.get_by_role("link", name="Ajouter un axe").bounding_box()["width"] > 100
