"""The ARS maximum, its explanation, the refusals and the financial statement (pure functions)."""

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funding.rules import (
    Regle,
    ars_maximum,
    explication,
    plafond_poste,
    solde,
    validate_demande,
)

NORMANDIE = Regle()  # the dataclass's defaults are Normandie's figures
GRAND_EST = Regle(etp_minimum=D("0.5"), libelle="Grand Est")


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


@pytest.mark.parametrize("etp,mois,cout,expected", [
    # the cases
    ("1", 12, "60000", "25000.00"),       # cap hit
    ("0.8", 12, "42000", "20000.00"),     # the post's cap follows the ETP
    ("0.5", 12, "22000", "11000.00"),     # half of the cost is below the half-time cap
    ("1", 6, "30000", "12500.00"),        # six months filled
    # full year, various costs
    ("1", 12, "46000", "23000.00"),
    ("1", 12, "50000", "25000.00"),       # boundary: exactly the reference cost
    ("1", 12, "50000.02", "25000.00"),
    ("1", 12, "49999.98", "24999.99"),
    # vacancies
    ("1", 9, "46000", "18750.00"),        # 3 months vacant
    ("1", 0, "46000", "0.00"),            # never filled
    ("1", 1, "46000", "2083.33"),         # 25 000 / 12 = 2 083,333… truncated
    ("0.5", 3, "10000", "3125.00"),
    # rounding to the cent (always down: the maximum is a ceiling)
    ("0.7", 7, "30000", "10208.33"),      # 25 000 × 0,7 × 7/12 = 10 208,333…
    ("1", 12, "12345.67", "6172.83"),     # 6 172,835 truncated, not rounded up
    ("0.33", 12, "40000", "8250.00"),
    ("0.01", 12, "100", "50.00"),
    ("0.01", 1, "100000", "20.83"),
    # above one ETP: the annual cap still holds
    ("1.5", 12, "90000", "25000.00"),
    ("2", 12, "200000", "25000.00"),
    ("1.2", 6, "80000", "15000.00"),      # 25 000 × 1,2 × 6/12 = 15 000
    # nothing to co-fund
    ("1", 12, "0", "0.00"),
    ("0", 12, "46000", "0.00"),
])
def test_ars_maximum_table(etp, mois, cout, expected):
    result = ars_maximum(NORMANDIE, etp=D(etp), mois=mois, cout_eligible=D(cout))
    assert isinstance(result, D)
    assert result == D(expected)
    assert result.as_tuple().exponent == -2  # always to the cent


def test_rule_figures_come_from_the_rule():
    regle = Regle(taux=D("0.40"), plafond_annuel=D("20000"), cout_reference=D("45000"))
    assert ars_maximum(regle, etp=D("1"), mois=12, cout_eligible=D("40000")) == D("16000.00")
    assert ars_maximum(regle, etp=D("1"), mois=12, cout_eligible=D("60000")) == D("18000.00")
    assert ars_maximum(regle, etp=D("2"), mois=12, cout_eligible=D("100000")) == D("20000.00")
    assert plafond_poste(regle, etp=D("0.5"), mois=12) == D("9000.00")


@pytest.mark.parametrize("etp,mois,cout,text", [
    ("1", 12, "46000", "50 % de 46 000 € = 23 000 €, sous le plafond de 25 000 € pour 1 ETP sur 12 mois"),
    ("1", 12, "60000", "50 % de 60 000 € = 30 000 €, ramené au plafond de 25 000 € pour 1 ETP sur 12 mois"),
    ("0.8", 12, "42000", "50 % de 42 000 € = 21 000 €, ramené au plafond de 20 000 € pour 0,8 ETP sur 12 mois "
                         "(50 % de 50 000 € × 0,8 × 12/12)"),
    ("1", 6, "30000", "50 % de 30 000 € = 15 000 €, ramené au plafond de 12 500 € pour 1 ETP sur 6 mois "
                      "(50 % de 50 000 € × 1 × 6/12)"),
    ("1.5", 12, "90000", "50 % de 90 000 € = 45 000 €, ramené au plafond de 25 000 € pour 1,5 ETP sur 12 mois "
                         "(plafond annuel de 25 000 €)"),
    ("1", 12, "12345.67", "50 % de 12 345,67 € = 6 172,83 €, sous le plafond de 25 000 € pour 1 ETP sur 12 mois"),
    ("1", 0, "46000", "Aucun cofinancement ARS : poste non pourvu ou coût nul (1 ETP sur 0 mois)."),
])
def test_explanation_in_words(etp, mois, cout, text):
    assert plain(explication(NORMANDIE, etp=D(etp), mois=mois, cout_eligible=D(cout))) == text


