"""Regional dashboard: right figures for the user's scope, links to the contracts behind them,
charts with text alternatives, and a query count that does not grow with the number of contracts."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.enums import Phase
from funding.models import AnneeFinancement
from reports.enums import ReportKind, ReportStatus
from reports.models import Report
from tests import factories as f
from tests.queries import assert_snapshot_queries

YEAR = timezone.localdate().year
LAST_YEAR = YEAR - 1


def _funding_year(contract, *, mois, accorde=None):
    return AnneeFinancement.objects.create(
        contract=contract, annee=YEAR, etp=Decimal("1"), mois_pourvus=mois, cout_salaire=Decimal("30000"),
        cout_charges=Decimal("12000"), cout_fonctionnement=Decimal("2000"), demande_ars=Decimal("20000"),
        demande_collectivite=Decimal("22000"), montant_accorde=accorde)


def _add_contracts(tenant, n, **kwargs):
    made = []
    for i in range(n):
        commune = f.CommuneFactory(departement=tenant.departement, population=1000 + i)
        made.append(f.ContractFactory(ars=tenant.delegation.ars, delegations=[tenant.delegation],
                                      communes=[commune], **kwargs))
    return made


def _links(html):
    return {unescape(m.group(2)).strip(): unescape(m.group(1))
            for m in re.finditer(r'<a href="([^"]*/region/contrats/\?[^"]*)">([^<]*)', html)}


def _count_on(client, url):
    html = client.get(url).content.decode()
    return int(re.search(r"(\d+) contrats?</p>", html).group(1))


@pytest.mark.django_db
def test_region_figures_and_their_lists_agree(client, world):
    own = world.own
    Report.objects.all().delete()  # the other apps' world objects: this test sets its own
    AnneeFinancement.objects.all().delete()
    clsm = _add_contracts(own, 2, clsm=True, qpv=True, nb_qpv=3)
    _add_contracts(own, 1, phase=Phase.DIAGNOSTIC, date_signature=None)
    _add_contracts(own, 1, phase=Phase.CLOS)
    clsm[0].coordinators.set([own.people["coordinateur"]])  # no funding year: the named coordinator counts
    _funding_year(clsm[1], mois=12, accorde=Decimal("20000"))  # filled all year, no coordinator named
    _funding_year(own.contract, mois=6, accorde=Decimal("10000.50"))  # a coordinator, but vacant 6 months
    Report.objects.create(contract=clsm[0], kind=ReportKind.ACTIVITE, year=LAST_YEAR, status=ReportStatus.PRET,
                          published=True, version=1)
    _add_contracts(world.other, 3)  # another région: never counted

    client.force_login(own.people["region"])
    response = client.get(reverse("regional:dashboard"))
    assert response.status_code == 200
    data = response.context
    figures = data["figures"]
    # world contract + 2 CLSM ones are active; 1 in diagnostic, 1 closed
    assert figures["total"].value == 5
    assert figures["active"].value == 3
    assert figures["clsm"].value == 2
    assert figures["nb_qpv"].value == 6
    assert figures["posts_filled"].value == 2
    assert figures["posts_vacant"].value == 1
    assert figures["committed"].value == Decimal("30000.50")
    assert data["funding"]["nb_contracts"] == 2
    assert {p.label: p.value for p in data["phases"]}["Clos"] == 1
    act = data["reports"][0]
    assert (act["published"].value, act["missing"].value) == (1, 2)
    covered = 12000 + 3400 + 850 + 1000 + 1001
    assert data["coverage"].total.covered == covered

    # Every figure's link lists exactly the contracts it counts.
    counts = [v for k, v in figures.items() if k not in ("covered", "nb_qpv", "qpv_covered", "committed")]
    assert _count_on(client, figures["committed"].url) == 2
    assert _count_on(client, figures["covered"].url) == figures["active"].value  # the contracts that cover
    assert _count_on(client, figures["nb_qpv"].url) == 2  # the contracts declaring these QPV
    for figure in [*counts, *data["phases"], *data["signed_years"], act["published"], act["missing"]]:
        assert _count_on(client, figure.url) == figure.value, figure.label


@pytest.mark.django_db
def test_page_shows_charts_with_text_alternatives(client, world):
    client.force_login(world.own.people["region"])
    html = client.get(reverse("regional:dashboard")).content.decode()
    assert html.count('role="img"') == 3
    assert html.count('<table class="fr-sr-only">') == 3
    assert "Calvados" in html and "Haute-Marne" not in html
    # figures, not the private list (the work list above them names the contracts with something to handle)
    figures = html.split("L'essentiel", 1)[1]
    assert "Contrat local de santé test Calvados" not in figures


@pytest.mark.django_db
def test_delegation_sees_its_departements_only(client, world):
    own = world.own
    manche = f.DepartementFactory(code="50", nom="Manche", region=own.region)
    manche_dd = f.DelegationFactory(departement=manche)
    f.ContractFactory(ars=manche_dd.ars, delegations=[manche_dd],
                      communes=[f.CommuneFactory(departement=manche, population=5000)])
    client.force_login(own.people["delegation"])
    ctx = client.get(reverse("regional:dashboard")).context
    assert ctx["scope"].label == "Calvados"
    assert ctx["figures"]["active"].value == 1
    assert [d["area"].code for d in ctx["departements"]] == ["14"]
    client.force_login(own.people["region"])
    ctx = client.get(reverse("regional:dashboard")).context
    assert ctx["figures"]["active"].value == 2
    assert [d["area"].code for d in ctx["departements"]] == ["14", "50"]


@pytest.mark.django_db
def test_region_staff_cannot_pick_another_region(client, world):
    client.force_login(world.own.people["region"])
    assert client.get(reverse("regional:dashboard") + "?region=44").status_code == 404
    client.force_login(world.users["admin"])
    ctx = client.get(reverse("regional:dashboard") + "?region=44").context
    assert ctx["scope"].label == "Grand Est"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["regional:dashboard", "regional:contracts"])
def test_query_count_does_not_grow_with_contracts(client, world, snapshot, url_name):
    client.force_login(world.own.people["region"])
    counts = []
    for n in (10, 90):
        made = _add_contracts(world.own, n, clsm=True)
        for c in made[:5]:
            c.coordinators.set([world.own.people["coordinateur"]])
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(url_name)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with assert_snapshot_queries(snapshot):
        client.get(reverse(url_name))


@pytest.mark.django_db
def test_regional_staff_land_on_the_dashboard(client, world):
    client.force_login(world.own.people["region"])
    assert client.get("/")["Location"] == reverse("regional:dashboard")


@pytest.mark.django_db
def test_every_number_link_says_what_it_counts(client, world):
    """A link named « 3 » means nothing out of its row: each carries a visually hidden context."""
    client.force_login(world.own.people["region"])
    html = client.get(reverse("regional:dashboard")).content.decode()
    names = [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r"<a [^>]*>(.*?)</a>", html, re.S)]
    assert names and not [n for n in names if re.fullmatch(r"[\d\s\u00a0\u202f,%€]+", n)]
    assert '<span class="fr-sr-only"> : Coordinateurs en poste</span>' in html


@pytest.mark.django_db
def test_a_long_work_list_is_counted_here_and_paginated_on_its_page(client, world):
    """A large région has thousands of pending items: the regional view counts them per département and kind,
    each count linking to the work list, 50 a page, filtered by département and kind."""
    from actions.enums import FicheStatut

    own = world.own
    axe = f.AxeFactory(contract=own.contract, numero=9, titre="Axe des fiches soumises")
    for n in range(1, 56):
        f.FicheActionFactory(axe=axe, numero=n, titre=f"Fiche soumise {n:02d}", statut=FicheStatut.SOUMISE)
    client.force_login(own.people["region"])
    html = client.get(reverse("regional:dashboard")).content.decode()
    assert 'data-work-item="fiche_a_revoir"' not in html  # counted, not listed
    kind_links = re.findall(r'href="(/region/a-traiter/\?departement=[^"]+&amp;quoi=fiche_a_revoir)">(\d+)<', html)
    assert len(kind_links) == 1 and f"departement={own.departement.code}" in kind_links[0][0]
    link, shown = unescape(kind_links[0][0]), int(kind_links[0][1])
    page1 = client.get(link)
    total = page1.context["count"]
    assert page1.status_code == 200 and total == shown >= 55  # the 55 and those of the world's own contract
    assert page1.content.decode().count('data-work-item="fiche_a_revoir"') == 50
    page2 = client.get(link + "&page=2")
    assert page2.content.decode().count('data-work-item="fiche_a_revoir"') == total - 50
    assert "page 2 sur 2" in unescape(re.search(r"<title>(.*?)</title>", page2.content.decode(), re.S).group(1))
    # A département or a kind that is not in the list is said next to its field, never a 500.
    bad = client.get(reverse("regional:work") + "?departement=99&quoi=inconnu")
    assert bad.status_code == 200 and set(bad.context["form"].errors) == {"departement", "quoi"}
    # Not the délégation's list: it has its own dashboard.
    client.force_login(own.people["delegation"])
    assert client.get(reverse("regional:work")).status_code == 403


@pytest.mark.django_db
def test_a_region_without_contracts_says_how_to_bring_it_into_service(client, world):
    """The first visit of a regional team after `import_territories` read « Rien n'attend dans vos départements
    pour le moment. », 0 everywhere, and no word of what to do; and « 0 habitants … (0 communes sur 2 644) »."""
    region = f.RegionFactory(code="99", nom="Région neuve")
    f.DelegationFactory(departement=f.DepartementFactory(code="9N", nom="Département neuf", region=region))
    agent = f.with_role(f.UserFactory(username="equipe-neuve"), "region", region=region)
    client.force_login(agent)
    html = client.get(reverse("regional:dashboard")).content.decode()
    assert "Aucun contrat dans la région pour le moment" in html
    for name in ("accounts:invitations", "imports:contracts", "funding:rules"):
        assert f'href="{reverse(name)}"' in html
    assert "0 habitant sur" in html and "(0 commune sur" in html
    # A région with contracts, or figures at a past date, is not told to start.
    client.force_login(world.own.people["region"])
    assert "data-empty-region" not in client.get(reverse("regional:dashboard")).content.decode()
    client.force_login(agent)
    assert "data-empty-region" not in client.get(reverse("regional:dashboard") + "?au=2024-01-01").content.decode()


@pytest.mark.django_db
def test_an_administrator_opens_the_regional_view_on_the_region_with_the_most_contracts(client, world):
    """An administrator holds no région: the view opened on the first in alphabetical order (Auvergne-Rhône-Alpes,
    zeros everywhere on a portal used by Normandie). It now opens on the région with the most contracts; a région
    asked for by its code is still the one shown."""
    from django.contrib.auth import get_user_model

    from contracts.models import Contract
    from regional.selectors import dashboard_scope

    first, last = sorted([world.own, world.other], key=lambda side: side.region.nom)
    # The région last in alphabetical order gets the most contracts.
    for _ in range(Contract.objects.filter(ars__region=first.region).count() + 1):
        f.ContractFactory(ars=last.contract.ars, collectivite=last.contract.collectivite)
    admin = get_user_model().objects.create_superuser("admin-region", "admin-region@example.org", "x")
    assert dashboard_scope(admin).region == last.region
    assert dashboard_scope(admin, first.region.code).region == first.region
    client.force_login(admin)
    assert client.get(reverse("regional:dashboard")).context["scope"].region == last.region


@pytest.mark.django_db
def test_the_set_up_list_stays_until_its_three_steps_are_done(client, world):
    """The set-up list vanished with the first imported contract, while the funding rule was still missing (so no
    coordinator could ask for funding): it now stays, each step done marked « Fait », until all three are."""
    from cls_portal.accounts.models import Invitation
    from funding.models import RegleFinancement

    region = f.RegionFactory(code="98", nom="Région en cours")
    departement = f.DepartementFactory(code="9M", nom="Département en cours", region=region)
    delegation = f.DelegationFactory(departement=departement)
    agent = f.with_role(f.UserFactory(username="equipe-en-cours"), "region", region=region)
    client.force_login(agent)
    url = reverse("regional:dashboard")

    def callout():
        html = client.get(url).content.decode()
        match = re.search(r"<div[^>]*data-empty-region>(.*?)</div>", html, re.S)
        return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", match.group(1)))).strip() if match else None

    f.ContractFactory(nom="CLS importé", ars=delegation.ars, delegations=[delegation])
    text = callout()
    assert text.startswith("Mise en service de la région : 2 étapes restent à faire")
    assert "inviter les agents des délégations départementales" in text
    assert "Fait CLS existants importés" in text
    assert "saisir la règle de financement du poste de coordination : sans elle, aucun coordinateur" in text
    invitation = Invitation.objects.create(email="agent@example.org", role="delegation", invited_by=agent,
                                           expires_at=timezone.now() + dt.timedelta(days=7))
    invitation.departements.set([departement])
    text = callout()
    assert text.startswith("Mise en service de la région : une étape reste à faire")
    assert "Fait agents des délégations départementales invités" in text
    RegleFinancement.objects.create(region=region, valid_from=dt.date(2020, 1, 1), taux=Decimal("0.5"),
                                    plafond_annuel=Decimal("25000"), cout_reference=Decimal("50000"))
    assert callout() is None
