"""The regional figures at a date ("au 26/03/2025"), rebuilt by hand on a purpose-built région: contracts
signed, closed and renewed on known dates, a perimeter widened on a known date, coordinators named on known
dates. Moving the date before a signature or past a closure changes the figures as the history says."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cls_portal.accounts.models import Role
from contracts import services as contract_services
from contracts.enums import Phase
from contracts.models import Contract, PhaseTransition, contract_end
from contracts.periods import record_coordinator
from funding.models import AnneeFinancement
from regional.coverage import coverage
from tests import factories as f

AT = dt.date(2025, 3, 26)


def _closed_on(contract, day):
    """The closure as the phase history records it (the lifecycle's "clore" on that day)."""
    record = PhaseTransition.objects.create(contract=contract, transition="clore", from_phase=Phase.EVALUATION_FINALE,
                                            to_phase=Phase.CLOS)
    PhaseTransition.objects.filter(pk=record.pk).update(
        at=timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30))))
    Contract.objects.filter(pk=contract.pk).update(phase=Phase.CLOS)


def _funding_year(contract, year, *, mois):
    return AnneeFinancement.objects.create(
        contract=contract, annee=year, etp=Decimal("1"), mois_pourvus=mois, cout_salaire=Decimal("30000"),
        cout_charges=Decimal("12000"), cout_fonctionnement=Decimal("2000"), demande_ars=Decimal("20000"),
        demande_collectivite=Decimal("22000"), montant_accorde=Decimal("20000"))


@pytest.fixture
def region():
    """Normandie: Calvados a 10 000, b 2 000, c 300, d 5 000; Manche e 7 000, g 700 (25 000 inhabitants).

    - A signed 15/01/2020 on {a, b}, closed 31/12/2024, renewed as A2: letter 01/06/2024, signed 01/02/2025 on
      {a, b, c}, its coordinator named 01/03/2025;
    - B signed 01/06/2022 on {b, e} (b in A too), widened to g on 10/01/2025, coordinator since the start;
    - C in diagnostic, letter 01/09/2024, on {d}; no coordinator named, its 2025 funding year filled 12 months;
    - D letter 01/10/2024, signed 01/04/2025 on {d}, coordinator named 15/04/2025.
    """
    reg = f.RegionFactory(code="28", nom="Normandie")
    cal = f.DepartementFactory(code="14", nom="Calvados", region=reg)
    man = f.DepartementFactory(code="50", nom="Manche", region=reg)
    dd14, dd50 = f.DelegationFactory(departement=cal), f.DelegationFactory(departement=man)
    ars = dd14.ars
    pop = {"a": 10000, "b": 2000, "c": 300, "d": 5000, "e": 7000, "g": 700}
    c = {k: f.CommuneFactory(departement=cal if k in "abcd" else man, population=p) for k, p in pop.items()}
    user = f.with_role(f.UserFactory(), Role.REGION, region=reg)
    coord = f.UserFactory()
    mk = lambda communes, **kw: f.ContractFactory(  # noqa: E731
        ars=ars, communes=[c[k] for k in communes],
        delegations=[dd14] + ([dd50] if any(k in "eg" for k in communes) else []), **kw)
    a = mk("ab", date_signature=dt.date(2020, 1, 15), phase=Phase.EVALUATION_FINALE)
    _closed_on(a, dt.date(2024, 12, 31))
    a2 = mk("abc", previous=a, generation=2, date_lettre_intention=dt.date(2024, 6, 1),
            date_signature=dt.date(2025, 2, 1))
    record_coordinator(a2, coord, joined=True, day=dt.date(2025, 3, 1))
    b = mk("be", date_signature=dt.date(2022, 6, 1), coordinators=[f.UserFactory()])
    contract_services.contract_set_perimeter(actor=user, contract=b, commune_codes=[c["b"].code, c["e"].code,
                                                                                    c["g"].code],
                                             day=dt.date(2025, 1, 10))
    cc = mk("d", phase=Phase.DIAGNOSTIC, date_signature=None, date_lettre_intention=dt.date(2024, 9, 1))
    _funding_year(cc, 2025, mois=12)
    d = mk("d", date_lettre_intention=dt.date(2024, 10, 1), date_signature=dt.date(2025, 4, 1))
    record_coordinator(d, f.UserFactory(), joined=True, day=dt.date(2025, 4, 15))
    return {"region": reg, "user": user, "contracts": {"A": a, "A2": a2, "B": b, "C": cc, "D": d}}


