"""The rule "in force on day D" as plain functions: the SQL twin of `Contract.date_fin` (`q_not_ended_before`,
a range on the signature date per duration) agrees with the end date computed in Python, leap days included."""

import datetime as dt

import pytest

from contracts.enums import Phase
from contracts.models import _first_signature_ending_on_or_after, contract_end, in_force_today, runs_in_year


@pytest.mark.parametrize("years", [3, 4, 5])
def test_the_signature_threshold_matches_the_end_date_around_leap_days(years):
    days = [dt.date(y, m, d) for y in (2023, 2024, 2025, 2027, 2028) for m, d in ((2, 27), (2, 28), (3, 1), (12, 31))]
    days += [dt.date(2024, 2, 29), dt.date(2028, 2, 29), dt.date(2026, 1, 1)]
    for day in days:
        first = _first_signature_ending_on_or_after(day, years)
        for offset in range(-3, 4):
            signed = first + dt.timedelta(days=offset)
            assert (signed >= first) == (contract_end(signed, years) >= day), (day, years, signed)


def test_a_contract_is_in_force_up_to_its_end_date_included():
    # Signed 01/01/2022 for 4 years: ends 31/12/2025.
    assert contract_end(dt.date(2022, 1, 1), 4) == dt.date(2025, 12, 31)
    assert in_force_today(Phase.MISE_EN_OEUVRE, dt.date(2022, 1, 1), 4, dt.date(2025, 12, 31))
    assert not in_force_today(Phase.MISE_EN_OEUVRE, dt.date(2022, 1, 1), 4, dt.date(2026, 1, 1))
    assert not in_force_today(Phase.CLOS, dt.date(2022, 1, 1), 4, dt.date(2025, 6, 30))
    assert not in_force_today(Phase.MISE_EN_OEUVRE, dt.date(2022, 1, 1), 4, dt.date(2021, 12, 31))  # not signed yet


def test_the_years_a_contract_ran_include_the_last_one_after_its_end():
    assert [y for y in range(2020, 2028) if runs_in_year(dt.date(2022, 1, 1), 4, y)] == [2022, 2023, 2024, 2025]
    assert not runs_in_year(None, 5, 2025)
