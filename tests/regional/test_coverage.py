"""Population coverage: union of active perimeters, per département, constant queries, demo figures."""

import datetime as dt
from decimal import Decimal

import pytest

from contracts.enums import ACTIVE_PHASES, Phase
from contracts.models import Contract
from regional.coverage import AreaCoverage, combine, coverage
from tests import factories as f
from tests.queries import assert_snapshot_queries


def union_population(perimeters, population) -> int:
    """The test's oracle, in plain Python: population of the union of perimeters, each commune once."""
    codes: set[str] = set()
    for perimeter in perimeters:
        codes.update(perimeter)
    return sum(population[c] for c in codes)


def test_the_oracle_counts_a_shared_commune_once():
    pop = {"a": 100, "b": 20, "c": 3}
    assert union_population([["a", "b"], ["b", "c"]], pop) == 123
    assert union_population([], pop) == 0


def test_combine_sums_departements_and_computes_shares():
    cov = combine([{"code": "14", "nom": "Calvados", "population": 1000, "nb_communes": 4},
                   {"code": "50", "nom": "Manche", "population": 500, "nb_communes": 2}],
                  [{"departement": "14", "population": 250, "nb_communes": 1}], code="28", nom="Normandie")
    assert cov.total == AreaCoverage("28", "Normandie", 1500, 250, 6, 1)
    assert cov.departements[0].share == Decimal("0.25")
    assert cov.departements[1].covered == 0 and cov.departements[1].share == Decimal("0")
    assert AreaCoverage("x", "vide", 0, 0).share is None


@pytest.mark.django_db
def test_overlapping_perimeters_count_once_and_inactive_contracts_do_not_count():
    region = f.RegionFactory(code="28", nom="Normandie")
    cal = f.DepartementFactory(code="14", nom="Calvados", region=region)
    man = f.DepartementFactory(code="50", nom="Manche", region=region)
    a, b, c = (f.CommuneFactory(departement=cal, population=p) for p in (10000, 2000, 300))
    d, e = (f.CommuneFactory(departement=man, population=p) for p in (7000, 40))
    f.ContractFactory(communes=[a, b], phase=Phase.MISE_EN_OEUVRE)
    f.ContractFactory(communes=[b, c], phase=Phase.EVALUATION_FINALE)   # b is in both
    f.ContractFactory(communes=[d], diagnostic=True)                     # not signed: not covered
    f.ContractFactory(communes=[e], phase=Phase.CLOS)                    # closed: not covered
    other_region = f.DepartementFactory(code="52", region=f.RegionFactory(code="44"))
    f.ContractFactory(communes=[f.CommuneFactory(departement=other_region, population=999)])

    cov = coverage(region_code="28", nom="Normandie")
    assert cov.total.population == 19340
    assert cov.total.covered == 12300
    assert cov.total.nb_communes_covered == 3
    by_code = {dep.code: dep for dep in cov.departements}
    assert by_code["14"].covered == 12300 and by_code["14"].share == Decimal("1")
    assert by_code["50"].covered == 0 and by_code["50"].population == 7040

    # Restricting to some contracts (what a user sees) and to some départements.
    first = Contract.objects.filter(communes=a)
    assert coverage(region_code="28", contracts=first).total.covered == 12000
    assert coverage(departement_codes=["50"]).total.population == 7040


def _build(n_contracts):
    region = f.RegionFactory(code="28", nom="Normandie")
    deps = [f.DepartementFactory(code=code, region=region) for code in ("14", "50", "61")]
    for i in range(n_contracts):
        communes = [f.CommuneFactory(departement=deps[i % 3], population=100 + i) for _ in range(3)]
        f.ContractFactory(communes=communes)


@pytest.mark.django_db
@pytest.mark.parametrize("n", [2, 30])
def test_coverage_runs_two_queries_whatever_the_size(snapshot, n):
    _build(n)
    with assert_snapshot_queries(snapshot):
        cov = coverage(region_code="28")
    assert cov.total.nb_communes_covered == 3 * n
    assert cov.total.covered == sum(3 * (100 + i) for i in range(n))


@pytest.mark.django_db
def test_demo_coverage_is_right_to_the_inhabitant():
    """Hand computation: the union of the active perimeters' communes, each population added once. On a fixed day
    of the demo's story (1 December 2026): from 1 February 2027 Flers Agglo 2022-2026 has reached its end and
    no longer overlaps Ville de Flers."""
    from cls_portal.territories.models import Commune, Departement
    from tests.demo import seed_demo_data

    seed_demo_data()
    day = dt.date(2026, 12, 1)
    active = [c for c in Contract.objects.filter(phase__in=ACTIVE_PHASES, ars__region_id="28")
              .prefetch_related("communes") if c.date_signature and c.date_signature <= day <= c.date_fin]
    perimeters = [[c.code for c in contract.communes.all()] for contract in active]
    codes = [code for p in perimeters for code in p]
    assert len(codes) > len(set(codes)), "the demo should hold overlapping active perimeters"
    population = dict(Commune.objects.values_list("code", "population"))
    expected_covered = union_population(perimeters, population)
    assert expected_covered == sum(population[c] for c in set(codes))
    naive_sum = sum(population[c] for c in codes)
    expected_total = sum(Commune.objects.filter(region_id="28").values_list("population", flat=True))

    cov = coverage(region_code="28", nom="Normandie", at=day)
    assert cov.total.covered == expected_covered < naive_sum
    assert cov.total.population == expected_total
    assert cov.total.share == (Decimal(expected_covered) / Decimal(expected_total)).quantize(Decimal("0.000001"))
    deps = {d.code: d for d in cov.departements}
    assert set(deps) == set(Departement.objects.filter(region_id="28").values_list("code", flat=True))
    dep_of = dict(Commune.objects.filter(region_id="28").values_list("code", "departement_id"))
    for code, dep in deps.items():
        dep_codes = {c for c in set(codes) if dep_of[c] == code}
        assert dep.covered == sum(population[c] for c in dep_codes), code
