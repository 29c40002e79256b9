"""Public directory: active contracts by département, published content only (a crawl proves it)."""

import datetime as dt
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from actions.enums import FicheStatut
from actions.models import Indicateur
from contracts.enums import Phase
from tests import factories as f


def _crawl(client, start):
    """Every page reachable from `start` inside the directory, as {url: html}."""
    seen, todo, pages = set(), [start], {}
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        if response.get("Content-Type", "").startswith("text/html"):
            html = response.content.decode()
            pages[url] = html
            todo += [u.replace("&amp;", "&") for u in re.findall(r'href="(/annuaire/[^"#]*)"', html)]
        else:
            pages[url] = response.getvalue().decode("latin-1")
    return pages


@pytest.mark.django_db
def test_crawl_shows_public_content_and_nothing_private(client, world):
    own = world.own
    axe = own.axe
    f.FicheActionFactory(axe=axe, numero=20, titre="Permanences de médecins généralistes", statut=FicheStatut.EN_COURS,
                         objectif_general="Rapprocher les soins de premier recours")
    f.FicheActionFactory(axe=axe, numero=21, titre="Fiche soumise confidentielle", statut=FicheStatut.SOUMISE)
    Indicateur.objects.create(fiche=own.fiche, libelle="Indicateur secret du brouillon")
    f.ContractFactory(nom="Contrat en diagnostic caché", diagnostic=True, ars=own.delegation.ars,
                      delegations=[own.delegation], communes=own.communes)

    pages = _crawl(client, reverse("directory:index"))
    everything = "\n".join(pages.values())

    # Public: both tenants' active contracts, their département, communes, population, dates, themes, contact.
    assert own.contract.nom in everything and world.other.contract.nom in everything
    assert "Calvados (14)" in everything and "Haute-Marne (52)" in everything
    assert "16 250" in everything.replace("\u00a0", " ").replace("\u202f", " ")  # 12000 + 3400 + 850
    assert "Accès aux soins" in everything
    assert "Permanences de médecins généralistes" in everything
    assert own.delegation.email in everything
    assert reverse("directory:report", args=[own.report_published.pk]) in pages
    assert "%PDF-1.7\n% rapport de test" in everything  # the published file was served

    # Private: draft and under-review sheets, their indicators, draft reports, contracts not signed, people.
    for secret in [own.fiche.titre, own.fiche_soumise.titre, "Fiche soumise confidentielle",
                   "Indicateur secret du brouillon", "Contrat en diagnostic caché", "brouillon"]:
        assert secret not in everything, secret
    assert reverse("directory:report", args=[own.report_draft.pk]) not in everything
    for user in get_user_model().objects.all():
        assert user.email not in everything, user.email
        assert user.last_name not in everything, user.last_name
    assert "€" not in everything  # no funding figure


@pytest.mark.django_db
def test_private_objects_answer_404(client, world):
    own = world.own
    assert client.get(reverse("directory:report", args=[own.report_draft.pk])).status_code == 404
    own.contract.phase = Phase.CLOS
    own.contract.save()
    assert client.get(reverse("directory:contract", args=[own.contract.pk])).status_code == 404
    assert client.get(reverse("directory:report", args=[own.report_published.pk])).status_code == 404
    assert own.contract.nom not in client.get(reverse("directory:index")).content.decode()


@pytest.mark.django_db
def test_filters_by_region_and_departement(client, world):
    html = client.get(reverse("directory:index") + "?region=44").content.decode()
    assert world.other.contract.nom in html and world.own.contract.nom not in html
    html = client.get(reverse("directory:index") + "?region=28&departement=14&q=calvados").content.decode()
    assert world.own.contract.nom in html and world.other.contract.nom not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["directory:index", "directory:contract"])
def test_query_count_does_not_grow(client, world, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    own = world.own
    counts = []
    for n in (5, 40):
        for _ in range(n):
            f.ContractFactory(ars=own.delegation.ars, delegations=[own.delegation],
                              communes=[f.CommuneFactory(departement=own.departement)])
            axe = f.AxeFactory(contract=own.contract)
            f.FicheActionFactory(axe=axe, validee=True)
        url = reverse(url_name, kwargs={"pk": own.contract.pk} if url_name.endswith("contract") else None)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    # The index also reads the map's coverage (2 queries) and the délégations' contacts (2); its rows are
    # (contract, département) pairs, then the contracts, their population per département and their count (3).
    assert counts[0] == counts[1] <= (15 if url_name == "directory:index" else 10), counts


@pytest.mark.django_db
def test_a_multi_departement_contract_appears_under_each_with_its_population_split(client):
    """A contract on the Calvados and the Manche is listed under both, with the inhabitants of each part, and
    counted once."""
    region = f.RegionFactory(code="28", nom="Normandie")
    cal = f.DepartementFactory(code="14", nom="Calvados", region=region)
    man = f.DepartementFactory(code="50", nom="Manche", region=region)
    dd14, dd50 = f.DelegationFactory(departement=cal), f.DelegationFactory(departement=man)
    both = f.ContractFactory(nom="CLS du Bocage", ars=dd14.ars, delegations=[dd14, dd50],
                             communes=[f.CommuneFactory(departement=cal, population=3000),
                                       f.CommuneFactory(departement=man, population=1200)])
    f.ContractFactory(nom="CLS de Caen", ars=dd14.ars, delegations=[dd14],
                      communes=[f.CommuneFactory(departement=cal, population=100000)])
    response = client.get(reverse("directory:index") + "?region=28")
    html = " ".join(unescape(response.content.decode()).split())
    assert html.count(f'data-entry="{both.pk}-') == 2
    assert f'data-entry="{both.pk}-14"' in html and f'data-entry="{both.pk}-50"' in html
    assert "3 000 habitants dans ce département, 4 200 en tout" in html.replace("\u00a0", " ")
    assert "1 200 habitants dans ce département, 4 200 en tout" in html.replace("\u00a0", " ")
    assert "2 contrats signés et actifs" in html
    manche = " ".join(unescape(client.get(reverse("directory:index") + "?region=28&departement=50")
                               .content.decode()).split())
    assert manche.count('data-entry="') == 1 and "1 contrat signé et actif" in manche


@pytest.mark.django_db
def test_a_contract_past_its_end_says_so_instead_of_until(client, world):
    """Signed, not closed yet (final evaluation, renewal), but past its end: no longer in force, so out of the
    directory's list (a running contract keeps « jusqu'au »); its page, reached by a link, says « arrivé à
    échéance le », not « jusqu'au » a date already past."""
    from contracts.models import Contract

    own, other = world.own, world.other
    Contract.objects.filter(pk=own.contract.pk).update(date_signature="2019-03-15", duree_annees=3)
    other.contract.refresh_from_db()
    assert other.contract.date_fin > dt.date.today()
    index = unescape(client.get(reverse("directory:index")).content.decode())
    assert "15/03/2019" not in index and own.contract.nom not in index
    assert f"Signé le {other.contract.date_signature:%d/%m/%Y}, jusqu'au {other.contract.date_fin:%d/%m/%Y}." in index
    page = unescape(client.get(reverse("directory:contract", args=[own.contract.pk])).content.decode())
    assert "Signé le 15/03/2019, arrivé à échéance le 14/03/2022 (3 ans)</dd>" in page
    client.force_login(own.people["elu"])
    summary = unescape(client.get(reverse("directory:summary", args=[own.contract.pk])).content.decode())
    assert "Signé le 15/03/2019, arrivé à échéance le 14/03/2022</dd>" in summary
