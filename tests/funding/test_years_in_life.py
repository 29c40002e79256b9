"""A funding year exists only within the contract's life and under a rule of its own région (issue 20, item 4)."""

import datetime as dt
import html
from decimal import Decimal as D

import pytest
from django.urls import reverse

from cls_portal.core.errors import DomainError
from contracts.models import Contract
from funding import rules, services
from funding.models import AnneeFinancement, RegleFinancement, rule_for, rule_or_none
from tests.worlds.funding import TODAY

REQUEST = dict(etp=D("1"), mois_pourvus=12, cout_salaire=D("32000"), cout_charges=D("11000"),
               cout_fonctionnement=D("3000"), demande_ars=D("23000"), demande_collectivite=D("23000"),
               demande_autres=D("0"))


def file(tenant, annee, **kw):
    return services.annee_create(actor=tenant.people["coordinateur"], contract=tenant.contract, annee=annee,
                                 today=kw.pop("today", TODAY), **{**REQUEST, **kw})


def set_dates(contract, **dates):
    Contract.objects.filter(pk=contract.pk).update(**dates)
    for k, v in dates.items():
        setattr(contract, k, v)


def refused(tenant, annee, **kw) -> str:
    with pytest.raises(DomainError) as err:
        file(tenant, annee, **kw)
    assert err.value.field == "annee"
    assert not AnneeFinancement.objects.filter(contract=tenant.contract, annee=annee).exists()
    return err.value.message.replace("\u00a0", " ")


def test_a_year_before_the_letter_of_intent_is_refused(world):
    t = world.own
    set_dates(t.contract, date_lettre_intention=dt.date(2022, 9, 1))
    assert "2021 précède la lettre d'intention du contrat (01/09/2022)" in refused(t, 2021)
    assert file(t, 2022).annee == 2022  # the letter's own year is the first one


def test_without_letter_of_intent_the_start_of_the_prealable_counts(world):
    t = world.own  # factory: préalable from 01/01/2023, no letter of intent
    assert t.contract.date_lettre_intention is None
    assert "2022 précède la lettre d'intention du contrat (01/01/2023)" in refused(t, 2022)
    assert file(t, 2023).annee == 2023


def test_a_contract_without_any_start_date_is_refused(world):
    t = world.own
    set_dates(t.contract, date_lettre_intention=None, date_debut_prealable=None, date_signature=None)
    assert "lettre d'intention du contrat n'est pas connue" in refused(t, 2024)


def test_the_year_after_the_end_is_the_last_one(world):
    t = world.own
    # Signed 15/03/2019 for 3 years: ends 14/03/2022; 2023 (final statement) is the last fundable year.
    set_dates(t.contract, date_lettre_intention=dt.date(2018, 6, 1), date_signature=dt.date(2019, 3, 15),
              duree_annees=3, date_debut_prealable=None)
    RegleFinancement.objects.create(region=t.region, valid_from=dt.date(2018, 1, 1), taux=D("0.5"),
                                    plafond_annuel=D("25000"), cout_reference=D("50000"))
    assert file(t, 2023).annee == 2023
    message = refused(t, 2024)
    assert "2024 est après la fin du contrat (14/03/2022)" in message and "2023, celle du bilan final" in message


def test_a_year_before_the_regions_first_rule_is_refused_never_served_by_another_region(world):
    """Grand Est's rule starts in 2020: 2019 is refused, where it used to get Normandie's figures."""
    t = world.other
    set_dates(t.contract, date_lettre_intention=dt.date(2018, 1, 1))
    assert rule_or_none(t.region, 2019) is None
    assert rule_for(world.own.region, 2019 + 1)  # Normandie has a rule; it never serves Grand Est
    message = refused(t, 2019)
    assert "Aucune règle de financement de la région Grand Est ne couvre 2019" in message
    assert "à partir du 01/01/2020" in message


def test_a_region_without_any_rule_is_refused(world):
    t = world.other
    RegleFinancement.objects.filter(region=t.region).delete()
    assert "La région Grand Est n'a pas encore de règle de financement" in refused(t, 2024)