def request(**overrides):
    data = dict(etp=D("1"), mois=12, cout_salaire=D("32000"), cout_charges=D("11000"),
                cout_fonctionnement=D("3000"), demande_ars=D("23000"), demande_collectivite=D("23000"),
                demande_autres=D("0"))
    data.update(overrides)
    return data


def refusals(regle=NORMANDIE, **overrides):
    return [(r.field, plain(r.message)) for r in validate_demande(regle, **request(**overrides))]


def test_valid_request_has_no_refusal():
    assert refusals() == []
    assert refusals(demande_ars=D("20000"), demande_collectivite=D("20000"), demande_autres=D("6000")) == []
    # The collectivité may pay more than the ARS.
    assert refusals(demande_ars=D("10000"), demande_collectivite=D("36000")) == []
    assert refusals(GRAND_EST, etp=D("0.5"), cout_salaire=D("16000"), cout_charges=D("6000"),
                    cout_fonctionnement=D("0"), demande_ars=D("11000"), demande_collectivite=D("11000")) == []


@pytest.mark.parametrize("regle,overrides,field,fragment", [
    # ARS above its maximum (0.8 ETP costing 42 000 €: 20 000 € at most)
    (NORMANDIE, dict(etp=D("0.8"), cout_salaire=D("30000"), cout_charges=D("10000"), cout_fonctionnement=D("2000"),
                     demande_ars=D("21000"), demande_collectivite=D("21000")),
     "demande_ars", "La demande à l'ARS (21 000 €) dépasse le maximum de 20 000 €"),
    (NORMANDIE, dict(cout_salaire=D("40000"), cout_charges=D("16000"), cout_fonctionnement=D("4000"),
                     demande_ars=D("25000.01"), demande_collectivite=D("34999.99")),
     "demande_ars", "dépasse le maximum de 25 000 €"),
    (NORMANDIE, dict(mois=9, demande_ars=D("18750.01"), demande_collectivite=D("27249.99")),
     "demande_ars", "dépasse le maximum de 18 750 €"),
    # equal co-funding: 19 000 € from the collectivité against 20 000 € from the ARS
    (NORMANDIE, dict(cout_salaire=D("30000"), cout_charges=D("9000"), cout_fonctionnement=D("0"),
                     demande_ars=D("20000"), demande_collectivite=D("19000"), demande_autres=D("0")),
     "demande_collectivite", "au moins à part égale avec l'ARS : 19 000 € proposés contre 20 000 € demandés"),
    (NORMANDIE, dict(demande_ars=D("23000"), demande_collectivite=D("22999.99"), demande_autres=D("0.01")),
     "demande_collectivite", "22 999,99 € proposés contre 23 000 € demandés"),
    # shares not adding up to the cost
    (NORMANDIE, dict(demande_ars=D("23000"), demande_collectivite=D("23000"), demande_autres=D("1000")),
     None, "doivent couvrir exactement le coût éligible (46 000 €) : excédent de 1 000 €"),
    (NORMANDIE, dict(demande_ars=D("20000"), demande_collectivite=D("20000")),
     None, "Les financements (40 000 €) doivent couvrir exactement le coût éligible (46 000 €) : manque de 6 000 €"),
    (NORMANDIE, dict(demande_collectivite=D("23000.01")), None, "excédent de 0,01 €"),
    # working time
    (GRAND_EST, dict(etp=D("0.4"), demande_ars=D("10000"), demande_collectivite=D("36000")),
     "etp", "La règle de financement Grand Est exige un coordinateur à au moins 0,5 ETP : 0,4 ETP déclaré."),
    (GRAND_EST, dict(etp=D("0.49")), "etp", "au moins 0,5 ETP : 0,49 ETP déclaré"),
    (NORMANDIE, dict(etp=D("0")), "etp", "compris entre 0 (exclu) et 2 ETP"),
    (NORMANDIE, dict(etp=D("-1")), "etp", "compris entre 0 (exclu) et 2 ETP"),
    (NORMANDIE, dict(etp=D("2.01")), "etp", "compris entre 0 (exclu) et 2 ETP"),
    (NORMANDIE, dict(etp=D("0.755")), "etp", "deux décimales au plus"),
    # months
    (NORMANDIE, dict(mois=13), "mois_pourvus", "un nombre entier de 0 à 12"),
    (NORMANDIE, dict(mois=-1), "mois_pourvus", "un nombre entier de 0 à 12"),
    (NORMANDIE, dict(mois=None), "mois_pourvus", "un nombre entier de 0 à 12"),
    # negative, absurd, sub-cent, non-Decimal amounts
    (NORMANDIE, dict(cout_charges=D("-11000")), "cout_charges", "Les charges ne peut pas être négatif"),
    (NORMANDIE, dict(demande_autres=D("-5")), "demande_autres", "ne peut pas être négatif (\u22125 €)"),
    (NORMANDIE, dict(cout_salaire=D("1000000.01")), "cout_salaire", "invraisemblable"),
    (NORMANDIE, dict(demande_ars=D("23000.001")), "demande_ars", "au centime près"),
    (NORMANDIE, dict(demande_ars=23000.0), "demande_ars", "doit être un montant en euros"),
    (NORMANDIE, dict(cout_fonctionnement=D("NaN")), "cout_fonctionnement", "doit être un montant en euros"),
    (NORMANDIE, dict(cout_salaire=D("0"), cout_charges=D("0"), cout_fonctionnement=D("0"), demande_ars=D("0"),
                     demande_collectivite=D("0")),
     "cout_salaire", "doit être supérieur à 0 €"),
])
def test_each_refusal_with_its_field(regle, overrides, field, fragment):
    found = refusals(regle, **overrides)
    assert any(f == field and fragment in m for f, m in found), found


