from decimal import Decimal

import pytest
from django.urls import reverse

from actions import services
from actions.enums import AxeType, FicheStatut
from actions.models import Axe, FicheAction
from diagnostics.models import Diagnostic, Priorite
from tests import factories as f
from tests.actions.factories import IndicateurFactory, ValeurFactory

pytestmark = pytest.mark.django_db


def test_plan_shows_axes_sheets_completeness_and_progress(client, world):
    own = world.own
    f.FicheActionFactory(axe=own.axe, numero=9, titre="Action réalisée", statut=FicheStatut.REALISEE)
    ind = IndicateurFactory(fiche=own.fiche_validee, cible=Decimal("10"))
    ValeurFactory(indicateur=ind, annee=2024, valeur=Decimal("4"))
    ValeurFactory(indicateur=ind, annee=2025, valeur=Decimal("12"))  # the latest value counts: on target
    client.force_login(own.people["coordinateur"])
    r = client.get(reverse("actions:plan", kwargs={"contract_pk": own.contract.pk}))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Axe 1 — Accès aux soins" in html
    assert "Action réalisée" in html and "1.9" in html
    plan = r.context["plan"]
    # world: 1 draft, 1 submitted, 2 validated; + the one done here
    assert plan.progress.fiches == 5
    assert plan.progress.realisees == 1
    assert plan.progress.part_realisees == Decimal(1) / 5
    # indicators with a target: 3 from the world (no value) + this one (on target)
    assert plan.progress.indicateurs_cibles == 4 and plan.progress.indicateurs_atteints == 1
    draft = next(fi for fi in plan.axes[0].fiches if fi.pk == own.fiche.pk)
    assert "l'organisation pilote" not in draft.missing  # the world's draft has a pilot organisation
    assert "au moins un indicateur avec une valeur cible" in draft.missing
    assert "manque" in html


def test_progress_is_rolled_up_per_axe(world):
    from actions.selectors import plan_for

    contract = world.own.contract
    axe2 = f.AxeFactory(contract=contract, numero=2, titre="Prévention")
    f.FicheActionFactory(axe=axe2, numero=1, statut=FicheStatut.REALISEE)
    f.FicheActionFactory(axe=axe2, numero=2, statut=FicheStatut.EN_COURS)
    f.FicheActionFactory(axe=axe2, numero=3, statut=FicheStatut.ABANDONNEE)
    plan = plan_for(contract)
    row = plan.axes[1]
    assert row.axe == axe2 and row.progress.fiches == 2 and row.progress.part_realisees == Decimal("0.5")
    assert plan.axes[0].progress.realisees == 0


def test_create_axe_with_priority_links_both_sides(client, world):
    own = world.own
    diag, _ = Diagnostic.objects.get_or_create(contract=own.contract)
    prio = Priorite.objects.create(diagnostic=diag, intitule="Santé mentale des jeunes", action_titre="Repérage")
    client.force_login(own.people["coordinateur"])
    r = client.post(reverse("actions:axe_create", kwargs={"contract_pk": own.contract.pk}),
                    {"titre": "Santé mentale", "type": AxeType.POPULATIONNEL, "description": "Jeunes de 12 à 25 ans",
                     "priorite": prio.pk})
    assert r.status_code == 302
    axe = Axe.objects.get(contract=own.contract, titre="Santé mentale")
    assert axe.numero == 2 and axe.type == AxeType.POPULATIONNEL
    prio.refresh_from_db()
    assert prio.axe == axe and axe.priorite_diagnostic == prio
    html = client.get(reverse("actions:plan", kwargs={"contract_pk": own.contract.pk})).content.decode()
    assert "Répond à la priorité du diagnostic" in html and "Santé mentale des jeunes" in html


def test_axe_form_errors_are_shown_next_to_the_field(client, world):
    client.force_login(world.own.people["coordinateur"])
    r = client.post(reverse("actions:axe_create", kwargs={"contract_pk": world.own.contract.pk}),
                    {"titre": "", "type": "inconnu"})
    assert r.status_code == 200
    assert "fr-input-group--error" in r.content.decode()
    assert r.context["form"].errors.keys() >= {"titre", "type"}


def test_priority_of_another_contract_is_refused(world):
    diag, _ = Diagnostic.objects.get_or_create(contract=world.other.contract)
    prio = Priorite.objects.create(diagnostic=diag, intitule="Autre", action_titre="x")
    from cls_portal.core.errors import DomainError

    with pytest.raises(DomainError):
        services.axe_create(actor=None, contract=world.own.contract, titre="T", type=AxeType.MIXTE, priorite=prio)


def test_reorder_axes(client, world):
    contract = world.own.contract
    axe2 = f.AxeFactory(contract=contract, numero=2, titre="Deuxième")
    client.force_login(world.own.people["coordinateur"])
    r = client.post(reverse("actions:axe_move", kwargs={"pk": axe2.pk}), {"direction": "up"})
    assert r.status_code == 302
    axe2.refresh_from_db()
    world.own.axe.refresh_from_db()
    assert axe2.numero == 1 and world.own.axe.numero == 2
    world.own.fiche.refresh_from_db()
    assert world.own.fiche.code == "2.1"
    # the first axe cannot go further up
    r = client.post(reverse("actions:axe_move", kwargs={"pk": axe2.pk}), {"direction": "up"}, follow=True)
    assert "déjà à cette extrémité" in r.content.decode()


def test_edit_axe(client, world):
    client.force_login(world.own.people["coordinateur"])
    r = client.post(reverse("actions:axe_edit", kwargs={"pk": world.own.axe.pk}),
                    {"titre": "Faire vivre le CLS", "type": AxeType.TRANSVERSAL, "description": ""})
    assert r.status_code == 302
    world.own.axe.refresh_from_db()
    assert world.own.axe.type == AxeType.TRANSVERSAL and world.own.axe.titre == "Faire vivre le CLS"


def test_plan_page_links_to_the_action_plan_import(client, world):
    client.force_login(world.own.people["coordinateur"])
    html = client.get(reverse("actions:plan", kwargs={"contract_pk": world.own.contract.pk})).content.decode()
    assert reverse("imports:plan", kwargs={"contract_pk": world.own.contract.pk}) in html


def test_an_empty_plan_links_to_the_diagnostic_priorities_only_when_some_wait_for_an_axe(client, world):
    """The empty plan said « créez-les depuis les priorités du diagnostic » with no link, also for a contract
    without any diagnostic."""
    own = world.own
    FicheAction.objects.filter(contract=own.contract).delete()
    Axe.objects.filter(contract=own.contract).delete()
    client.force_login(own.people["coordinateur"])
    url = reverse("actions:plan", kwargs={"contract_pk": own.contract.pk})
    Priorite.objects.filter(diagnostic__contract=own.contract).delete()
    html = client.get(url).content.decode()
    assert "Ajoutez un axe ou importez un plan d'action." in html
    assert "priorités du diagnostic" not in html
    diag, _ = Diagnostic.objects.get_or_create(contract=own.contract)
    Priorite.objects.create(diagnostic=diag, intitule="Santé mentale des jeunes", action_titre="Repérage")
    html = client.get(url).content.decode()
    link = reverse("diagnostics:detail", args=[diag.pk]) + "#priorites"
    assert f'créez les axes depuis les <a href="{link}">priorités du diagnostic</a>.' in html