def test_the_first_rule_of_a_region_may_start_in_a_past_year_later_ones_may_not(world):
    t = world.other
    set_dates(t.contract, date_lettre_intention=dt.date(2017, 1, 1))
    RegleFinancement.objects.filter(region=t.region).delete()
    admin = world.users["admin"]
    first = services.regle_create(actor=admin, region=t.region, valid_from=dt.date(2017, 1, 1), taux=D("0.5"),
                                  plafond_annuel=D("25000"), cout_reference=D("50000"), today=TODAY)
    assert rule_for(t.region, 2017).libelle == "Grand Est en vigueur depuis le 01/01/2017"
    assert file(t, 2017).annee == 2017
    with pytest.raises(DomainError) as err:
        services.regle_create(actor=admin, region=t.region, valid_from=dt.date(2018, 1, 1), taux=D("0.5"),
                              plafond_annuel=D("25000"), cout_reference=D("50000"), today=TODAY)
    assert err.value.field == "valid_from" and "année passée" in err.value.message
    assert RegleFinancement.objects.filter(region=t.region).get() == first


def test_the_form_shows_the_refusal_next_to_the_year(client, world):
    t = world.other
    client.force_login(t.people["coordinateur"])
    response = client.post(reverse("funding:year_create", kwargs={"contract_pk": t.contract.pk}),
                           {"annee": 2019, "etp": "1", "mois_pourvus": 12, "cout_salaire": "32000",
                            "cout_charges": "11000", "cout_fonctionnement": "3000", "demande_ars": "23000",
                            "demande_collectivite": "23000", "demande_autres": "0"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "annee" in errors and "2019 précède la lettre d'intention" in errors["annee"][0]
    assert not AnneeFinancement.objects.filter(contract=t.contract, annee=2019).exists()


def test_every_explanation_names_the_rule_applied(client, world):
    t = world.own
    client.force_login(t.people["delegation"])
    page = html.unescape(client.get(reverse("funding:contract", kwargs={"contract_pk": t.contract.pk}))
                         .content.decode()).replace("\u00a0", " ")
    assert "Règle Normandie en vigueur depuis le 01/01/2020 : 50 %" in page
    regle = rule_for(t.region, 2025)
    too_much = rules.validate_demande(regle, etp=D("1"), mois=12, cout_salaire=D("60000"), cout_charges=D("0"),
                                      cout_fonctionnement=D("0"), demande_ars=D("30000"),
                                      demande_collectivite=D("30000"), demande_autres=D("0"))
    assert any("Règle Normandie en vigueur depuis le 01/01/2020" in r.message for r in too_much)
    s = rules.solde(regle, etp=D("1"), mois=12, cout_reel=D("40000"), part_collectivite_reelle=D("20000"),
                    accorde=D("20000"), verse=D("20000"))
    assert s.explication.startswith("Règle Normandie en vigueur depuis le 01/01/2020 ; part ARS du coût réel")


@pytest.mark.parametrize(("year", "ok"), [(2022, False), (2023, True), (2027, True), (2028, False)])
def test_years_of_the_contract_as_a_pure_function(year, ok):
    """Préalable from 2023, signed 15/03/2024 for 5 years (ends 14/03/2029), today 01/06/2026: 2023..2027."""
    refusal = rules.annee_refusal(year, debut=dt.date(2023, 1, 1), fin=dt.date(2029, 3, 14), today=TODAY,
                                  region_nom="Normandie", premiere_regle=dt.date(2020, 1, 1))
    assert (refusal is None) is ok


def test_a_year_filed_before_the_rule_existed_still_shows_and_says_why_it_has_no_maximum(client, world):
    """A year saved before these checks (or by an old import) under no rule of its région: pages show it with
    the reason, never with another région's figures, and never answer 500."""
    from funding.selectors import post_year_summary

    t = world.own
    old = AnneeFinancement.objects.create(contract=t.contract, annee=2019, etp=D("1"), mois_pourvus=12,
                                          cout_salaire=D("46000"), cout_charges=D("0"), cout_fonctionnement=D("0"),
                                          demande_ars=D("23000"), demande_collectivite=D("23000"))
    client.force_login(t.people["delegation"])
    page = html.unescape(client.get(reverse("funding:contract", kwargs={"contract_pk": t.contract.pk}))
                         .content.decode())
    assert "Aucune règle de financement de la région Normandie ne couvre 2019" in page
    assert "Aucune règle de financement de la région Normandie ne couvre 2019" in post_year_summary(
        t.contract, 2019)["regle"]
    services.annee_instruct(actor=t.people["delegation"], annee_id=old.pk, expected_version=None)
    decide = client.get(reverse("funding:year_decide", kwargs={"pk": old.pk}))
    assert decide.status_code == 200 and "ne couvre 2019" in html.unescape(decide.content.decode())
