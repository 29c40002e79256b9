"""The regional team's roll-up (`worklist.RollUp`): the regional view counts its items per département and kind
without reading any, and its work list (/region/a-traiter/) reads one page at a time in SQL. Both show what the
whole list (`items_for`) holds: the same items per département and kind, every item once across the pages, in
a deterministic order (kinds by rank, then contract name case-insensitively, due date, pk), whatever the
contracts' names (case, accents), several items of one contract, a second département, a contract without
département; never another région's items; a constant number of queries."""

import datetime as dt
import re
from collections import Counter
from html import unescape

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.enums import FicheStatut
from cls_portal.core import worklist
from cls_portal.core.collation import french_key
from contracts.enums import Phase
from contracts.models import Contract, Step
from tests import factories as f
from tests.worklists.test_queries import add_pending

TODAY = timezone.localdate()
NAMES = ["CLS Évry", "cls évian", "CLS Àix", "CLS zèbre", "CLS Ébène", "clS alpha", "CLS Alpha", "CLS Œuvre",
         "CLS écluse", "CLS Ecluse", "CLS Zoé", "CLS été", "CLS Été", "CLS b", "cls Bz", "CLS BA"]
CAMPAIGN = "campagne_en_cours"
ITEM = re.compile(r'<li class="fr-mb-1w" data-work-item="(?P<kind>[a-z_]+)"><a href="(?P<href>[^"]+)">')


