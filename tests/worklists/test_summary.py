"""The regional view's roll-up (`worklist.summary_for`) reads only the items it shows, yet shows what the whole
list would: each kind's count per département and its first items in the order of `items_for`, whatever the
contracts' names (case, accents), several items of one contract, and a second département."""

import datetime as dt

import pytest
from django.utils import timezone

from actions.enums import FicheStatut
from cls_portal.core import worklist
from contracts.enums import Phase
from contracts.models import Contract, Step
from tests import factories as f
from tests.worklists.test_queries import add_pending

TODAY = timezone.localdate()
NAMES = ["CLS Évry", "cls évian", "CLS Àix", "CLS zèbre", "CLS Ébène", "clS alpha", "CLS Alpha", "CLS Œuvre",
         "CLS écluse", "CLS Ecluse", "CLS Zoé", "CLS été", "CLS Été", "CLS b"]


def reference(items, shown):
    """What the regional view showed when it built every item: (département, label, count, first items)."""
    per_dep: dict[str, list] = {}
    for item in items:
        if item.kind != "campagne_en_cours":
            per_dep.setdefault(item.departement, []).append(item)
    return [(code, label, len(group), group[:shown]) for code, dep_items in sorted(per_dep.items())
            for label, group in worklist.by_kind(dep_items)]


@pytest.mark.django_db
@pytest.mark.parametrize("shown", [1, 3, 10])
def test_the_roll_up_shows_what_the_whole_list_would(world, django_assert_num_queries, shown):
    own = world.own
    add_pending(world, len(NAMES))
    for contract, name in zip(Contract.objects.filter(nom__startswith="CLS en attente").order_by("nom"), NAMES,
                              strict=True):
        contract.nom = name
        contract.save(update_fields=["nom"])
    # Several items of one kind on one contract (ties on the contract's name), and a contract of a second
    # département of the région.
    crowded = Contract.objects.get(nom="CLS Àix")
    for i in range(4):
        Step.objects.create(contract=crowded, phase=Phase.MISE_EN_OEUVRE, kind="autre", titre=f"Étape {i}",
                            date_prevue=TODAY - dt.timedelta(days=10 + i))
    second = f.DepartementFactory(code="50", nom="Manche", region=own.region)
    elsewhere = f.ContractFactory(nom="CLS de la Manche", ars=own.delegation.ars,
                                  delegations=[f.DelegationFactory(departement=second, ars=own.delegation.ars)])
    f.FicheActionFactory(axe=f.AxeFactory(contract=elsewhere, numero=1), numero=1, statut=FicheStatut.SOUMISE)

    user = world.users["region"]
    user.roles(), user.departement_codes(), user.region_codes()
    whole = worklist.items_for(user, worklist.REGION, TODAY)
    user.__dict__.pop("_worklist_cache")
    summary = worklist.summary_for(user, worklist.REGION, TODAY, shown=shown)
    got = [(g.departement, g.label, g.count, g.items) for g in summary.groups]
    assert got == reference(whole, shown)
    assert {g.departement for g in summary.groups} == {own.departement.code, "50"}
    assert summary.whole == [i for i in whole if i.kind == "campagne_en_cours"]
    assert summary.count == len(whole)
    with django_assert_num_queries(0):  # the menu reuses the count
        assert worklist.count_for(user, worklist.REGION, TODAY) == len(whole)