def test_every_refusal_is_reported_at_once():
    found = refusals(GRAND_EST, etp=D("0.4"), demande_ars=D("30000"), demande_collectivite=D("10000"))
    fields = [f for f, _ in found]
    assert fields == ["etp", "demande_collectivite", None]
    # ETP refused: the maximum cannot be computed, but the other rules still answer.
    found = refusals(NORMANDIE, demande_ars=D("30000"), demande_collectivite=D("10000"), demande_autres=D("6000"))
    assert [f for f, _ in found] == ["demande_ars", "demande_collectivite"]


def test_no_equal_share_condition_when_the_rule_has_none():
    regle = Regle(part_egale=False, libelle="Test")
    assert refusals(regle, demande_ars=D("20000"), demande_collectivite=D("19000"), demande_autres=D("7000")) == []


# The statement: what the ARS owes for the actual year, and what it recovers.
@pytest.mark.parametrize("etp,mois,cout_reel,coll,accorde,verse,due,reverser,reste", [
    ("1", 12, "46000", "23000", "23000", "23000", "23000.00", "0.00", "0.00"),      # as planned
    ("1", 12, "40000", "20000", "23000", "23000", "20000.00", "3000.00", "0.00"),   # cheaper than planned
    ("1", 9, "46000", "27250", "23000", "23000", "18750.00", "4250.00", "0.00"),    # 3 months vacant
    ("1", 12, "46000", "21000", "23000", "23000", "21000.00", "2000.00", "0.00"),   # collectivité paid less
    ("1", 12, "60000", "35000", "23000", "11500", "23000.00", "0.00", "11500.00"),  # not paid in full yet
    ("1", 12, "12345.67", "6172.84", "23000", "6172.84", "6172.83", "0.01", "0.00"),
])
def test_statement_table(etp, mois, cout_reel, coll, accorde, verse, due, reverser, reste):
    s = solde(NORMANDIE, etp=D(etp), mois=mois, cout_reel=D(cout_reel), part_collectivite_reelle=D(coll),
              accorde=D(accorde), verse=D(verse))
    assert (s.part_ars_due, s.a_reverser, s.reste_a_verser) == (D(due), D(reverser), D(reste))