def _figures(client, region, day):
    client.force_login(region["user"])
    response = client.get(reverse("regional:dashboard"), {"au": day.isoformat()} if day else {})
    assert response.status_code == 200
    return response


def _text(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


def _count_on(client, url):
    html = client.get(url).content.decode()
    return int(re.search(r"(\d+) contrats?</p>", html).group(1))


@pytest.mark.django_db
def test_the_statement_at_a_date_is_the_one_computed_by_hand(client, region):
    response = _figures(client, region, AT)
    figures, cov = response.context["figures"], response.context["coverage"]
    # A2 (signed 01/02) and B are active; A closed on 31/12/2024, D signed on 01/04.
    assert figures["active"].value == 2
    # A2 {a, b, c} ∪ B {b, e, g}: 10 000 + 2 000 + 300 + 7 000 + 700, b counted once.
    assert cov.total.covered == 20000 and cov.total.population == 25000
    assert cov.total.share == Decimal("0.8")
    assert {d.code: d.covered for d in cov.departements} == {"14": 12300, "50": 7700}
    # Posts: A2, B, C (letters before the date), D (letter 01/10/2024); A closed. Filled: B (coordinator since
    # the start), A2 (named 01/03/2025), C (its 2025 funding year says 12 months); D's coordinator comes later.
    assert figures["posts_planned"].value == 4
    assert figures["posts_filled"].value == 3
    assert figures["posts_vacant"].value == 1
    assert ("Au 26 mars 2025, 2 CLS signés et actifs, couvrant 80,0 % de la population de la région ; "
            "3 coordinateurs en poste sur 4 postes prévus.") in _text(response.content.decode())
    # Each figure's list, at the same date, holds exactly what it counts.
    for key in ("active", "posts_planned", "posts_filled", "posts_vacant", "cofunded", "clsm"):
        assert "au=2025-03-26" in figures[key].url
        assert _count_on(client, figures[key].url) == figures[key].value, key


@pytest.mark.django_db
def test_moving_the_date_across_a_signature_a_closure_and_a_perimeter_change(region):
    def at(day):
        return coverage(region_code="28", at=day).total

    # The day before A's closure: A {a, b} and B before its widening {b, e}: 10 000 + 2 000 + 7 000.
    assert (at(dt.date(2024, 12, 30)).covered, at(dt.date(2024, 12, 30)).share) == (19000, Decimal("0.76"))
    # The closure day itself: A is closed by the end of it; B alone.
    assert at(dt.date(2024, 12, 31)).covered == 9000
    # After B's widening on 10/01/2025 (g 700) and before A2's signature.
    assert at(dt.date(2025, 1, 9)).covered == 9000
    assert at(dt.date(2025, 1, 10)).covered == 9700
    # A2 signed on 01/02/2025 brings a and c back (b already counted).
    assert at(dt.date(2025, 2, 1)).covered == 20000
    # D signed on 01/04/2025 adds d.
    assert at(dt.date(2025, 4, 1)).covered == 25000
    # Before any signature: nothing.
    assert at(dt.date(2020, 1, 14)).covered == 0
    assert at(dt.date(2020, 1, 15)).covered == 12000


@pytest.mark.django_db
def test_counts_change_with_the_date(client, region):
    before = _figures(client, region, dt.date(2024, 12, 30)).context["figures"]
    assert before["active"].value == 2  # A and B
    # A, B, C (letter 01/09), D (letter 01/10). A2, prepared while A runs, is A's post: counted from A's closure.
    assert before["posts_planned"].value == 4
    assert before["posts_filled"].value == 1  # B; A names no coordinator; C's funding year is for 2025
    after_closure = _figures(client, region, dt.date(2025, 1, 1)).context["figures"]
    assert after_closure["active"].value == 1
    assert after_closure["posts_planned"].value == 4  # A2 takes A's post
    early = _figures(client, region, dt.date(2020, 1, 14)).context["figures"]
    assert (early["active"].value, early["posts_planned"].value) == (0, 0)


def _grow(region, n):
    ars = region["contracts"]["B"].ars
    dep = region["contracts"]["B"].delegations.order_by("departement_id").first()
    for i in range(n):
        contract = f.ContractFactory(ars=ars, delegations=[dep], date_lettre_intention=dt.date(2021, 1, 1),
                                     date_signature=dt.date(2021 + i % 4, 3, 1), coordinators=[f.UserFactory()],
                                     communes=[f.CommuneFactory(departement=dep.departement, population=100 + i)])
        if i % 3 == 0:
            _closed_on(contract, dt.date(2025, 1, 1 + i % 20))


@pytest.mark.django_db
def test_the_figures_at_a_date_do_not_grow_with_the_number_of_contracts(client, region):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            _figures(client, region, AT)
        with CaptureQueriesContext(connection) as cov:
            coverage(region_code="28", at=AT)
        return len(ctx.captured_queries), len(cov.captured_queries)

    _grow(region, 3)
    queries()  # the first request fills the process's caches (content types, templates)
    small = queries()
    _grow(region, 40)
    assert queries() == small
    assert small[1] == 2


@pytest.mark.django_db
def test_the_normandie_statement_of_march_2025(client):
    """"Au 26 mars 2025, 21 CLS signés et actifs, soit plus de 50 % de la population normande couverte ;
    23 coordinateurs sur 30 en poste" (ARS Normandie), rebuilt: 21 contracts signed before the date on
    26 000 of 50 000 inhabitants, 9 more with a letter of intent, 23 of the 30 with a coordinator in post;
    one closed before the date and one signed after it do not count."""
    reg = f.RegionFactory(code="28", nom="Normandie")
    dep = f.DepartementFactory(code="14", nom="Calvados", region=reg)
    dd = f.DelegationFactory(departement=dep)
    user = f.with_role(f.UserFactory(), Role.REGION, region=reg)
    f.CommuneFactory(departement=dep, population=15000)  # in no contract
    for i in range(30):
        signed = i < 21
        contract = f.ContractFactory(
            ars=dd.ars, delegations=[dd], communes=[f.CommuneFactory(
                departement=dep, population=(2000 if i == 0 else 1200) if signed else 1000)],
            phase=Phase.MISE_EN_OEUVRE if signed else Phase.DIAGNOSTIC,
            date_lettre_intention=dt.date(2020 + i % 4, 2, 1),
            date_signature=dt.date(2021 + i % 4, 3, 1) if signed else None)
        if i < 18 or 25 <= i:  # 18 signed, 5 in preparation
            record_coordinator(contract, f.UserFactory(), joined=True, day=dt.date(2024, 1, 1))
    closed = f.ContractFactory(ars=dd.ars, delegations=[dd], date_signature=dt.date(2019, 1, 1),
                               date_lettre_intention=dt.date(2018, 1, 1), phase=Phase.EVALUATION_FINALE,
                               communes=[f.CommuneFactory(departement=dep, population=0)])
    _closed_on(closed, dt.date(2024, 6, 30))
    f.ContractFactory(ars=dd.ars, delegations=[dd], date_signature=dt.date(2025, 5, 1),
                      date_lettre_intention=dt.date(2025, 4, 1), communes=[f.CommuneFactory(departement=dep,
                                                                                            population=0)])
    client.force_login(user)
    response = client.get(reverse("regional:dashboard"), {"au": "2025-03-26"})
    assert ("Au 26 mars 2025, 21 CLS signés et actifs, couvrant 52,0 % de la population de la région ; "
            "23 coordinateurs en poste sur 30 postes prévus.") in _text(response.content.decode())
    # The same région today: the contract signed in May 2025 is active, its post planned; the five-year contracts
    # signed on 01/03/2021 reached their end on 28/02/2026 and are no longer active, their posts still planned
    # until they are closed.
    in_force = 1 + sum(1 for i in range(21) if contract_end(dt.date(2021 + i % 4, 3, 1), 5) >= timezone.localdate())
    today = client.get(reverse("regional:dashboard")).context["figures"]
    assert (today["active"].value, today["posts_planned"].value) == (in_force, 31)


@pytest.mark.django_db
def test_a_future_or_unreadable_date_is_refused_next_to_the_field(client, region):
    client.force_login(region["user"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for value in (tomorrow.isoformat(), "31/02/2025", "abc"):
        response = client.get(reverse("regional:dashboard"), {"au": value})
        assert response.status_code == 200
        assert response.context["at"] is None  # today's figures
        assert response.context["date_form"].errors["au"]
        assert "Chiffres d'aujourd'hui affichés." in unescape(response.content.decode())
    # A French date typed by hand reads as the ISO one.
    response = client.get(reverse("regional:dashboard"), {"au": "26/03/2025"})
    assert response.context["at"] == AT


@pytest.mark.django_db
def test_the_statement_and_the_card_give_the_same_share_of_the_population(client):
    """One CLS of 1 000 inhabitants in a région of 250 000: the sentence at the top said « couvrant 0 % de la
    population » (rounded to the unit) while the card under it said « 0,4 % de la population couverte »."""
    reg = f.RegionFactory(code="44", nom="Grand Est")
    dep = f.DepartementFactory(code="52", nom="Haute-Marne", region=reg)
    dd = f.DelegationFactory(departement=dep)
    f.CommuneFactory(departement=dep, population=249000)
    f.ContractFactory(ars=dd.ars, delegations=[dd], communes=[f.CommuneFactory(departement=dep, population=1000)],
                      date_signature=dt.date(2024, 6, 20), date_lettre_intention=dt.date(2023, 6, 1))
    client.force_login(f.with_role(f.UserFactory(), Role.REGION, region=reg))
    text = _text(client.get(reverse("regional:dashboard")).content.decode())
    assert "1 CLS signé et actif, couvrant 0,4 % de la population de la région" in text
    assert "0,4 % de la population couverte" in text
    assert "couvrant 0 %" not in text


@pytest.mark.django_db
def test_a_year_without_any_funding_decision_says_so(client):
    """The funding card read « 0 € engagés par l'ARS en 2026 pour le poste de coordination de 0 contrat ; 0 € déjà
    versés » before the year's first decision."""
    reg = f.RegionFactory(code="44", nom="Grand Est")
    dep = f.DepartementFactory(code="52", nom="Haute-Marne", region=reg)
    dd = f.DelegationFactory(departement=dep)
    f.ContractFactory(ars=dd.ars, delegations=[dd], communes=[f.CommuneFactory(departement=dep, population=1000)],
                      date_signature=dt.date(2024, 6, 20), date_lettre_intention=dt.date(2023, 6, 1))
    client.force_login(f.with_role(f.UserFactory(), Role.REGION, region=reg))
    text = _text(client.get(reverse("regional:dashboard")).content.decode())
    year = timezone.localdate().year
    assert f"Aucun financement engagé par l'ARS en {year}" in text
    assert "de 0 contrat" not in text and "engagés par l'ARS" not in text
