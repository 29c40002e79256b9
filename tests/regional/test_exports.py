"""Exports: the columns the user picks, the filters of the list, only what the user may see."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Indicateur, ValeurIndicateur
from contracts.enums import Phase
from tests import factories as f


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def xlsx_rows(response):
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_contract_export_with_picked_columns_and_list_filters(client, world):
    own = world.own
    f.ContractFactory(nom="CLS en diagnostic", diagnostic=True, ars=own.delegation.ars, delegations=[own.delegation],
                      communes=[f.CommuneFactory(departement=own.departement, population=500)])
    f.ContractFactory(nom="CLS avec CLSM", clsm=True, ars=own.delegation.ars, delegations=[own.delegation],
                      communes=[f.CommuneFactory(departement=own.departement, population=700)])
    client.force_login(own.people["region"])

    # The list page's export form carries the list's filters.
    html = client.get(reverse("regional:contracts") + "?actif=1&clsm=oui").content.decode()
    assert '<input type="hidden" name="actif" value="1">' in html
    assert '<input type="hidden" name="clsm" value="oui">' in html

    url = reverse("regional:contracts_export")
    rows = csv_rows(client.get(url + "?actif=1&clsm=oui&format=csv&colonnes=nom&colonnes=population&colonnes=clsm"))
    assert rows == [["Contrat", "Population", "CLSM"], ["CLS avec CLSM", "700", "oui"]]

    rows = xlsx_rows(client.get(url + "?actif=1&format=xlsx&colonnes=nom&colonnes=phase&colonnes=departements"))
    assert rows[0] == ["Contrat", "Département(s)", "Phase"]  # in the columns' order
    assert sorted(r[0] for r in rows[1:]) == ["CLS avec CLSM", own.contract.nom]
    assert all(r[2] == Phase.MISE_EN_OEUVRE.label and r[1] == "Calvados" for r in rows[1:])
    # Without a choice, the default columns.
    header = csv_rows(client.get(url))[0]
    assert header[:3] == ["Contrat", "Collectivité porteuse", "ARS"] and "Durée (années)" not in header


@pytest.mark.django_db
def test_exports_are_scoped_to_what_the_user_sees(client, world):
    client.force_login(world.own.people["coordinateur"])
    names = {r[0] for r in csv_rows(client.get(reverse("regional:contracts_export")))[1:]}
    assert names == {world.own.contract.nom}
    fiches = {r[0] for r in csv_rows(client.get(reverse("regional:fiches_export")))[1:]}
    assert fiches == {world.own.contract.nom}
    # A filter naming another tenant's contract yields nothing, not their rows.
    rows = csv_rows(client.get(reverse("regional:fiches_export") + f"?contrat={world.other.contract.pk}"))
    assert rows[1:] == []


@pytest.mark.django_db
def test_fiche_export_follows_status_filter(client, world):
    client.force_login(world.own.people["delegation"])
    rows = csv_rows(client.get(reverse("regional:fiches_export")
                               + "?statut=validee&format=csv&colonnes=code&colonnes=titre&colonnes=statut"))
    assert rows[0] == ["Fiche", "Titre", "Statut"]
    assert {r[1] for r in rows[1:]} == {world.own.fiche_validee.titre, world.own.fiche_autre.titre}
    assert {r[2] for r in rows[1:]} == {"Validée"}


def test_a_pre_existing_action_is_said_in_the_sheet_export(client, world):
    """« certaines actions préexistantes peuvent intégrer le plan d'action » (fiche pratique n°5)."""
    world.own.fiche_validee.preexistante = True
    world.own.fiche_validee.save(update_fields=["preexistante"])
    client.force_login(world.own.people["delegation"])
    rows = csv_rows(client.get(reverse("regional:fiches_export")
                               + "?statut=validee&format=csv&colonnes=titre&colonnes=preexistante"))
    assert rows[0] == ["Titre", "Action préexistante"]
    assert {r[0]: r[1] for r in rows[1:]} == {world.own.fiche_validee.titre: "oui", world.own.fiche_autre.titre: "non"}


