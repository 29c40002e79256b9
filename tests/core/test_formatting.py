from decimal import Decimal

import pytest

from cls_portal.core.formatting import MINUS, NBSP, format_euros, format_number, format_percent


@pytest.mark.parametrize("value,expected", [
    (Decimal("25000"), f"25{NBSP}000{NBSP}€"),
    (Decimal("12500.50"), f"12{NBSP}500,50{NBSP}€"),
    (Decimal("0"), f"0{NBSP}€"),
    (Decimal("-1234.5"), f"{MINUS}1{NBSP}234,50{NBSP}€"),
    (Decimal("-8100"), f"{MINUS}8{NBSP}100{NBSP}€"),
    (Decimal("-0.001"), f"0{NBSP}€"),
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


# --- negative quantities: the minus sign for people, ASCII for machines ------------------------------------------

def test_people_read_a_minus_sign_with_the_same_spaces_as_a_positive_amount():
    assert MINUS == "\u2212"
    assert format_euros(Decimal("-8100")) == "\u22128\u00a0100\u00a0€"
    assert format_euros(Decimal("-8100")) == MINUS + format_euros(Decimal("8100"))
    assert format_number(Decimal("-1234567.5")) == f"{MINUS}1{NBSP}234{NBSP}567,5"
    assert format_percent(Decimal("-0.05")) == f"{MINUS}5{NBSP}%"
    html = _render("{{ e|euros }} ; {{ n|nombre }}", e=Decimal("-19400"), n=-3)
    assert html == f"{MINUS}19{NBSP}400{NBSP}€ ; {MINUS}3" and "-" not in html


def test_machines_read_ascii():
    from cls_portal.core.exports import _csv_text, _xlsx_cell
    from cls_portal.core.formatting import spreadsheet_number

    assert spreadsheet_number(Decimal("-8100.5")) == "-8100,5"
    assert _csv_text(Decimal("-8100")) == "-8100"
    assert _xlsx_cell(Decimal("-8100")) == Decimal("-8100")  # a number cell, not text
    assert css_number(-1.5) == "-1.5" and _render("{{ x|css }}", x=-14.2857) == "-14.29"


def test_a_form_shows_a_negative_value_in_ascii_and_reads_back_what_a_page_prints():
    from django import forms

    from cls_portal.core.fields import FrenchDecimalField
    from cls_portal.core.validation import PortalForm

    class F(PortalForm):
        valeur = forms.DecimalField(max_digits=14, decimal_places=2, localize=True)
        montant = FrenchDecimalField()

    form = F(initial={"valeur": Decimal("-8100.50"), "montant": Decimal("-12")})
    html = str(form["valeur"]) + str(form["montant"])
    assert 'value="-8100,50"' in html and 'value="-12"' in html and MINUS not in html
    for typed in ("−8 100", "-8100", format_number(Decimal("-8100")), format_euros(Decimal("-8100"))):
        form = F({"valeur": typed, "montant": typed})
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data == {"valeur": Decimal("-8100"), "montant": Decimal("-8100")}


def test_every_font_of_the_pages_and_pdfs_has_the_minus_sign():
    import glob
    from pathlib import Path

    import dsfr
    from django.conf import settings
    from fontTools.ttLib import TTFont

    fonts = [*glob.glob(str(Path(settings.BASE_DIR) / "static/reports/fonts/*.[wt][ot][ff]*")),
             *glob.glob(str(Path(dsfr.__file__).parent / "static/dsfr/dist/fonts/Marianne-*.woff2"))]
    assert len(fonts) >= 8
    for path in fonts:
        cmap = TTFont(path).getBestCmap()
        assert ord(MINUS) in cmap and ord(NBSP) in cmap, path


def test_a_count_agrees_with_its_words_the_french_way():
    from cls_portal.core.formatting import count_label

    assert count_label(0, "contrat importé", "contrats importés") == "0 contrat importé"
    assert count_label(1, "fiche soumise", "fiches soumises") == "1 fiche soumise"
    assert count_label(2, "fiche soumise", "fiches soumises") == "2 fiches soumises"
    assert count_label(1234, "contrat") == f"1{NBSP}234 contrats"
