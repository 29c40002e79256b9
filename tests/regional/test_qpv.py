"""QPV counted once: the région's reference list (typed or imported by the regional team), the QPV each contract
lists by code, and the regional view's distinct count and share of the QPV population; the Île-de-France
statement of November 2018 rebuilt."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from cls_portal.accounts.models import Role
from cls_portal.core.errors import DomainError
from cls_portal.core.models import HistoryEntry
from contracts import services
from contracts.enums import Phase
from contracts.models import QPV, Contract, PhaseTransition
from funding.models import AnneeFinancement
from regional import selectors
from tests import factories as f


@pytest.fixture
def idf():
    reg = f.RegionFactory(code="11", nom="Île-de-France")
    dep = f.DepartementFactory(code="93", nom="Seine-Saint-Denis", region=reg)
    dd = f.DelegationFactory(departement=dep)
    user = f.with_role(f.UserFactory(), Role.REGION, region=reg)
    return {"region": reg, "dep": dep, "dd": dd, "user": user}


def _text(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


@pytest.mark.django_db
def test_the_reference_list_is_typed_or_imported_all_or_nothing(idf):
    user = idf["user"]
    q = services.qpv_save(actor=user, region_code="11", code=" qn09301m ", nom="Les Courtillières",
                          departement_code="93", population="6 420")
    assert (q.code, q.population) == ("QN09301M", 6420)
    services.qpv_save(actor=user, region_code="11", code="QN09301M", nom="Les Courtillières", departement_code="93",
                      population=6500)
    assert QPV.objects.get().population == 6500
    assert HistoryEntry.objects.filter(action="qpv_enregistre").count() == 2
    with pytest.raises(DomainError, match="code de QPV"):
        services.qpv_save(actor=user, region_code="11", code="93-1", nom="x", departement_code="93")
    f.DepartementFactory(code="14", region=f.RegionFactory(code="28"))
    with pytest.raises(DomainError, match="pas dans la région"):
        services.qpv_save(actor=user, region_code="11", code="QN01401M", nom="x", departement_code="14")

    text = "code;nom;département;population\nQN09302M;La Rose des Vents;93;9100\nQN09303M;Le Londeau;93;\n"
    assert services.qpv_import(actor=user, region_code="11", text=text) == (2, 0)
    assert QPV.objects.get(code="QN09303M").population is None
    with pytest.raises(DomainError, match=r"Rien n'a été importé\. ligne 2 : .*ligne 3 : Population"):
        services.qpv_import(actor=user, region_code="11", text="QN09304M;A;93;1\nXX;B;93\nQN09305M;C;93;beaucoup")
    assert QPV.objects.count() == 3


@pytest.mark.django_db
def test_the_page_adds_and_explains_a_refusal_next_to_the_field(client, idf):
    client.force_login(idf["user"])
    url = reverse("regional:qpv")
    body = {"action": "ajouter", "region": "11", "code": "QN09301M", "nom": "Les Courtillières", "departement": "93",
            "population": "6420"}
    assert client.post(url, body).status_code == 302
    page = client.post(url, {**body, "code": "n'importe"})
    assert page.status_code == 200
    assert "n'est pas un code de QPV" in unescape(page.content.decode())
    html = client.get(url).content.decode()
    assert "Les Courtillières" in html and "QN09301M" in html
    client.force_login(f.with_role(f.UserFactory(), Role.DELEGATION, departements=[idf["dep"]]))
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_a_contract_lists_its_qpv_and_the_region_counts_each_once(client, idf):
    user, dd = idf["user"], idf["dd"]
    a, b, c = (services.qpv_save(actor=user, region_code="11", code=f"QN0930{i}M", nom=f"Quartier {i}",
                                 departement_code="93", population=p)
               for i, p in ((1, 1000), (2, 3000), (3, None)))
    services.qpv_save(actor=user, region_code="11", code="QN09309M", nom="Non couvert", departement_code="93",
                      population=4000)
    one = f.ContractFactory(ars=dd.ars, delegations=[dd])
    coord = f.with_role(f.UserFactory(), Role.COORDINATEUR)
    two = f.ContractFactory(ars=dd.ars, delegations=[dd], coordinators=[coord])
    closed = f.ContractFactory(ars=dd.ars, delegations=[dd], phase=Phase.CLOS)
    for contract, qpvs in ((one, [a, b]), (two, [b, c]), (closed, [QPV.objects.get(code="QN09309M")])):
        services.contract_update(actor=user, contract=contract, version=contract.version, data={"qpvs": qpvs})
    one.refresh_from_db()
    assert (one.qpv, one.nb_qpv) == (True, 2)
    scope = selectors.dashboard_scope(user)
    cov = selectors.qpv_coverage(scope)
    # a, b, c once each (b is in two contracts); the closed contract's QPV is not covered.
    assert (cov.total, cov.covered) == (4, 3)
    # Share over the QPV whose population is entered: (1 000 + 3 000) / (1 000 + 3 000 + 4 000).
    assert (cov.with_population, cov.share) == (3, Decimal("0.5"))
    # The declared sum counts b twice: what the distinct count corrects.
    client.force_login(user)
    ctx = client.get(reverse("regional:dashboard")).context
    assert ctx["figures"]["nb_qpv"].value == 4 and ctx["qpv"].covered == 3
    # Before the contracts' signature, nothing is covered.
    assert selectors.qpv_coverage(scope, dt.date(2024, 3, 14)).covered == 0

    # The identity form offers the région's QPV (the coordinator ticks them).
    client.force_login(coord)
    ticked = client.get(reverse("contracts:edit", args=[two.pk])).context["form"]
    assert set(ticked.fields["qpvs"].queryset) == set(QPV.objects.all())
    with pytest.raises(DomainError, match="pas dans la région"):
        other = QPV.objects.create(code="QN05201M", nom="Ailleurs", departement=f.DepartementFactory(
            code="52", region=f.RegionFactory(code="44")))
        services.contract_update(actor=user, contract=two, version=Contract.objects.get(pk=two.pk).version,
                                 data={"qpvs": [other]})


@pytest.mark.django_db
def test_the_ile_de_france_statement_of_november_2018(client, idf):
    """"Novembre 2018 : 74 CLS actifs, cofinancés pour 59 ; 214 des 272 QPV (81 % de la population des QPV) ;
    46 avec un CLSM" (ARS Île-de-France), rebuilt at 30/11/2018 with a contract closed before and one signed
    after that date, which do not count."""
    dd, dep = idf["dd"], idf["dep"]
    QPV.objects.bulk_create([QPV(code=f"QN093{i:03d}", nom=f"Quartier {i}", departement=dep,
                                 population=4700 if i < 214 else 4100) for i in range(272)])
    qpvs = list(QPV.objects.order_by("code"))
    for i in range(74):
        contract = f.ContractFactory(ars=dd.ars, delegations=[dd], clsm=i < 46, date_signature=dt.date(2015, 6, 1))
        # 214 QPV spread over the contracts, some listed twice (the neighbouring contract's first one).
        contract.qpvs.set(qpvs[i * 3: min(i * 3 + 3, 214)] + ([qpvs[i * 3 + 3]] if i * 3 + 3 < 214 else []))
        if i < 59:
            AnneeFinancement.objects.create(
                contract=contract, annee=2018, etp=Decimal("1"), mois_pourvus=12, cout_salaire=Decimal("30000"),
                cout_charges=Decimal("12000"), cout_fonctionnement=Decimal("2000"), demande_ars=Decimal("20000"),
                demande_collectivite=Decimal("22000"), montant_accorde=Decimal("20000"))
    late = f.ContractFactory(ars=dd.ars, delegations=[dd], clsm=True, date_signature=dt.date(2019, 1, 10))
    late.qpvs.set(qpvs[214:])
    gone = f.ContractFactory(ars=dd.ars, delegations=[dd], clsm=True, date_signature=dt.date(2012, 1, 10),
                             phase=Phase.CLOS)
    t = PhaseTransition.objects.create(contract=gone, transition="clore", from_phase=Phase.EVALUATION_FINALE,
                                       to_phase=Phase.CLOS)
    PhaseTransition.objects.filter(pk=t.pk).update(at=dt.datetime(2017, 1, 10, 12, tzinfo=dt.UTC))
    gone.qpvs.set(qpvs[214:])

    client.force_login(idf["user"])
    response = client.get(reverse("regional:dashboard"), {"au": "2018-11-30"})
    figures, qpv = response.context["figures"], response.context["qpv"]
    assert figures["active"].value == 74
    assert figures["cofunded"].value == 59
    assert figures["clsm"].value == 46
    assert (qpv.covered, qpv.total) == (214, 272)
    assert round(qpv.share * 100) == 81  # 214 × 4 700 / (214 × 4 700 + 58 × 4 100)
    text = _text(response.content.decode())
    assert "Au 30 novembre 2018, 74 CLS signés et actifs" in text
    assert "Dont 59 contrats cofinancés par l'ARS en 2018" in text
    assert "214 QPV sur 272, 81 % de la population des QPV" in text