@pytest.mark.django_db
def test_indicator_export_has_a_column_per_year_of_values(client, world):
    fiche = world.own.fiche_validee
    ind = Indicateur.objects.get(fiche=fiche)
    ValeurIndicateur.objects.create(indicateur=ind, annee=2024, valeur=Decimal("12.5"))
    ValeurIndicateur.objects.create(indicateur=ind, annee=2025, valeur=Decimal("40"))
    client.force_login(world.own.people["coordinateur"])
    url = reverse("regional:indicateurs_export") + f"?q={fiche.titre}&format=xlsx"
    rows = xlsx_rows(client.get(url))
    assert rows[0][-2:] == ["Valeur 2024", "Valeur 2025"]
    assert len(rows) == 2 and rows[1][2] == "Nombre de consultations"
    assert rows[1][-2:] == [12.5, 40]
    csv_text = csv_rows(client.get(url.replace("xlsx", "csv")))
    assert csv_text[1][-2:] == ["12,50", "40,00"]
    html = client.get(reverse("regional:indicateurs") + f"?q={fiche.titre}").content.decode()
    assert "2024 : 12,5 ; 2025 : 40" in html


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["regional:fiches", "regional:indicateurs"])
def test_list_query_counts_do_not_grow(client, world, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.own.people["coordinateur"])
    counts = []
    for n in (3, 20):
        for _ in range(n):
            fiche = f.FicheActionFactory(axe=f.AxeFactory(contract=world.own.contract), validee=True)
            ind = Indicateur.objects.create(fiche=fiche, libelle="Indicateur")
            ValeurIndicateur.objects.create(indicateur=ind, annee=2025, valeur=1)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(url_name)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_a_multi_departement_contract_shows_its_population_per_departement(client):
    """Listed under each of its départements, with its population split; counted once in the coverage totals."""
    import datetime as dt

    from cls_portal.accounts.models import Role
    from regional.coverage import coverage

    region = f.RegionFactory(code="28", nom="Normandie")
    cal = f.DepartementFactory(code="14", nom="Calvados", region=region)
    man = f.DepartementFactory(code="50", nom="Manche", region=region)
    dd14, dd50 = f.DelegationFactory(departement=cal), f.DelegationFactory(departement=man)
    both = f.ContractFactory(nom="CLS du Bocage", ars=dd14.ars, delegations=[dd14, dd50],
                             communes=[f.CommuneFactory(departement=cal, population=3000),
                                       f.CommuneFactory(departement=man, population=1200)])
    client.force_login(f.with_role(f.UserFactory(), Role.REGION, region=region))
    url = reverse("regional:contracts")
    for dep in ("14", "50"):
        page = client.get(url, {"departement": dep})
        assert [c.pk for c in page.context["page_obj"]] == [both.pk]
    html = client.get(url).content.decode().replace("\u00a0", " ")
    assert "Calvados : 3 000 ; Manche : 1 200" in html
    export = client.get(reverse("regional:contracts_export"),
                        {"format": "csv", "colonnes": ["nom", "population", "population_departements"]})
    text = b"".join(export.streaming_content).decode("utf-8-sig").replace("\u00a0", " ")
    assert "Calvados : 3 000 ; Manche : 1 200" in text
    cov = coverage(region_code="28", at=dt.date(2025, 1, 1))
    assert cov.total.covered == 4200 and {d.code: d.covered for d in cov.departements} == {"14": 3000, "50": 1200}


@pytest.mark.django_db
def test_the_regional_lists_search_names_without_accents(client, world):
    """« evreux » finds « CLS d'Évreux » in the regional contract list, its sheets and their indicators
    (the names' folded column, `nom_recherche`)."""
    own = world.own
    contract = f.ContractFactory(nom="CLS d'Évreux Portes de Normandie", ars=own.delegation.ars,
                                 delegations=[own.delegation],
                                 communes=[f.CommuneFactory(departement=own.departement, population=500)])
    fiche = f.FicheActionFactory(contract=contract, titre="Prévenir les chutes à domicile")
    Indicateur.objects.create(fiche=fiche, libelle="Nombre d'ateliers d'équilibre")
    client.force_login(own.people["region"])
    for url in ("regional:contracts", "regional:fiches", "regional:indicateurs"):
        html = client.get(reverse(url), {"q": "EVREUX portes"}).content.decode()
        assert "Évreux Portes de Normandie" in html, url
        html = client.get(reverse(url), {"q": "evreux sud"}).content.decode()
        assert "Évreux Portes de Normandie" not in html, url
        html = client.get(reverse(url), {"q": "--"}).content.decode()  # punctuation alone names nothing
        assert "Évreux Portes de Normandie" not in html, url
    # Sheet titles and indicator labels likewise.
    for url, typed in (("regional:fiches", "prevenir les chutes a domicile"),
                       ("regional:indicateurs", "ateliers d equilibre")):
        html = client.get(reverse(url), {"q": typed}).content.decode()
        assert "Prévenir les chutes à domicile" in html, url


@pytest.mark.django_db
def test_xlsx_dates_are_dates_shown_the_french_way(client, world):
    """The regional export wrote « 01/07/2022 » as text: a spreadsheet sorted the signatures by day of the month
    and could not filter them by year. Dates are date cells now, formatted JJ/MM/AAAA; the CSV keeps the text."""
    import datetime as dt

    contract = world.own.contract
    client.force_login(world.own.people["region"])
    url = reverse("regional:contracts_export") + "?format=xlsx&colonnes=nom&colonnes=date_signature&colonnes=date_fin"
    ws = load_workbook(io.BytesIO(client.get(url).content)).worksheets[0]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == contract.nom)
    assert row[1].value == dt.datetime.combine(contract.date_signature, dt.time())  # openpyxl reads datetimes
    assert row[1].number_format == "DD/MM/YYYY" and row[2].number_format == "DD/MM/YYYY"
    rows = csv_rows(client.get(url.replace("xlsx", "csv")))
    assert [r[1] for r in rows if r[0] == contract.nom] == [contract.date_signature.strftime("%d/%m/%Y")]
