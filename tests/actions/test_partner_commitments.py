"""Each partner of a sheet names its commitments (issue 21 item 10, the sheet side): ordinary resources,
funding in euros, engineering; on the sheet form and page, in history, in the activity report's sheet."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from actions.enums import FicheStatut
from actions.models import FicheAction, PartenaireFiche
from cls_portal.core.history import history_for
from reports import data as report_data
from tests.actions.test_fiche_form import _management, _payload

pytestmark = pytest.mark.django_db


def _partner_fields(org, **kw):
    return {"partenaires-0-organisation": org.pk, "partenaires-0-role": "financeur",
            **{f"partenaires-0-{k}": v for k, v in kw.items()}}


def test_commitments_are_saved_shown_in_history_and_in_the_activity_report(client, world):
    own = world.own
    client.force_login(own.people["coordinateur"])
    r = client.post(reverse("actions:fiche_create", kwargs={"contract_pk": own.contract.pk}), _payload(
        own, **_partner_fields(own.pilote_org, moyens_droit_commun="Une infirmière deux jours par semaine",
                               financement="12 500,50", ingenierie="")))
    assert r.status_code == 302, r.context["formsets"][0]["formset"].errors
    fiche = FicheAction.objects.get(titre="Bus santé itinérant")
    p = PartenaireFiche.objects.get(fiche=fiche)
    assert (p.moyens_droit_commun, p.financement) == ("Une infirmière deux jours par semaine", D("12500.50"))
    page = client.get(reverse("actions:fiche_detail", kwargs={"pk": fiche.pk})).content.decode()
    assert "Partenaires et leurs engagements" in page and "Une infirmière deux jours par semaine" in page
    assert "12\u00a0500,50\u00a0€" in page
    # an edit of the commitments is one line of history naming the partner, old and new
    data = _payload(own, version=fiche.version, **{
        "partenaires-0-id": p.pk, "indicateurs-0-id": fiche.indicateurs.get().pk,
        "lignes_budget-0-id": fiche.lignes_budget.get().pk, "financements-0-id": fiche.financements.get().pk,
        "jalons-0-id": fiche.jalons.get().pk,
        **_partner_fields(own.pilote_org, moyens_droit_commun="Une infirmière deux jours par semaine",
                          financement="15000", ingenierie="Appui méthodologique")})
    r = client.post(reverse("actions:fiche_edit", kwargs={"pk": fiche.pk}), _management(data, fiche))
    assert r.status_code == 302
    change = history_for(fiche).first().changes[f"engagements de {own.pilote_org}"]
    assert change[0].startswith("moyens de droit commun : Une infirmière") and "financement : 12" in change[0]
    assert "financement : 15" in change[1] and "ingénierie : Appui méthodologique" in change[1]
    # the activity report's sheet section names them, once the sheet is in the plan (validated)
    FicheAction.objects.filter(pk=fiche.pk).update(statut=FicheStatut.VALIDEE)
    plan = report_data.report_data(own.contract, "activite", 2025)["plan"]
    sheet = next(s for axe in plan["axes"] for s in axe["fiches"] if s["titre"] == "Bus santé itinérant")
    assert sheet["partenaires"][0]["financement"] == D("15000")
    assert sheet["partenaires"][0]["ingenierie"] == "Appui méthodologique"


def test_a_negative_funding_is_refused_next_to_its_field(client, world):
    own = world.own
    client.force_login(own.people["coordinateur"])
    r = client.post(reverse("actions:fiche_create", kwargs={"contract_pk": own.contract.pk}),
                    _payload(own, **_partner_fields(own.pilote_org, financement="-10")))
    assert r.status_code == 200
    assert "Un montant ne peut pas être négatif" in str(r.context["formsets"][0]["formset"].forms[0].errors)


def test_a_sheet_without_commitments_keeps_its_report_fingerprint_shape(world):
    plan = report_data.report_data(world.own.contract, "activite", 2025)["plan"]
    assert all("partenaires" not in s for axe in plan["axes"] for s in axe["fiches"])
