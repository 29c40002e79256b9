"""The regional library of resources (issue 21 item 3): versions (the current one is the latest, the older ones
stay listed and downloadable), bounded uploads, the région's readers only, search, archive, history in words, and
the sheet and the report that point to the resource they follow."""

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from actions import services as action_services
from cls_portal.accounts.models import Role
from cls_portal.core import history
from cls_portal.core.errors import DomainError
from reports import services as report_services
from resources import permissions, selectors, services
from resources.enums import ResourceCategory
from resources.models import Resource
from tests import factories as f
from tests.contracts.files import EXE, upload


def _text(html):
    return re.sub(r"[^\S\xa0]+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))  # no-break spaces kept


def _new(tenant, **kw):
    args = {"actor": tenant.people["region"], "region": tenant.region, "titre": "Kit de communication",
            "description": "Logos et gabarits", "categorie": ResourceCategory.KIT_COMMUNICATION, "libelle": "2024",
            "date_version": dt.date(2024, 1, 15), "fichier": upload("kit.pdf"), **kw}
    return services.resource_create(**args)


@pytest.mark.django_db
def test_the_latest_version_is_current_and_the_older_ones_stay_downloadable(client, world):
    resource = world.own.resource  # 2024 (a PDF), then 2025 (a link)
    versions = list(resource.versions.order_by("numero"))
    assert [v.libelle for v in versions] == ["2024", "2025"] and resource.current_version == versions[-1]
    client.force_login(world.own.people["coordinateur"])
    html = client.get(reverse("resources:detail", args=[resource.pk])).content.decode()
    text = _text(html)
    assert "Version « 2025 » du 25/03/2025" in text and "Ouvrir le lien" in text
    old = reverse("resources:download", args=[resource.pk, versions[0].pk])
    assert old in html
    response = client.get(old)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith("attachment")
    # A third version becomes current; the first two are still listed.
    services.resource_add_version(actor=world.own.people["region"], resource=resource, libelle="2026",
                                  date_version=dt.date(2026, 1, 5), fichier=upload("guide-2026.pdf"))
    resource.refresh_from_db()
    assert resource.current_version.libelle == "2026" and resource.current_version.numero == 3
    text = _text(client.get(reverse("resources:detail", args=[resource.pk])).content.decode())
    assert all(label in text for label in ("2024", "2025", "2026 courante"))


@pytest.mark.django_db
def test_uploads_are_bounded_in_size_and_type_with_the_projects_checks(client, world, settings):
    with pytest.raises(DomainError, match="extension") as err:
        _new(world.own, fichier=upload("kit.pdf", content=EXE))
    assert err.value.field == "fichier"
    settings.UPLOAD_MAX_BYTES = 20
    client.force_login(world.own.people["region"])
    count = Resource.objects.count()
    response = client.post(reverse("resources:create"), {
        "region": world.own.region.pk, "titre": "Trop gros", "categorie": "modele", "libelle": "v1",
        "date_version": "2025-01-01", "fichier": upload("gros.pdf")})
    assert response.status_code == 200 and Resource.objects.count() == count
    assert "Le fichier est trop volumineux" in _text(response.content.decode())


@pytest.mark.django_db
def test_a_version_is_a_file_or_a_link(client, world):
    client.force_login(world.own.people["region"])
    response = client.post(reverse("resources:version_add", args=[world.own.resource.pk]),
                           {"libelle": "v3", "date_version": "2025-06-01"})
    assert response.status_code == 200
    assert "Joignez un fichier ou indiquez un lien (ou les deux)." in response.content.decode()
    with pytest.raises(DomainError, match="Joignez un fichier"):
        services.resource_add_version(actor=None, resource=world.own.resource, libelle="v3",
                                      date_version=dt.date(2025, 6, 1))


@pytest.mark.django_db
def test_readers_are_the_regions_coordinators_pilots_and_ars_staff(world):
    own, other = world.own, world.other
    for role in ("coordinateur", "pilote", "delegation", "region"):
        user = own.people[role]
        assert selectors.user_region_codes(user) == {own.region.code}, role
        assert list(selectors.resources_for_user(user)) == [own.resource], role
    assert selectors.user_region_codes(own.people["elu"]) == set()
    assert not permissions.can_view_library(own.people["elu"])[0]
    assert permissions.can_manage_resource(own.people["region"], own.resource)[0]
    assert not permissions.can_manage_resource(own.people["region"], other.resource)[0]
    allowed, reason = permissions.can_manage_resource(own.people["delegation"], own.resource)
    assert not allowed and "équipe régionale" in reason
    assert not permissions.can_manage_library(own.people["coordinateur"])[0]


@pytest.mark.django_db
def test_search_by_words_and_category_archived_hidden_unless_asked(client, world):
    team = world.own.people["region"]
    kit = _new(world.own)
    charte = _new(world.own, titre="Charte graphique", description="Partenariat avec l'ARS en Région",
                  categorie=ResourceCategory.CHARTE_GRAPHIQUE)
    services.resource_set_archived(actor=team, resource=charte, archived=True)
    client.force_login(world.own.people["coordinateur"])

    def titles(query):
        html = client.get(reverse("resources:list") + query).content.decode()
        return re.findall(r'<a href="/ressources/\d+/">([^<]+)</a>', html)

    assert titles("") == sorted([world.own.resource.titre, kit.titre], key=lambda t: 0 if "Guide" in t else 1)
    assert titles("?q=gabarits") == [kit.titre]
    assert titles("?categorie=guide") == [world.own.resource.titre]
    assert titles("?q=partenariat") == []
    assert titles("?q=partenariat&archivees=on") == ["Charte graphique"]
    # Accents, case, hyphens and apostrophes aside, each word in the title or the description; punctuation
    # alone names nothing.
    assert titles("?q=PARTENARIAT+l+ars&archivees=on") == ["Charte graphique"]
    assert titles("?q=CHARTE+ars+region&archivees=on") == ["Charte graphique"]
    assert titles("?q=charte+absent&archivees=on") == []
    assert titles("?q=--&archivees=on") == []


@pytest.mark.django_db
def test_an_archived_resource_is_no_longer_offered_nor_versioned_until_restored(world):
    team, resource = world.own.people["region"], world.own.resource
    services.resource_set_archived(actor=team, resource=resource, archived=True)
    assert resource not in Resource.objects.offered(world.own.region.code)
    assert resource in Resource.objects.offered(world.own.region.code, keep=resource.pk)
    with pytest.raises(DomainError, match="archivée"):
        services.resource_add_version(actor=team, resource=resource, libelle="x", date_version=dt.date(2025, 1, 1),
                                      lien="https://example.fr")
    services.resource_set_archived(actor=team, resource=resource, archived=False)
    assert resource in Resource.objects.offered(world.own.region.code)


@pytest.mark.django_db
def test_every_change_is_a_line_of_history_in_words(world):
    team, resource = world.own.people["region"], world.own.resource
    resource.refresh_from_db()
    services.resource_update(actor=team, resource_id=resource.pk, expected_version=resource.version,
                             data={"titre": resource.titre, "description": resource.description,
                                   "categorie": ResourceCategory.GUIDE})  # nothing changed: no line
    resource.refresh_from_db()
    services.resource_update(actor=team, resource_id=resource.pk, expected_version=resource.version,
                             data={"titre": resource.titre, "description": "Édition révisée",
                                   "categorie": ResourceCategory.FICHE_PRATIQUE})
    services.resource_set_archived(actor=team, resource=resource, archived=True)
    lines = history.lines(history.history_for(resource))
    name = team.get_full_name()
    assert [line.sentence for line in lines] == [
        f"Ressource « {resource.titre} » archivée par {name}",
        f"Ressource « {resource.titre} » modifiée par {name}",
        f"Nouvelle version « 2025 » de la ressource « {resource.titre} » par {name}",
        f"Ressource « {resource.titre} » créée par {name}",
    ]
    assert "Catégorie : Guide régional → Fiche pratique" in lines[1].details
    assert "Fichier : guide-2024.pdf" in lines[3].details and "Date de la version : 01/03/2024" in lines[3].details


@pytest.mark.django_db
def test_a_stale_edit_is_refused(world):
    from cls_portal.core.errors import ConcurrentEditError

    resource = world.own.resource
    with pytest.raises(ConcurrentEditError):
        services.resource_update(actor=world.own.people["region"], resource_id=resource.pk,
                                 expected_version=resource.version - 1,
                                 data={"titre": "Autre", "description": "", "categorie": "guide"})


@pytest.mark.django_db
def test_a_sheet_follows_a_resource_of_its_contracts_region_shown_with_its_current_version(client, world):
    fiche, coord = world.own.fiche, world.own.people["coordinateur"]
    data = {"titre": fiche.titre, "ressource": world.other.resource}
    with pytest.raises(DomainError, match="région du contrat") as err:
        action_services.fiche_update(actor=coord, fiche_id=fiche.pk, expected_version=fiche.version, data=data)
    assert err.value.field == "ressource"
    action_services.fiche_update(actor=coord, fiche_id=fiche.pk, expected_version=fiche.version,
                                 data={**data, "ressource": world.own.resource})
    fiche.refresh_from_db()
    assert fiche.ressource == world.own.resource
    line = history.lines(history.history_for(fiche))[0]
    assert f"Ressource régionale suivie : {world.own.resource.titre}" in line.details
    client.force_login(coord)
    html = client.get(reverse("actions:fiche_detail", args=[fiche.pk])).content.decode()
    assert reverse("resources:detail", args=[world.own.resource.pk]) in html
    assert "version courante « 2025 » du 25/03/2025" in _text(html) and "https://www.example.fr/guide-2025" in html
    # The form offers the région's resources only.
    form_html = client.get(reverse("actions:fiche_edit", args=[fiche.pk])).content.decode()
    assert world.own.resource.titre in form_html and world.other.resource.titre not in form_html


@pytest.mark.django_db
def test_a_report_follows_a_resource_until_it_is_published(client, world):
    coord = world.own.people["coordinateur"]
    draft, published = world.own.report_draft, world.own.report_published
    with pytest.raises(DomainError, match="région du contrat"):
        report_services.report_set_resource(actor=coord, report=draft, ressource=world.other.resource)
    report_services.report_set_resource(actor=coord, report=draft, ressource=world.own.resource)
    draft.refresh_from_db()
    assert draft.ressource == world.own.resource
    with pytest.raises(DomainError, match="publié"):
        report_services.report_set_resource(actor=coord, report=published, ressource=world.own.resource)
    client.force_login(coord)
    text = _text(client.get(reverse("reports:detail", args=[draft.pk])).content.decode())
    assert f"Ressource régionale suivie {world.own.resource.titre} — version courante « 2025 »" in text


@pytest.mark.django_db
def test_the_menu_shows_the_library_to_its_readers_only(client, world):
    for role, shown in (("coordinateur", True), ("pilote", True), ("region", True), ("elu", False)):
        client.force_login(world.own.people[role])
        html = client.get(reverse("reports:home")).content.decode()
        assert (f'href="{reverse("resources:list")}"' in html) is shown, role


@pytest.mark.django_db
def test_a_coordinator_of_a_new_region_sees_its_library_from_an_empty_database(client):
    """No seed: the regional team creates the first resource with the form, a coordinator of the région finds it."""
    region = f.RegionFactory(code="53", nom="Bretagne")
    dep = f.DepartementFactory(code="35", nom="Ille-et-Vilaine", region=region)
    delegation = f.DelegationFactory(departement=dep)
    team = f.with_role(f.UserFactory(), Role.REGION, region=region)
    coord = f.UserFactory()
    f.ContractFactory(ars=delegation.ars, delegations=[delegation], coordinators=[coord])
    f.with_role(coord, Role.COORDINATEUR)
    client.force_login(team)
    response = client.post(reverse("resources:create"), {
        "region": region.pk, "titre": "Guide régional breton", "categorie": "guide", "description": "",
        "libelle": "2025", "date_version": "2025-02-01", "fichier": upload("guide.pdf")})
    resource = Resource.objects.get(titre="Guide régional breton")
    assert response.status_code == 302 and response["Location"] == reverse("resources:detail", args=[resource.pk])
    client.force_login(coord)
    assert "Guide régional breton" in client.get(reverse("resources:list")).content.decode()


@pytest.mark.django_db
def test_the_list_runs_the_same_queries_for_one_and_for_many_resources(client, world, snapshot):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.queries import assert_snapshot_queries

    client.force_login(world.own.people["coordinateur"])
    url = reverse("resources:list")
    counts = []
    for n in (0, 15):
        for i in range(n):
            _new(world.own, titre=f"Modèle n°{i}", fichier=None, lien="https://www.example.fr/modele")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with assert_snapshot_queries(snapshot):
        client.get(url)


@pytest.mark.django_db
def test_a_signed_validated_sheet_names_its_resource_from_its_page_without_an_avenant(client, world):
    from actions.enums import FicheStatut
    from actions.permissions import needs_avenant
    from contracts.enums import Phase

    contract, fiche = world.own.contract, world.own.fiche_validee
    contract.phase = Phase.MISE_EN_OEUVRE
    contract.save(update_fields=["phase"])
    fiche.refresh_from_db()
    assert fiche.statut == FicheStatut.VALIDEE and needs_avenant(fiche)
    client.force_login(world.own.people["coordinateur"])
    url = reverse("actions:fiche_resource", args=[fiche.pk])
    response = client.post(url, {"ressource": world.other.resource.pk})  # another région's: not offered
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    response = client.post(url, {"ressource": world.own.resource.pk})
    assert response.status_code == 302
    fiche.refresh_from_db()
    assert fiche.ressource == world.own.resource
    line = history.lines(history.history_for(fiche))[0]
    assert line.sentence.startswith(f"Ressource régionale suivie par la fiche {fiche.code} modifiée")
    assert line.details == [f"Ressource régionale suivie : {world.own.resource.titre}"]
