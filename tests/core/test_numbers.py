"""One French number parser (cls_portal.core.numbers) for every numeric field."""

from decimal import Decimal

import pytest

from cls_portal.core.numbers import NumberError, parse_decimal, parse_integer


@pytest.mark.parametrize("text,expected", [
    ("35,5", "35.5"), ("35.5", "35.5"), ("25 000,50 €", "25000.50"), ("25\u00a0000,50\u00a0€", "25000.50"),
    ("25\u202f000", "25000"), ("-0,01", "-0.01"), ("+12", "12"), ("50 %", "50"), ("  7 ", "7"),
    # the minus sign the pages print (U+2212), as typed or copied from a page
    ("\u22128 100", "-8100"), ("\u22128\u00a0100,50\u00a0€", "-8100.50"), ("\u2212 3", "-3"),
])
def test_french_numbers_are_read(text, expected):
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["1_000", "١٢٣", "۱۲", "1e308", "NaN", "Infinity", "²", "12,5,3", "1.234,5",
                                  "", "€", "0x10", "1" * 41, "--1", "3,",
                                  "\u2212\u22121", "-\u22121", "\u2212-1", "1\u2212", "\u2212"])
def test_what_python_accepts_but_a_french_form_must_not(text):
    with pytest.raises(NumberError):
        parse_decimal(text)


def test_integers():
    assert parse_integer("2 025") == 2025
    assert parse_integer("\u22123") == -3
    for text in ("2025,5", "1_000", "٢٠٢٥", "²", "1e3"):
        with pytest.raises(NumberError):
            parse_integer(text)


def test_too_many_digits_for_the_field():
    with pytest.raises(NumberError, match="trop grand"):
        parse_decimal("1" * 13, max_digits=12)


@pytest.mark.parametrize("text", ["1e5", "1E+5", "2,5e-3", "-3e2"])
def test_an_exponent_is_refused_with_its_own_words(text):
    with pytest.raises(NumberError) as err:
        parse_decimal(text)
    assert err.value.code == "exponent" and "sans exposant" in str(err.value)


def test_a_form_shows_a_quantity_back_as_people_read_it_and_the_parser_reads_it_again():
    from cls_portal.core.formatting import form_number

    for stored in (Decimal("34.00"), Decimal("100000.00"), Decimal("12.50"), Decimal("-8100.25")):
        shown = form_number(stored)
        assert parse_decimal(shown) == stored
    assert [form_number(Decimal(v)) for v in ("34.00", "100000.00", "-5.00")] == ["34", "100\u00a0000", "-5"]