def crowd(world, n=len(NAMES)):
    """`n` contracts with one item of every kind (renamed: case, accents), four more items on one, a contract in
    a second département of the région, one without département, and one in another région."""
    own = world.own
    add_pending(world, n)
    for contract, name in zip(Contract.objects.filter(nom__startswith="CLS en attente").order_by("nom"),
                              NAMES * (n // len(NAMES) + 1), strict=False):
        contract.nom = name
        contract.save(update_fields=["nom"])
    crowded = Contract.objects.filter(nom=NAMES[2]).first()
    for i in range(4):
        Step.objects.create(contract=crowded, phase=Phase.MISE_EN_OEUVRE, kind="autre", titre=f"Étape {i}",
                            date_prevue=TODAY - dt.timedelta(days=10 + i))
    second = f.DepartementFactory(code="50", nom="Manche", region=own.region)
    elsewhere = f.ContractFactory(nom="CLS de la Manche", ars=own.delegation.ars,
                                  delegations=[f.DelegationFactory(departement=second, ars=own.delegation.ars)])
    f.FicheActionFactory(axe=f.AxeFactory(contract=elsewhere, numero=1), numero=1, statut=FicheStatut.SOUMISE)
    nowhere = f.ContractFactory(nom="cls sans département", ars=own.delegation.ars, delegations=[])
    Step.objects.create(contract=nowhere, phase=Phase.MISE_EN_OEUVRE, kind="autre", titre="Étape orpheline",
                        date_prevue=TODAY - dt.timedelta(days=3))
    other = world.other.contract
    f.FicheActionFactory(axe=f.AxeFactory(contract=other, numero=7), numero=1, statut=FicheStatut.SOUMISE,
                         titre="Fiche d'une autre région")
    return second


def fresh_user(world):
    user = world.users["region"]
    user.__dict__.pop("_worklist_cache", None)
    user.__dict__.pop("_worklist_counts", None)
    user.roles(), user.departement_codes(), user.region_codes()  # read once per request by every page
    return user


def whole_list(user):
    items = [i for i in worklist.items_for(user, worklist.REGION, TODAY) if i.kind != CAMPAIGN]
    user.__dict__.pop("_worklist_cache")
    return items


def assert_in_order(items):
    """Kinds by rank (each kind's items together); within a kind, contract names in French order (accents and
    case second: `french_key`, the order of the database's `french` collation), then due date (none last)."""
    kinds = [i.kind for i in items]
    assert [k for n, k in enumerate(kinds) if n == 0 or kinds[n - 1] != k] == list(dict.fromkeys(kinds))
    assert [i.rank for i in items] == sorted(i.rank for i in items)
    for kind in dict.fromkeys(kinds):
        keys = [(french_key(i.contract), i.due or dt.date.max) for i in items if i.kind == kind]
        assert keys == sorted(keys), kind


@pytest.mark.django_db
def test_the_counts_are_those_of_the_whole_list(world, django_assert_num_queries):
    second = crowd(world)
    user = fresh_user(world)
    whole = whole_list(user)
    with django_assert_num_queries(1):
        rollup = worklist.RollUp(user, worklist.REGION, TODAY)
        cells = rollup.cells
    assert cells == Counter((i.kind, i.departement) for i in whole)
    assert {dep for _, dep in cells} == {world.own.departement.code, second.code, ""}
    assert [k.kind for k in rollup.kinds] == list(dict.fromkeys(i.kind for i in sorted(whole, key=lambda i: i.rank)))
    assert "Fiche d'une autre région" not in {i.title for i in whole}
    with django_assert_num_queries(1):  # the campaigns, read whole; then the menu reuses the count
        campaigns = rollup.whole()
    with django_assert_num_queries(0):
        assert worklist.count_for(user, worklist.REGION, TODAY) == len(whole) + len(campaigns)


@pytest.mark.django_db
def test_the_regional_view_shows_the_counts_per_departement_and_kind(client, world):
    second = crowd(world)
    user = fresh_user(world)
    whole = whole_list(user)
    client.force_login(user)
    html = client.get(reverse("regional:dashboard")).content.decode()
    assert "data-work-item=\"fiche_a_revoir\"" not in html  # no item listed, only counted
    table = re.search(r"<table>\s*<caption>Éléments à traiter.*?</table>", html, re.S).group(0)
    header = re.findall(r'<th scope="col">(.*?)</th>', table)
    kinds = list(dict.fromkeys(i.label for i in sorted(whole, key=lambda i: (i.rank, i.label))))
    assert header == ["Département", *kinds, "Total"]
    rows = re.findall(r'<tr data-work-departement="([^"]*)"><th scope="row">(.*?)</th>(.*?)</tr>', table, re.S)
    assert [(code, name) for code, name, _ in rows] == [
        (world.own.departement.code, f"{world.own.departement.nom} ({world.own.departement.code})"),
        (second.code, "Manche (50)"), ("", "Sans département")]
    got = Counter()
    for code, _name, cells in rows:
        tds = re.findall(r"<td>(.*?)</td>", cells, re.S)
        assert len(tds) == len(kinds) + 1
        for td in tds[:-1]:
            link = re.search(r'href="([^"]+)">(\d+)<span class="fr-sr-only"> éléments? « (.*?) », ', td)
            if link is None:
                assert "—" in td and "href" not in td
                continue
            url, n, label = unescape(link.group(1)), int(link.group(2)), link.group(3)
            kind = re.search(r"quoi=(\w+)", url).group(1)
            assert f"departement={code or 'aucun'}&" in url and label == next(i.label for i in whole if i.kind == kind)
            got[(kind, code)] += n
        total = re.search(r'href="([^"]+)"><strong>(\d+)</strong>', tds[-1])
        assert int(total.group(2)) == sum(n for (_, c), n in got.items() if c == code)
        assert unescape(total.group(1)).endswith(f"?departement={code or 'aucun'}")
    assert got == Counter((i.kind, i.departement) for i in whole)
    # The heading and the menu say the same total.
    campaigns = len([i for i in worklist.items_for(user, worklist.REGION, TODAY) if i.kind == CAMPAIGN])
    assert f"À traiter dans vos départements ({len(whole) + campaigns})" in html


@pytest.mark.django_db
@pytest.mark.parametrize("per_page", [1, 4, 7, 50])
def test_pages_put_together_are_the_whole_list_in_order(world, per_page):
    crowd(world)
    user = fresh_user(world)
    whole = whole_list(user)
    rollup = worklist.RollUp(user, worklist.REGION, TODAY)
    paginator = Paginator(rollup.items(), per_page)
    pages = [item for n in paginator.page_range for item in paginator.page(n)]
    assert len(pages) == len(whole) == paginator.count and Counter(pages) == Counter(whole)
    assert_in_order(pages)
    assert rollup.items()[:] == pages  # a page's slice is the whole list's


@pytest.mark.django_db
def test_mixed_case_names_sort_case_insensitively(world):
    crowd(world)
    user = fresh_user(world)
    names = [i.contract for i in worklist.RollUp(user, worklist.REGION, TODAY).items(kind="fiche_a_revoir")[:]
             if i.contract in ("CLS b", "cls Bz", "CLS BA", "clS alpha", "CLS Alpha")]
    assert names[:2] in (["clS alpha", "CLS Alpha"], ["CLS Alpha", "clS alpha"])
    assert names[2:] == ["CLS b", "CLS BA", "cls Bz"]


def _listed(html):
    return [(m["kind"], unescape(m["href"])) for m in ITEM.finditer(html)]


@pytest.mark.django_db
def test_the_work_list_pages_filters_and_queries(client, world):
    second = crowd(world)
    user = fresh_user(world)
    whole = whole_list(user)
    client.force_login(user)
    url = reverse("regional:work")
    assert len(whole) > 100  # three pages

    first = client.get(url)
    assert first.context["count"] == len(whole) and first.context["page_obj"].paginator.num_pages > 2
    seen = []
    for n in first.context["page_obj"].paginator.page_range:
        seen += _listed(client.get(url, {"page": n}).content.decode())
    assert seen == [(i.kind, i.url) for i in pages_of(user)]
    html = client.get(url, {"page": 2}).content.decode()
    assert "(suite)" in html or html.count("<h2 class=\"fr-h6") > 1  # a kind's heading on every page
    # Past the end: the last page; not a number: the first (Django's Paginator).
    last = first.context["page_obj"].paginator.num_pages
    assert client.get(url, {"page": 999}).context["page_obj"].number == last
    assert client.get(url, {"page": "abc"}).context["page_obj"].number == 1

    # Filters: a département, « Sans département », a kind, both.
    for params, keep in [
        ({"departement": second.code}, lambda i: i.departement == second.code),
        ({"departement": "aucun"}, lambda i: i.departement == ""),
        ({"quoi": "etape_en_retard"}, lambda i: i.kind == "etape_en_retard"),
        ({"departement": world.own.departement.code, "quoi": "fiche_a_revoir"},
         lambda i: i.departement == world.own.departement.code and i.kind == "fiche_a_revoir"),
    ]:
        response = client.get(url, params)
        expected = [i for i in whole if keep(i)]
        assert response.context["count"] == len(expected) > 0, params
        assert Counter(_listed(response.content.decode())) == Counter((i.kind, i.url) for i in expected), params
    # The choices come from the counts.
    form = first.context["form"]
    assert [c for c, _ in form.fields["departement"].choices] == ["", world.own.departement.code, "50", "aucun"]
    assert [c for c, _ in form.fields["quoi"].choices][1:] == list(dict.fromkeys(
        i.kind for i in sorted(whole, key=lambda i: (i.rank, i.label))))
    bad = client.get(url, {"departement": "99", "quoi": "inconnu"})
    assert bad.status_code == 200 and set(bad.context["form"].errors) == {"departement", "quoi"}
    assert "Sélectionnez un choix valide" in bad.content.decode()
    # Another région's items never appear; the délégation has its own dashboard.
    assert "Fiche d&#x27;une autre région" not in "".join(client.get(url, {"page": n}).content.decode()
                                                           for n in range(1, last + 1))
    client.force_login(world.own.people["delegation"])
    assert client.get(url).status_code == 403


def pages_of(user):
    user.__dict__.pop("_worklist_counts", None)
    return worklist.RollUp(user, worklist.REGION, TODAY).items()[:]


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_work_list_reads_a_constant_number_of_queries(client, world):
    """Pinned: 6 (session and user, the user's roles and territories, the menu's count, the counts per kind and
    département, the départements' names), then one query per kind the page overlaps, whatever the number of
    items: each kind has one item per contract here, so page 1 overlaps 2 kinds at 26 and at 40 contracts, page
    2 of one kind that kind; any page at most 6 + the kinds it overlaps."""
    user = world.own.people["region"]
    client.force_login(user)
    url = reverse("regional:work")
    counts = []
    for n in (26, 14):  # 26 contracts, then 40
        add_pending(world, n)
        counts.append([_queries(client, url, {}), _queries(client, url, {"quoi": "etape_en_retard", "page": 2}),
                       _queries(client, url, {"departement": world.own.departement.code})])
        for page in (2, 3):
            user.__dict__.pop("_worklist_counts", None)
            overlapped = {i.kind for i in Paginator(worklist.RollUp(user, worklist.REGION, TODAY).items(), 50)
                          .page(page)}
            assert _queries(client, url, {"page": page}) == 6 + len(overlapped) <= 6 + 3
    assert counts[0] == counts[1] == [8, 7, 8], counts
