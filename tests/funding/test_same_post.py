"""One coordination post, one year: a renewal and the contract it follows share the post's 12 months and the ARS's
annual cap when both ask for the same year (the old contract ends in March, the new one starts then)."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest

from cls_portal.core.errors import DomainError
from contracts import services as contract_services
from contracts.enums import Phase
from contracts.models import Contract
from funding import rules, services
from funding.models import AnneeFinancement
from tests.worlds.funding import TODAY

REQUEST = dict(etp=D("1"), cout_salaire=D("32000"), cout_charges=D("11000"), cout_fonctionnement=D("3000"),
               demande_autres=D("0"))


def ask(tenant, contract, mois, ars, etp=D("1")):
    cost = D("46000") * etp * mois / 12
    values = {**REQUEST, "etp": etp, "cout_salaire": cost, "cout_charges": D("0"), "cout_fonctionnement": D("0")}
    return services.annee_create(actor=tenant.people["coordinateur"], contract=contract, annee=2026, today=TODAY,
                                 mois_pourvus=mois, demande_ars=ars,
                                 demande_collectivite=cost - ars, **values)


@pytest.fixture
def renewal(world):
    """The own contract (its 2025 and 2026 requests removed) in final evaluation, renewed this year."""
    t = world.own
    AnneeFinancement.objects.filter(contract=t.contract).delete()
    Contract.objects.filter(pk=t.contract.pk).update(phase=Phase.EVALUATION_FINALE,
                                                     date_signature=dt.date(2021, 3, 15), duree_annees=5)
    t.contract.refresh_from_db()
    new = contract_services.contract_renew(actor=t.people["region"], contract=t.contract)
    Contract.objects.filter(pk=new.pk).update(date_debut_prealable=dt.date(2026, 1, 1),
                                              date_lettre_intention=dt.date(2026, 2, 1))
    new.refresh_from_db()
    return t, t.contract, new


def refused(call) -> DomainError:
    with pytest.raises(DomainError) as err:
        call()
    return err.value


def test_the_renewal_gets_the_months_the_old_contract_left(renewal):
    t, old, new = renewal
    ask(t, old, 3, D("5750"))  # January to March under the old contract
    err = refused(lambda: ask(t, new, 12, D("23000")))
    assert err.field == "mois_pourvus"
    assert re.sub(r"(?<!«)\u00a0(?!»)", " ", err.message) == (  # numbers' separators as plain spaces
        f"Le poste de coordination est aussi financé en 2026 par un autre contrat de la même démarche "
        f"(« {old.nom} » : 3 mois, 5 750 € de l'ARS) : un même poste compte au plus 12 mois par an, soit 9 mois au "
        f"plus ici.")
    assert not AnneeFinancement.objects.filter(contract=new).exists()
    assert ask(t, new, 9, D("17250")).mois_pourvus == 9  # April to December: the year adds up to 12 months


def test_the_two_generations_stay_within_the_annual_cap_and_an_update_is_checked_too(renewal):
    t, old, new = renewal
    # Two full-time people (2 ETP): each half year may reach the 25 000 € cap on its own.
    first = ask(t, old, 6, D("15000"), etp=D("2"))
    err = refused(lambda: ask(t, new, 6, D("12000"), etp=D("2")))
    assert err.field == "demande_ars"
    assert "au plus 25 000 € par an pour un même poste, soit 10 000 € au plus ici" in err.message.replace("\u00a0", " ")
    second = ask(t, new, 6, D("10000"), etp=D("2"))
    # The old contract's request may not grow into the renewal's months afterwards.
    err = refused(lambda: services.annee_update(actor=t.people["coordinateur"], annee_id=first.pk,
                                                expected_version=first.version, mois_pourvus=9))
    assert err.field == "mois_pourvus" and f"« {new.nom} » : 6 mois" in err.message
    assert AnneeFinancement.objects.get(pk=first.pk).mois_pourvus == 6 and second.mois_pourvus == 6


def test_the_rule_alone():
    regle = rules.Regle()  # 50 %, 25 000 € a year
    assert rules.refus_meme_poste(regle, annee=2026, mois=12, demande_ars=D("25000"), autres=[]) == []
    other = [rules.AutreGeneration("CLS A", 4, D("8000"))]
    assert rules.refus_meme_poste(regle, annee=2026, mois=8, demande_ars=D("17000"), autres=other) == []
    assert [r.field for r in rules.refus_meme_poste(regle, annee=2026, mois=9, demande_ars=D("17000.01"),
                                                    autres=other)] == ["mois_pourvus", "demande_ars"]
