from decimal import Decimal

import pytest

from cls_portal.core.formatting import NBSP, format_euros, format_number, format_percent


@pytest.mark.parametrize("value,expected", [
    (Decimal("25000"), f"25{NBSP}000{NBSP}€"),
    (Decimal("12500.50"), f"12{NBSP}500,50{NBSP}€"),
    (Decimal("0"), f"0{NBSP}€"),
    (Decimal("-1234.5"), f"-1{NBSP}234,50{NBSP}€"),
    (Decimal("999.999"), f"1{NBSP}000{NBSP}€"),
])
def test_euros(value, expected):
    assert format_euros(value) == expected


def test_numbers_and_percent():
    assert format_number(1234567) == f"1{NBSP}234{NBSP}567"
    assert format_number(Decimal("1234.50")) == f"1{NBSP}234,5"
    assert format_percent(Decimal("0.5")) == f"50{NBSP}%"
    assert format_euros(None) == ""
