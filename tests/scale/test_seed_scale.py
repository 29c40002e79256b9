"""seed_scale at a small size: real EPCI perimeters, the promised volumes, repeatable runs."""

import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from actions.models import Axe, FicheAction, Indicateur, SuiviAnnuel, ValeurIndicateur

# seed_scale is a bench command (its app is installed by the bench settings only): run it as an object.
from bench.scale.management.commands.seed_scale import Command as SeedScale
from cls_portal.accounts.models import Role
from cls_portal.territories.models import ARS, EPCI, Commune
from contracts.models import Contract, Meeting
from funding.models import AnneeFinancement

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _seed(**kw):
    with open(os.devnull, "w") as devnull:
        call_command(SeedScale(), contracts=kw.get("contracts", 3), sheets=kw.get("sheets", 5), stdout=devnull)


def _counts():
    scale = Contract.objects.filter(nom__startswith="CLS échelle")
    return {
        "contracts": scale.count(),
        "axes": Axe.objects.filter(contract__in=scale).count(),
        "fiches": FicheAction.objects.filter(contract__in=scale).count(),
        "indicateurs": Indicateur.objects.filter(fiche__contract__in=scale).count(),
        "valeurs": ValeurIndicateur.objects.filter(indicateur__fiche__contract__in=scale).count(),
        "suivis": SuiviAnnuel.objects.filter(fiche__contract__in=scale).count(),
        "réunions": Meeting.objects.filter(contract__in=scale).count(),
        "années": AnneeFinancement.objects.filter(contract__in=scale).count(),
    }


def test_one_contract_per_epci_with_its_real_perimeter_and_the_promised_volumes():
    _seed(contracts=3, sheets=5)
    contracts = list(Contract.objects.filter(nom__startswith="CLS échelle").order_by("pk"))
    assert len(contracts) == 3
    assert len({c.epci_id for c in contracts}) == 3
    for c in contracts:
        perimeter = set(c.communes.values_list("code", flat=True))
        assert perimeter and perimeter == set(Commune.objects.filter(epci_id=c.epci_id).values_list("code", flat=True))
        deps = set(Commune.objects.filter(epci_id=c.epci_id).values_list("departement_id", flat=True))
        assert set(c.delegations.values_list("departement_id", flat=True)) == deps
        assert c.ars.region_id == c.delegations.first().departement.region_id
        assert c.axes.count() == 5
    # The first contract carries 60 sheets (the "big list" page of the benchmark), the others --sheets.
    per_contract = dict(FicheAction.objects.filter(contract__in=contracts).values_list("contract")
                        .annotate(n=Count("id")))
    assert per_contract == {contracts[0].pk: 60, contracts[1].pk: 5, contracts[2].pk: 5}
    counts = _counts()
    assert counts["indicateurs"] == 3 * counts["fiches"] == 3 * 70
    assert counts["valeurs"] == 5 * counts["indicateurs"]
    assert counts["suivis"] == 2 * counts["fiches"]
    assert set(ValeurIndicateur.objects.values_list("annee", flat=True)) == {2021, 2022, 2023, 2024, 2025}
    # Governance and funding: a COPIL and a COTECH meeting each year since signature (2023-2025 kept),
    # a funding year each year, decided and paid for past years, the current one just filed.
    assert Meeting.objects.filter(contract__in=contracts).count() == 3 * 3 * 2
    assert Meeting.objects.filter(contract__in=contracts, revue_annuelle=True).count() == 3 * 3
    years = AnneeFinancement.objects.filter(contract__in=contracts)
    assert years.count() == 9
    assert set(years.filter(annee=2025).values_list("statut", flat=True)) == {"deposee"}
    for year in years.exclude(annee=2025):
        assert year.statut == "decidee" and year.montant_accorde == year.demande_ars == year.total_verse
        assert year.decisions.get().montant_accorde == year.montant_accorde
        assert year.versements.get().montant == year.montant_accorde


def test_generated_accounts_see_their_own_contracts_only():
    _seed(contracts=3, sheets=2)
    from django.contrib.auth import get_user_model

    User = get_user_model()
    contracts = list(Contract.objects.filter(nom__startswith="CLS échelle").order_by("pk"))
    for c in contracts:
        coord = c.coordinators.get()
        assert coord.has_role(Role.COORDINATEUR) and coord.check_password("demo")
        assert list(Contract.objects.visible_to(coord)) == [c]
        dd = User.objects.get(username=f"echelle-dd{c.delegations.first().departement_id}")
        assert c in Contract.objects.visible_to(dd)
        region = User.objects.get(username=f"echelle-region{c.ars.region_id}")
        assert c in Contract.objects.visible_to(region)
        assert not Contract.objects.visible_to(region).exclude(ars__region_id=c.ars.region_id).exists()


def test_second_run_wipes_the_previous_scale_data_and_leaves_other_contracts_alone():
    _seed(contracts=2, sheets=3)
    ars = ARS.objects.order_by("pk").first()
    first_scale = Contract.objects.filter(nom__startswith="CLS échelle").first()
    keep = Contract.objects.create(nom="Contrat local de santé du Pays d'Auge", ars=ars, epci=EPCI.objects.first(),
                                   collectivite=first_scale.collectivite)
    first = _counts()
    _seed(contracts=2, sheets=3)
    assert _counts() == first
    assert Contract.objects.filter(pk=keep.pk).exists()
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(username__startswith="echelle-coord-").count() == 2
    _seed(contracts=4, sheets=3)
    assert _counts()["contracts"] == 4


def test_refuses_production_settings(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        _seed(contracts=1, sheets=1)


def test_epcis_sharing_a_name_get_distinct_organisations():
    """France has homonymous EPCIs (two "CC des Quatre Rivières"): the national run must not trip on them."""
    from django.core.management import call_command as cc

    with open(os.devnull, "w") as devnull:
        cc("import_territories", stdout=devnull)
    first, second = EPCI.objects.order_by("code")[:2]
    EPCI.objects.filter(pk__in=[first.pk, second.pk]).update(nom="CC des Quatre Rivières")
    _seed(contracts=2, sheets=1)
    contracts = list(Contract.objects.filter(nom__startswith="CLS échelle").order_by("pk"))
    assert [c.epci_id for c in contracts] == [first.pk, second.pk]
    assert contracts[0].collectivite_id != contracts[1].collectivite_id
    assert {c.collectivite.nom for c in contracts} == {f"CC des Quatre Rivières ({first.pk})",
                                                       f"CC des Quatre Rivières ({second.pk})"}
