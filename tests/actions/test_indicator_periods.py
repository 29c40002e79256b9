"""Indicators collected by semester, quarter or month (issue 21 item 8): one value per period, the year's figure
their aggregate (sum, last period or mean, by the indicator's `agregation`), periods not begun refused, the
frequency kept once periods are entered, a line of history for each change."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from actions import periods, selectors, services
from actions.enums import Agregation, Avancement, Frequence
from actions.models import FicheAction, Indicateur, ValeurIndicateur, ValeurPeriode
from cls_portal.core.errors import DomainError
from cls_portal.core.history import history_for
from tests.actions.factories import IndicateurFactory
from tests.actions.test_fiche_form import _management, _payload

pytestmark = pytest.mark.django_db

MAY_2026 = dt.date(2026, 5, 10)


@pytest.fixture
def may_2026(monkeypatch):
    monkeypatch.setattr("actions.services.period_today", lambda: MAY_2026)
    return MAY_2026


def test_period_labels_in_french():
    assert periods.period_label(Frequence.SEMESTRIELLE, 2025, 1) == "1er semestre 2025"
    assert periods.period_label(Frequence.TRIMESTRIELLE, 2025, 2) == "2e trimestre 2025"
    assert periods.period_label(Frequence.MENSUELLE, 2025, 3) == "mars 2025"
    assert [periods.periods_per_year(f) for f in Frequence] == [0, 2, 4, 12, 0]


def test_aggregation_sum_last_or_mean_and_completeness():
    values = {1: D("10"), 2: D("20"), 4: D("35")}
    assert periods.aggregate(Agregation.SOMME, values) == D("65")
    assert periods.aggregate(Agregation.DERNIERE, values) == D("35")  # the 4th quarter, not the 3rd missing one
    assert periods.aggregate(Agregation.MOYENNE, values) == D("21.67")
    assert periods.aggregate(Agregation.SOMME, {}) is None
    assert periods.completeness(3, Frequence.TRIMESTRIELLE) == "3 périodes sur 4 renseignées"
    assert periods.completeness(1, Frequence.MENSUELLE) == "1 période sur 12 renseignée"
    assert periods.completeness(4, Frequence.TRIMESTRIELLE) == ""
    assert periods.completeness(None, Frequence.TRIMESTRIELLE) == ""  # a value entered for the whole year


def test_import_period_codes():
    assert periods.parse_period(Frequence.TRIMESTRIELLE, "T2") == 2
    assert periods.parse_period(Frequence.TRIMESTRIELLE, " t4 ") == 4
    assert periods.parse_period(Frequence.TRIMESTRIELLE, "T5") is None
    assert periods.parse_period(Frequence.MENSUELLE, "Mars") == 3
    assert periods.parse_period(Frequence.SEMESTRIELLE, "S2") == 2
    assert periods.parse_period(Frequence.ANNUELLE, "T1") is None


def _save(world, ind, annee, values, today, commentaire=""):
    fiche = ind.fiche
    return services.suivi_save(actor=world.own.people["coordinateur"], fiche=fiche, annee=annee,
                               data={"avancement": Avancement.EN_COURS},
                               valeurs={ind.pk: {"periodes": values, "commentaire": commentaire}}, today=today)


def test_quarters_make_the_year_and_each_change_is_in_history(world):
    ind = IndicateurFactory(fiche=world.own.fiche_validee, libelle="Personnes reçues",
                            frequence=Frequence.TRIMESTRIELLE)
    _save(world, ind, 2025, {1: D("10"), 2: D("20"), 3: D("30"), 4: None}, dt.date(2026, 1, 5))
    year = ValeurIndicateur.objects.get(indicateur=ind, annee=2025)
    assert (year.valeur, year.periodes_renseignees) == (D("60"), 3)
    assert ValeurPeriode.objects.filter(indicateur=ind, annee=2025).count() == 3
    _save(world, ind, 2025, {1: D("10"), 2: D("25"), 3: D("30"), 4: D("40")}, dt.date(2026, 1, 5))
    year.refresh_from_db()
    assert (year.valeur, year.periodes_renseignees) == (D("105"), 4)
    entry = history_for(world.own.fiche_validee).first()
    assert entry.changes["indicateur Personnes reçues, 2e trimestre 2025"] == ["20", "25"]
    assert entry.changes["indicateur Personnes reçues (2025)"] == ["60", "105"]
    # the year's figure is what the charts, the summary and the reports read
    _, rows = selectors.indicator_summary(world.own.contract, today=dt.date(2026, 1, 5))
    row = next(r for r in rows if r.indicateur == ind)
    assert row.values[1] == D("105") and row.notes[1] == ""
    # every period cleared: the year's figure made from them goes too
    _save(world, ind, 2025, {1: None, 2: None, 3: None, 4: None}, dt.date(2026, 1, 5))
    assert not ValeurIndicateur.objects.filter(indicateur=ind, annee=2025).exists()


def test_a_rate_keeps_its_last_period_and_the_summary_says_the_year_is_incomplete(world):
    ind = IndicateurFactory(fiche=world.own.fiche_validee, libelle="Taux de dépistage", unite="%",
                            frequence=Frequence.SEMESTRIELLE, agregation=Agregation.DERNIERE)
    _save(world, ind, 2026, {1: D("41.5")}, MAY_2026)
    assert ValeurIndicateur.objects.get(indicateur=ind, annee=2026).valeur == D("41.5")
    _, rows = selectors.indicator_summary(world.own.contract, today=MAY_2026)
    row = next(r for r in rows if r.indicateur == ind)
    assert row.notes[-1] == "1 période sur 2 renseignée" and row.last == D("41.5")


def test_a_period_not_begun_is_refused(world):
    ind = IndicateurFactory(fiche=world.own.fiche_validee, frequence=Frequence.TRIMESTRIELLE)
    with pytest.raises(DomainError) as err:
        _save(world, ind, 2026, {2: D("5"), 3: D("5")}, MAY_2026)
    assert "« 3e trimestre 2026 » n'a pas encore commencé" in err.value.message
    assert err.value.field == f"periode_{ind.pk}_3"
    assert not ValeurPeriode.objects.filter(indicateur=ind).exists()


def test_the_follow_up_form_has_a_field_per_period_and_says_the_future_one_next_to_it(client, world, may_2026):
    fiche = world.own.fiche_validee
    ind = IndicateurFactory(fiche=fiche, libelle="Ateliers tenus", frequence=Frequence.TRIMESTRIELLE)
    url = reverse("actions:suivi_edit", kwargs={"pk": fiche.pk, "annee": 2026})
    client.force_login(world.own.people["pilote"])
    page = client.get(url).content.decode()
    assert "1er trimestre 2026" in page and "4e trimestre 2026" in page and "Période à venir" in page
    r = client.post(url, {"avancement": Avancement.EN_COURS, "version": 0, f"periode_{ind.pk}_1": "3",
                          f"periode_{ind.pk}_3": "4"})
    assert r.status_code == 200
    assert "n'a pas encore commencé" in r.context["form"].errors[f"periode_{ind.pk}_3"][0]
    r = client.post(url, {"avancement": Avancement.EN_COURS, "version": 0, f"periode_{ind.pk}_1": "3",
                          f"periode_{ind.pk}_2": "4,5"})
    assert r.status_code == 302
    year = ValeurIndicateur.objects.get(indicateur=ind, annee=2026)
    assert (year.valeur, year.periodes_renseignees) == (D("7.5"), 2)
    page = client.get(url).content.decode()
    assert "2 périodes sur 4 renseignées" in page and 'value="4,5"' in page
    detail = client.get(reverse("actions:fiche_detail", kwargs={"pk": fiche.pk})).content.decode()
    assert "2 périodes sur 4 renseignées" in detail


def _sheet_with(client, world, **indicator):
    """A sheet created through the form, its indicator as given; returns (sheet, indicator, edit POST)."""
    own = world.own
    client.force_login(own.people["coordinateur"])
    r = client.post(reverse("actions:fiche_create", kwargs={"contract_pk": own.contract.pk}), _payload(own))
    assert r.status_code == 302
    fiche = FicheAction.objects.get(titre="Bus santé itinérant")
    ind = fiche.indicateurs.get()
    Indicateur.objects.filter(pk=ind.pk).update(**indicator)

    def post(**changes):
        data = _payload(own, version=FicheAction.objects.get(pk=fiche.pk).version, **{
            "indicateurs-0-id": ind.pk, "lignes_budget-0-id": fiche.lignes_budget.get().pk,
            "financements-0-id": fiche.financements.get().pk, "jalons-0-id": fiche.jalons.get().pk,
            **{f"indicateurs-0-{k}": v for k, v in changes.items()}})
        return client.post(reverse("actions:fiche_edit", kwargs={"pk": fiche.pk}), _management(data, fiche))
    return fiche, ind, post


def _row_errors(r, field):
    return [e for sub in r.context["formsets"][-1]["formset"].forms for e in sub.errors.get(field, [])]


def test_frequency_is_kept_once_periods_are_entered_and_a_new_mode_recomputes_the_years(client, world):
    fiche, ind, post = _sheet_with(client, world, frequence=Frequence.TRIMESTRIELLE, libelle="Appels reçus")
    ValeurPeriode.objects.create(indicateur=ind, annee=2025, periode=1, valeur=D("10"))
    ValeurPeriode.objects.create(indicateur=ind, annee=2025, periode=2, valeur=D("30"))
    ValeurIndicateur.objects.create(indicateur=ind, annee=2025, valeur=D("40"), periodes_renseignees=2)
    r = post(libelle="Appels reçus", frequence=Frequence.ANNUELLE)
    assert r.status_code == 200
    errors = _row_errors(r, "frequence")
    assert errors and "ne peut plus changer" in errors[0] and "2025" in errors[0]
    assert Indicateur.objects.get(pk=ind.pk).frequence == Frequence.TRIMESTRIELLE
    # the service refuses it too (another caller than the form)
    ind.refresh_from_db()
    row = {"id": ind, "DELETE": False, **{f: getattr(ind, f) for f in services.CHILDREN["indicateurs"][1]},
           "frequence": Frequence.MENSUELLE}
    with pytest.raises(DomainError):
        services._sync_children(fiche, {"indicateurs": [row]})
    # a new aggregation mode: the years made from periods are computed again, and history says so
    r = post(libelle="Appels reçus", frequence=Frequence.TRIMESTRIELLE, agregation=Agregation.MOYENNE)
    assert r.status_code == 302
    assert ValeurIndicateur.objects.get(indicateur=ind, annee=2025).valeur == D("20")
    assert history_for(fiche).first().changes["indicateur Appels reçus (2025)"] == ["40", "20"]


def test_a_percentage_is_not_summed(client, world):
    _, _, post = _sheet_with(client, world)
    r = post(unite="%", frequence=Frequence.TRIMESTRIELLE, agregation=Agregation.SOMME)
    assert r.status_code == 200
    errors = _row_errors(r, "agregation")
    assert errors and "ne s'additionne pas" in errors[0]
    assert post(unite="%", frequence=Frequence.TRIMESTRIELLE, agregation=Agregation.DERNIERE).status_code == 302


def test_the_follow_up_form_reads_a_constant_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fiche = world.own.fiche_validee
    url = reverse("actions:suivi_edit", kwargs={"pk": fiche.pk, "annee": 2025})
    client.force_login(world.own.people["coordinateur"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    ind = IndicateurFactory(fiche=fiche, frequence=Frequence.MENSUELLE)
    ValeurPeriode.objects.create(indicateur=ind, annee=2025, periode=1, valeur=D("1"))
    client.get(url)
    before = count()
    for _ in range(4):
        ind = IndicateurFactory(fiche=fiche, frequence=Frequence.TRIMESTRIELLE)
        for n in (1, 2, 3):
            ValeurPeriode.objects.create(indicateur=ind, annee=2025, periode=n, valeur=D(n))
    assert count() == before
