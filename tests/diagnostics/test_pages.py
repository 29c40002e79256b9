"""Pages of the diagnostic: contract tab, detail, sections, preparation, review through the browser-less
client, and query counts that do not grow with the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Axe
from cls_portal.core.history import history_for
from diagnostics.enums import Statut
from diagnostics.models import ActeurCartographie, Diagnostic
from tests import factories as f
from tests.diagnostics.factories import DiagnosticFactory, PrioriteFactory, filled
from tests.queries import assert_snapshot_queries

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_contract_tab_offers_to_start_then_opens_the_diagnostic(client, world):
    contract = f.ContractFactory(diagnostic=True, coordinators=[world.users["coordinateur"]],
                                 delegations=[world.own.delegation], communes=world.own.communes)
    url = reverse("diagnostics:contract", kwargs={"contract_pk": contract.pk})
    client.force_login(world.users["delegation"])
    page = client.get(url).content.decode()
    assert "Aucun diagnostic n'a encore été commencé" in page and "Commencer le diagnostic" not in page
    client.force_login(world.users["coordinateur"])
    assert "Commencer le diagnostic" in client.get(url).content.decode()
    response = client.post(reverse("diagnostics:start", kwargs={"contract_pk": contract.pk}))
    diagnostic = Diagnostic.objects.get(contract=contract)
    assert response["Location"] == reverse("diagnostics:preparation", kwargs={"pk": diagnostic.pk})
    assert client.get(url)["Location"] == reverse("diagnostics:detail", kwargs={"pk": diagnostic.pk})
    assert diagnostic.population == 16250


def test_detail_shows_every_section_and_the_exact_actor_grid(client, world):
    # Elected officials read a validated diagnostic (a draft is the team's: issue 15).
    # (validation freezes the perimeter's figures on the version)
    Diagnostic.objects.filter(pk=world.own.diagnostic.pk).update(statut="valide", population=16250, nb_communes=3)
    client.force_login(world.users["elu"])
    page = client.get(reverse("diagnostics:detail", kwargs={"pk": world.own.diagnostic.pk})).content.decode()
    for anchor in ["preparation", "retroplanning", "indicateurs", "consultations", "politiques", "ressources",
                   "portrait", "acteurs", "priorites", "revue"]:
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    assert ('<th scope="col">Acteur/Partenaire</th><th scope="col">Rôle potentiel dans le projet</th>'
            '<th scope="col">Apports au projet (points forts, capacités)</th><th scope="col">Intérêt pour le '
            'projet (ce qu\'il apporte au partenaire)</th><th scope="col">Risque pour le projet</th>') in page
    assert "Modifier" not in page and "Créer l'axe" not in page  # read-only for an elected official
    assert "16\u00a0250 habitants" in page


def test_detail_and_list_query_counts_do_not_grow(client, world, snapshot):
    client.force_login(world.users["coordinateur"])
    small = DiagnosticFactory(contract=f.ContractFactory(diagnostic=True, coordinators=[world.users["coordinateur"]]))
    filled(small, n=1)
    p = small.priorites.get()
    p.axe = f.AxeFactory(contract=small.contract)
    p.save()
    big = DiagnosticFactory(contract=f.ContractFactory(diagnostic=True, coordinators=[world.users["coordinateur"]]))
    filled(big, n=12)
    for p in big.priorites.all()[:5]:
        p.axe = f.AxeFactory(contract=big.contract)
        p.save()
    client.get(reverse("diagnostics:detail", kwargs={"pk": small.pk}))  # warm the ContentType cache
    n_small = _count(client, reverse("diagnostics:detail", kwargs={"pk": small.pk}))
    n_big = _count(client, reverse("diagnostics:detail", kwargs={"pk": big.pk}))
    assert n_small == n_big
    with assert_snapshot_queries(snapshot):
        client.get(reverse("diagnostics:detail", kwargs={"pk": big.pk}))
    list_url = reverse("diagnostics:list")
    n_list = _count(client, list_url)
    for _ in range(6):
        filled(DiagnosticFactory(contract=f.ContractFactory(diagnostic=True,
                                                            coordinators=[world.users["coordinateur"]])))
    assert _count(client, list_url) == n_list
    with assert_snapshot_queries(snapshot):
        client.get(list_url)
    n_synthese = _count(client, reverse("diagnostics:synthese", kwargs={"pk": small.pk}))
    assert _count(client, reverse("diagnostics:synthese", kwargs={"pk": big.pk})) == n_synthese


def test_list_filters_on_the_current_status(client, world):
    assert world.own.diagnostic.statut == Statut.BROUILLON
    validated = DiagnosticFactory(valide=True, contract=f.ContractFactory(
        nom="CLS validé", diagnostic=True, coordinators=[world.users["coordinateur"]]))
    DiagnosticFactory(contract=validated.contract, numero=2, previous=validated)  # current version: a draft
    f.ContractFactory(nom="CLS sans diagnostic", coordinators=[world.users["coordinateur"]])
    client.force_login(world.users["coordinateur"])
    url = reverse("diagnostics:list")
    assert "CLS validé" not in client.get(url + "?statut=valide").content.decode()
    drafts = client.get(url + "?statut=brouillon").content.decode()
    assert "CLS validé" in drafts and world.own.contract.nom in drafts and "CLS sans diagnostic" not in drafts
    none = client.get(url + "?statut=aucun").content.decode()
    assert "CLS sans diagnostic" in none and "CLS validé" not in none
    assert client.get(url + "?statut=nimporte").status_code == 200  # bad filter: ignored


def test_section_formset_saves_actor_rows_linked_to_organisations(client, world):
    d = world.own.diagnostic
    client.force_login(world.users["coordinateur"])
    url = reverse("diagnostics:section", kwargs={"pk": d.pk, "section": "acteurs"})
    local = f.OrganisationFactory(nom="Centre hospitalier de Bayeux", type="etablissement",
                                  departement=world.own.departement)
    elsewhere = f.OrganisationFactory(nom="Centre hospitalier de Langres", type="etablissement",
                                      departement=world.other.departement)
    page = client.get(url).content.decode()
    assert local.nom in page and elsewhere.nom not in page
    existing = ActeurCartographie.objects.get(diagnostic=d)
    data = {"version": d.version, "lignes-TOTAL_FORMS": 2, "lignes-INITIAL_FORMS": 1,
            "lignes-0-id": existing.pk, "lignes-0-acteur": existing.acteur, "lignes-0-DELETE": "on",
            "lignes-1-organisation": local.pk, "lignes-1-role_potentiel": "Pilote de l'action",
            "lignes-1-apports": "Données de consommation de soins", "lignes-1-interet_partenaire": "Prévention",
            "lignes-1-risque": "Turn-over"}
    response = client.post(url, data)
    assert response.status_code == 302
    row = ActeurCartographie.objects.get(diagnostic=d)
    assert (row.organisation, row.nom, row.risque) == (local, local.nom, "Turn-over")
    entry = history_for(d).first()
    assert entry.action == "diagnostic_acteurs" and entry.actor == world.users["coordinateur"]
    assert entry.changes["acteurs"][1] == f"ajout : {local.nom}; suppression : {existing.acteur}"
    # The same (now stale) form again: refused, nothing changed, the user is told why.
    data["lignes-1-risque"] = "Autre risque"
    page = client.post(url, data).content.decode()
    assert "modifiée par une autre personne" in page
    assert ActeurCartographie.objects.get(diagnostic=d).risque == "Turn-over"


def test_section_row_errors_are_shown_next_to_the_field(client, world):
    d = world.own.diagnostic
    client.force_login(world.users["coordinateur"])
    url = reverse("diagnostics:section", kwargs={"pk": d.pk, "section": "acteurs"})
    response = client.post(url, {"version": d.version, "lignes-TOTAL_FORMS": 1, "lignes-INITIAL_FORMS": 0,
                                 "lignes-0-role_potentiel": "Sans nom"})
    assert response.status_code == 200
    assert "Choisissez une organisation ou saisissez le nom de l&#x27;acteur." in response.content.decode()
    url = reverse("diagnostics:section", kwargs={"pk": d.pk, "section": "retroplanning"})
    response = client.post(url, {"version": d.version, "lignes-TOTAL_FORMS": 1, "lignes-INITIAL_FORMS": 0,
                                 "lignes-0-libelle": "Restitution", "lignes-0-date_debut": "2026-03-10",
                                 "lignes-0-date_fin": "2026-03-01"})
    assert "La fin de l&#x27;étape ne peut pas précéder son début." in response.content.decode()
    assert client.get(reverse("diagnostics:section", kwargs={"pk": d.pk, "section": "inconnue"})).status_code == 404


def test_preparation_conflict_shows_what_the_other_person_saved(client, world):
    d = world.own.diagnostic
    client.force_login(world.users["coordinateur"])
    url = reverse("diagnostics:preparation", kwargs={"pk": d.pk})
    base = {"perimetre_hypothese": "x", "appui_externe": "aucun", "version": d.version}
    assert client.post(url, {**base, "coordination_hypothese": "Coordinatrice à mi-temps"}).status_code == 302
    page = client.post(url, {**base, "coordination_hypothese": "Deux ETP"}).content.decode()
    assert "modifiée par une autre personne" in page and "Coordinatrice à mi-temps" in page and "Deux ETP" in page
    # Saving again after seeing the difference is a deliberate overwrite.
    version = Diagnostic.objects.get(pk=d.pk).version
    assert f'name="version" value="{version}"' in page
    assert client.post(url, {**base, "version": version, "coordination_hypothese": "Deux ETP"}).status_code == 302
    assert Diagnostic.objects.get(pk=d.pk).coordination_hypothese == "Deux ETP"


def test_review_through_the_pages_freezes_the_diagnostic(client, world):
    d = world.own.diagnostic
    client.force_login(world.users["coordinateur"])
    client.post(reverse("diagnostics:transition", kwargs={"pk": d.pk, "action": "soumettre"}))
    assert client.get(reverse("diagnostics:preparation", kwargs={"pk": d.pk})).status_code == 403
    client.force_login(world.users["delegation"])
    detail = reverse("diagnostics:detail", kwargs={"pk": d.pk})
    page = client.get(detail).content.decode()
    assert "Valider le diagnostic" in page and "Demander des modifications" in page
    response = client.post(reverse("diagnostics:transition", kwargs={"pk": d.pk, "action": "demander_modifications"}),
                           {"commentaire": ""})
    assert "Expliquez au coordinateur ce qui doit être modifié." in response.content.decode()
    assert client.post(reverse("diagnostics:transition", kwargs={"pk": d.pk, "action": "valider"}),
                       {"commentaire": "Diagnostic complet."}).status_code == 302
    assert Diagnostic.objects.get(pk=d.pk).statut == Statut.VALIDE
    assert client.post(reverse("diagnostics:transition", kwargs={"pk": d.pk, "action": "inconnue"})).status_code == 404
    client.force_login(world.users["coordinateur"])
    page = client.get(detail).content.decode()
    assert "validé et figé" in page and "Diagnostic complet." in page and "Modifier la préparation" not in page
    assert client.get(reverse("diagnostics:section", kwargs={"pk": d.pk, "section": "indicateurs"})).status_code == 403
    response = client.post(reverse("diagnostics:new_version", kwargs={"pk": d.pk}))
    new = Diagnostic.objects.get(contract=d.contract, numero=2)
    assert response["Location"] == reverse("diagnostics:detail", kwargs={"pk": new.pk})
    old_page = client.get(detail).content.decode()
    assert "remplacée par la version 2" in old_page


def test_priority_axe_link_is_rendered_on_the_diagnostic_side(client, world):
    d = world.own.diagnostic
    client.force_login(world.users["coordinateur"])
    response = client.post(reverse("diagnostics:priorite_axe",
                                   kwargs={"pk": d.pk, "priorite_pk": world.own.priorite.pk}))
    assert response.status_code == 302
    axe = Axe.objects.get(contract=world.own.contract, numero=2)
    page = client.get(reverse("diagnostics:detail", kwargs={"pk": d.pk})).content.decode()
    assert "Axe 2 du plan d'action" in page and axe.titre in page
    # A priority of another diagnostic cannot be reached through this one.
    foreign = PrioriteFactory(diagnostic=world.other.diagnostic)
    assert client.post(reverse("diagnostics:priorite_axe", kwargs={"pk": d.pk, "priorite_pk": foreign.pk})
                       ).status_code == 404
