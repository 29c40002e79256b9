"""Issue 15, items 3 and 4: what elected officials and pilots read (pages and exports) holds no draft, no
sheet under review, no review comment, no funding and no internal document."""

import pytest
from django.urls import reverse

from actions.enums import FicheStatut
from actions.models import CommentaireRevue
from tests import factories as f


@pytest.fixture
def scoped(world):
    own = world.own
    other_pilot = f.UserFactory()
    draft = f.FicheActionFactory(axe=own.axe, numero=31, titre="Brouillon secret", pilote_personne=other_pilot)
    CommentaireRevue.objects.create(fiche=own.fiche_soumise, auteur=own.people["delegation"],
                                    texte="Commentaire de revue confidentiel")
    return own, draft


def _csv(client, contract):
    r = client.get(reverse("actions:fiche_list", args=[contract.pk]) + "?format=csv")
    assert r.status_code == 200
    return b"".join(r.streaming_content).decode("utf-8-sig") if r.streaming else r.content.decode("utf-8-sig")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["elu", "pilote"])
def test_plan_pages_and_exports_show_the_validated_plan(client, world, scoped, role):
    own, draft = scoped
    client.force_login(world.users[role])
    validated, own_under_review = own.fiche_validee, own.fiche_soumise
    plan = client.get(reverse("actions:plan", args=[own.contract.pk])).content.decode()
    listing = client.get(reverse("actions:fiche_list", args=[own.contract.pk])).content.decode()
    export = _csv(client, own.contract)
    for text in (plan, listing, export):
        assert validated.titre in text
        assert draft.titre not in text
        # the pilot's own sheet under review is his in full; the elected official never sees it
        assert (own_under_review.titre in text) == (role == "pilote")


@pytest.mark.django_db
def test_pilot_reads_his_sheet_in_full_but_not_the_others(client, world, scoped):
    own, draft = scoped
    client.force_login(world.users["pilote"])
    assert client.get(reverse("actions:fiche_detail", args=[own.fiche_soumise.pk])).status_code == 200
    assert client.get(reverse("actions:fiche_detail", args=[draft.pk])).status_code == 403
    assert client.get(reverse("funding:contract", args=[own.contract.pk])).status_code == 403
    assert client.get(reverse("contracts:document_download", args=[own.contract.pk, own.document.pk])
                      ).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["elu", "pilote"])
def test_contract_menu_leads_to_the_read_only_summary(client, world, scoped, role):
    own, draft = scoped
    client.force_login(world.users[role])
    listing = client.get(reverse("contracts:list")).content.decode()
    detail_url = reverse("contracts:detail", args=[own.contract.pk])
    assert detail_url in listing
    r = client.get(detail_url, follow=True)
    assert r.status_code == 200 and r.redirect_chain[-1][0] == reverse("directory:summary", args=[own.contract.pk])
    html = r.content.decode()
    assert own.contract.nom in html and own.fiche_validee.titre in html
    for hidden in (draft.titre, own.fiche_soumise.titre, "Commentaire de revue confidentiel", own.document.titre,
                   "€", "Demande de financement"):
        assert hidden not in html, hidden
    assert FicheStatut.BROUILLON.label not in html