def test_statement_explains_recovery():
    s = solde(NORMANDIE, etp=D("1"), mois=9, cout_reel=D("46000"), part_collectivite_reelle=D("27250"),
              accorde=D("23000"), verse=D("23000"))
    assert "Part due par l'ARS : 18 750 €, versé : 23 000 €, à reverser : 4 250 €." in plain(s.explication)
    # French punctuation: a space before each semicolon (« …sur 9 mois; montant accordé » read wrong)
    assert "; " not in plain(s.explication).replace(" ; ", "")
    assert " ; montant accordé : 23 000 €" in plain(s.explication)


# Properties. Input generation is cheap, but the suite runs in parallel workers on loaded machines: no timing checks.
relaxed = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
money = st.decimals(min_value=D("0"), max_value=D("1000000"), places=2, allow_nan=False, allow_infinity=False)
etps = st.decimals(min_value=D("0.01"), max_value=D("2"), places=2, allow_nan=False, allow_infinity=False)
months = st.integers(min_value=0, max_value=12)
rules = st.builds(
    Regle,
    taux=st.decimals(min_value=D("0.01"), max_value=D("1"), places=2),
    plafond_annuel=st.decimals(min_value=D("1000"), max_value=D("100000"), places=2),
    cout_reference=st.decimals(min_value=D("10000"), max_value=D("150000"), places=2),
)


@relaxed
@given(rules, etps, months, money)
def test_never_above_the_cap_nor_the_rate_of_the_cost(regle, etp, mois, cout):
    m = ars_maximum(regle, etp=etp, mois=mois, cout_eligible=cout)
    assert isinstance(m, D) and m.as_tuple().exponent == -2
    assert D("0") <= m <= regle.plafond_annuel
    assert m <= regle.taux * cout
    assert m <= regle.taux * regle.cout_reference * etp * mois / 12


@relaxed
@given(rules, etps, months, money, money)
def test_monotonic_in_cost(regle, etp, mois, a, b):
    lo, hi = sorted([a, b])
    assert ars_maximum(regle, etp=etp, mois=mois, cout_eligible=lo) <= ars_maximum(
        regle, etp=etp, mois=mois, cout_eligible=hi)


@relaxed
@given(rules, etps, etps, months, money)
def test_monotonic_in_etp(regle, a, b, mois, cout):
    lo, hi = sorted([a, b])
    assert ars_maximum(regle, etp=lo, mois=mois, cout_eligible=cout) <= ars_maximum(
        regle, etp=hi, mois=mois, cout_eligible=cout)


@relaxed
@given(rules, etps, months, months, money)
def test_monotonic_in_months(regle, etp, a, b, cout):
    lo, hi = sorted([a, b])
    assert ars_maximum(regle, etp=etp, mois=lo, cout_eligible=cout) <= ars_maximum(
        regle, etp=etp, mois=hi, cout_eligible=cout)


@relaxed
@given(etps, months, money)
def test_exact_decimal_no_float_drift(etp, mois, cout):
    """Equals the exact rational computation truncated to the cent."""
    from fractions import Fraction

    exact = min(Fraction(cout) / 2, Fraction(25000) * Fraction(etp) * mois / 12, Fraction(25000))
    expected = D(int(exact * 100)) / 100 if cout > 0 and mois > 0 else D("0")
    assert ars_maximum(NORMANDIE, etp=etp, mois=mois, cout_eligible=cout) == expected


@relaxed
@given(etps, months, money)
def test_the_maximum_is_always_an_acceptable_request(etp, mois, cout):
    """Requesting exactly the maximum, with the collectivité paying the rest, is never refused."""
    if cout == 0 or cout > D("1000000"):
        return
    maximum = ars_maximum(NORMANDIE, etp=etp, mois=mois, cout_eligible=cout)
    found = validate_demande(NORMANDIE, etp=etp, mois=mois, cout_salaire=cout, cout_charges=D("0"),
                             cout_fonctionnement=D("0"), demande_ars=maximum, demande_collectivite=cout - maximum,
                             demande_autres=D("0"))
    assert found == []


@relaxed
@given(etps, months, money, money, money)
def test_statement_never_recovers_more_than_was_paid(etp, mois, cout, coll, verse):
    s = solde(NORMANDIE, etp=etp, mois=mois, cout_reel=cout, part_collectivite_reelle=coll, accorde=D("25000"),
              verse=min(verse, D("25000")))
    assert D("0") <= s.a_reverser <= s.verse
    assert s.verse - s.a_reverser + s.reste_a_verser == s.part_ars_due
