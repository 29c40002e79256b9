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


def test_closed_contracts_ran_their_course_and_carry_a_dated_closure():
    """One contract in ten is closed: signed in 2019 or 2020 for 5 years, closed in 2024 or 2025 by the délégation on
    its coordinator's proposal, with the rows the closure service writes. The figures of a date and a year's report
    campaign read that closure: one closed during 2025 still owes its 2025 reports, one closed before does not."""
    import datetime as dt

    from django.utils import timezone

    from cls_portal.core.history import history_for, sentence
    from contracts.enums import ContractEvent, Phase, ProposalStatus
    from contracts.models import PhaseTransition, contract_end, q_closed_at, q_in_force
    from reports.services import campaign_contracts

    _seed(contracts=30, sheets=1)
    scale = Contract.objects.filter(nom__startswith="CLS échelle")
    closed = list(scale.filter(phase=Phase.CLOS).order_by("pk"))
    assert len(closed) == 3
    closures = {}
    for c in closed:
        record = PhaseTransition.objects.get(contract=c)
        assert (record.transition, record.from_phase, record.to_phase) == ("clore", Phase.EVALUATION_FINALE, Phase.CLOS)
        assert record.actor == c.referent and record.actor is not None
        proposal = record.proposal
        assert proposal.status == ProposalStatus.ACCEPTED and proposal.proposed_by == c.coordinators.get()
        assert proposal.decided_at == record.at and proposal.proposed_at < record.at
        day = timezone.localdate(record.at)
        closures[c.pk] = day
        end = contract_end(c.date_signature, c.duree_annees)
        # Closed once its final evaluation is done: in its last year at the earliest.
        assert end.replace(year=end.year - 1) < day
        assert f"{c.date_signature.year}-{c.date_signature.year + 4}" in c.nom
        lines = history_for(c).filter(action=ContractEvent.PHASE_CHANGEE)
        assert [(sentence(line), line.at) for line in lines] == [
            (f"Contrat passé en « Clos » par {c.referent.get_full_name()}", record.at)]
        assert history_for(proposal).get(action=ContractEvent.PROPOSITION_TRANSMISE).at == proposal.proposed_at
    assert sorted((c.date_signature, closures[c.pk]) for c in closed) == [
        (dt.date(2019, 3, 15), dt.date(2024, 6, 27)), (dt.date(2020, 3, 15), dt.date(2024, 12, 12)),
        (dt.date(2020, 3, 15), dt.date(2025, 6, 26))]
    during_2025 = next(c for c in closed if closures[c.pk].year == 2025)

    # The 2025 campaign: the signed contracts not closed before 2025, the one closed during 2025 among them.
    campaign = {c.pk for c in campaign_contracts(year=2025)} & set(scale.values_list("pk", flat=True))
    signed_open = set(scale.filter(phase__in=[Phase.MISE_EN_OEUVRE, Phase.EVALUATION_FINALE])
                      .values_list("pk", flat=True))
    assert campaign == signed_open | {during_2025.pk}
    # Closed at the date of its closure, not before.
    for c in closed:
        assert scale.filter(q_closed_at(closures[c.pk]), pk=c.pk).exists()
        assert not scale.filter(q_closed_at(closures[c.pk] - dt.timedelta(days=1)), pk=c.pk).exists()
    assert scale.filter(q_in_force(dt.date(2024, 12, 1)), pk=during_2025.pk).exists()
    assert not scale.filter(q_in_force(dt.date(2025, 12, 1)), phase=Phase.CLOS).exists()

    # Nothing of a closed contract is dated after the year of its closure.
    for c in closed:
        after = closures[c.pk].year + 1
        assert not Meeting.objects.filter(contract=c, date__year__gte=after).exists()
        assert not AnneeFinancement.objects.filter(contract=c, annee__gte=after).exists()
        assert not SuiviAnnuel.objects.filter(fiche__contract=c, annee__gte=after).exists()
        assert not ValeurIndicateur.objects.filter(indicateur__fiche__contract=c, annee__gte=after).exists()
        assert set(AnneeFinancement.objects.filter(contract=c).values_list("statut", flat=True)) == {"decidee"}
    assert ValeurIndicateur.objects.filter(indicateur__fiche__contract=during_2025, annee=2025).exists()
