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


# --- the one rule: quantities formatted explicitly, nothing else localised ---------------------------------

import datetime as dt  # noqa: E402

from django.template import Context, Template  # noqa: E402

from cls_portal.core.formatting import THOUSANDS, css_number, format_date_long, is_plural  # noqa: E402


def _render(source, **context):
    return Template(source).render(Context(context))


def test_one_thousands_separator_everywhere():
    from cls_portal.core import charts

    assert THOUSANDS == NBSP == "\u00a0"
    html = charts.bar_chart([("A", 12000)], title="T")
    assert f"12{NBSP}000" in html and "\u202f" not in html


def test_years_ids_and_css_values_are_never_localised(settings):
    assert settings.USE_THOUSAND_SEPARATOR is False
    html = _render('<option value="{{ year }}">{{ year }}</option><a href="?annee={{ year }}">Année {{ year }}</a>'
                   '<span style="left:{{ left|css }}%">{{ pk }}</span>', year=2025, left=14.2857, pk=12345)
    assert html == ('<option value="2025">2025</option><a href="?annee=2025">Année 2025</a>'
                    '<span style="left:14.29%">12345</span>')


def test_quantities_are_formatted_by_the_filters():
    html = _render("{{ n|nombre }} habitants ; {{ m|euros }} ; {{ r|pourcent:1 }} ; {{ v|nombre:1 }}",
                   n=15500, m=Decimal("23000.5"), r=Decimal("0.4567"), v=Decimal("35.45"))
    assert html == f"15{NBSP}500 habitants ; 23{NBSP}000,50{NBSP}€ ; 45,7{NBSP}% ; 35,5"


@pytest.mark.parametrize("n,expected", [(0, "0 fiche réalisée"), (1, "1 fiche réalisée"),
                                        (2, "2 fiches réalisées"), (1.5, "1,5 fiche réalisée")])
def test_plurals_agree_the_french_way(n, expected):
    html = _render("{{ n|nombre }} fiche{{ n|pluralize }} réalisée{{ n|pluralize }}", n=n)
    assert html == expected


def test_pluralize_keeps_djangos_arguments():
    assert _render('{{ n }} chev{{ n|pluralize:"al,aux" }}', n=3) == "3 chevaux"
    assert _render('{{ n }} chev{{ n|pluralize:"al,aux" }}', n=0) == "0 cheval"
    assert _render("{{ items|length }} contrat{{ items|pluralize }}", items=[1, 2]) == "2 contrats"
    assert is_plural(2) and not is_plural(1) and not is_plural(0) and not is_plural("abc")


def test_dates_for_elus_are_written_out():
    assert format_date_long(dt.date(2026, 3, 1)) == "1er mars 2026"
    assert format_date_long(dt.date(2025, 8, 15)) == "15 août 2025"
    assert _render("{{ d|date_longue }}", d=dt.date(2024, 12, 31)) == "31 décembre 2024"


def test_css_numbers_use_a_point():
    assert css_number(14.285714) == "14.29"
    assert css_number(Decimal("100.00")) == "100"
    assert css_number(None) == "0"
