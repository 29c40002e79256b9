import pytest
from django.urls import reverse

from actions import permissions
from actions.enums import ActionEvent, FicheStatut, Section
from actions.models import CommentaireRevue, FicheAction
from actions.workflow import TRANSITIONS
from cls_portal.core.errors import DomainError
from cls_portal.core.history import history_for
from cls_portal.notifications.models import Notification
from tests import factories as f
from tests.worlds.actions import added_by_avenant, complete_fiche

pytestmark = pytest.mark.django_db


def _fire(client, fiche, name, **data):
    return client.post(reverse("actions:fiche_transition", kwargs={"pk": fiche.pk, "name": name}), data, follow=True)


def test_submission_is_refused_with_the_missing_items(client, world):
    own = world.own
    client.force_login(own.people["coordinateur"])
    r = _fire(client, own.fiche, "soumettre")
    html = r.content.decode()
    assert "La fiche ne peut pas être soumise : il manque" in html
    assert "au moins un indicateur avec une valeur cible" in html
    own.fiche.refresh_from_db()
    assert own.fiche.statut == FicheStatut.BROUILLON


def test_full_review_round_with_history_comments_and_notifications(client, world):
    own = world.own
    fiche = complete_fiche(own.fiche)
    coord, dd = own.people["coordinateur"], own.people["delegation"]
    client.force_login(coord)
    r = _fire(client, fiche, "soumettre", commentaire="Première version.")
    fiche.refresh_from_db()
    assert fiche.statut == FicheStatut.SOUMISE and fiche.nb_soumissions == 1
    # What happened, said as the history says it (it read « « Soumettre à la délégation » : c'est fait. »).
    assert [str(m) for m in r.context["messages"]] == [f"Fiche soumise à la délégation (fiche {fiche.code})."]
    assert Notification.objects.filter(user=dd, title__contains="soumise à votre revue").exists()

    client.force_login(dd)
    # Asking for changes needs a comment.
    r = _fire(client, fiche, "demander_modification")
    assert "Un commentaire est obligatoire" in r.content.decode()
    _fire(client, fiche, "demander_modification", commentaire="Précisez le public.",
          section_budget="Le budget 2026 manque.")
    fiche.refresh_from_db()
    assert fiche.statut == FicheStatut.A_MODIFIER
    assert Notification.objects.filter(user=coord, title__contains="Modifications demandées").exists()
    sections = set(CommentaireRevue.objects.filter(fiche=fiche, tour=1).values_list("section", flat=True))
    assert sections == {Section.GENERAL, Section.BUDGET}
    # The coordinator sees what to fix, on the sheet and on its form.
    client.force_login(coord)
    for name in ("actions:fiche_detail", "actions:fiche_edit"):
        html = client.get(reverse(name, kwargs={"pk": fiche.pk})).content.decode()
        assert "Modifications demandées par la délégation" in html and "Le budget 2026 manque." in html

    _fire(client, fiche, "soumettre", commentaire="Public précisé.")
    client.force_login(dd)
    # The world's contract is signed: the new sheet joins the plan through an avenant in force.
    r = _fire(client, fiche, "valider")
    page = r.content.decode()
    assert "une fiche ajoutée au plan d&#x27;action n&#x27;est validée qu&#x27;une fois en vigueur" in page
    fiche.refresh_from_db()
    assert fiche.statut == FicheStatut.SOUMISE
    added_by_avenant(fiche, own.people["region"])
    _fire(client, fiche, "valider")
    fiche.refresh_from_db()
    assert fiche.statut == FicheStatut.VALIDEE and fiche.nb_soumissions == 2
    assert Notification.objects.filter(user=coord, title__contains="validée").exists()
    assert CommentaireRevue.objects.filter(fiche=fiche, tour=2, texte="Public précisé.").exists()

    statuses = [e.changes["statut"] for e in history_for(fiche)
                if "statut" in e.changes and e.action != ActionEvent.FICHE_CREEE]
    assert statuses[::-1] == [["brouillon", "soumise"], ["soumise", "a_modifier"], ["a_modifier", "soumise"],
                              ["soumise", "validee"]]
    assert all(e.actor_id for e in history_for(fiche))
    page = client.get(reverse("actions:fiche_detail", kwargs={"pk": fiche.pk})).content.decode()
    assert "Tour de revue n°2" in page and "Précisez le public." in page
    assert "À modifier → Soumise" in page.replace("\u2192", "→")


def test_coordinator_cannot_validate_and_delegation_cannot_submit(client, world):
    own = world.own
    client.force_login(own.people["coordinateur"])
    assert _fire(client, own.fiche_soumise, "valider").status_code == 403
    client.force_login(own.people["delegation"])
    assert _fire(client, complete_fiche(own.fiche), "soumettre").status_code == 403


def test_pilot_moves_their_sheet_and_abandon_needs_a_reason(client, world):
    own = world.own
    fiche = own.fiche_validee
    client.force_login(own.people["pilote"])
    _fire(client, fiche, "demarrer")
    fiche.refresh_from_db()
    assert fiche.statut == FicheStatut.EN_COURS
    _fire(client, fiche, "terminer")
    fiche.refresh_from_db()
    assert fiche.statut == FicheStatut.REALISEE
    # The pilot does not abandon; the coordinator does, with a reason.
    assert _fire(client, own.fiche_autre, "abandonner", commentaire="x").status_code == 403
    client.force_login(own.people["coordinateur"])
    r = _fire(client, own.fiche_autre, "abandonner")
    assert "Un commentaire est obligatoire" in r.content.decode()
    _fire(client, own.fiche_autre, "abandonner", commentaire="Porteur dissous.")
    own.fiche_autre.refresh_from_db()
    assert own.fiche_autre.statut == FicheStatut.ABANDONNEE


def test_transition_from_a_wrong_status_is_refused(world):
    from actions.services import fiche_transition

    with pytest.raises(DomainError, match="Impossible"):
        fiche_transition(actor=world.own.people["coordinateur"], fiche_id=world.own.fiche.pk, name="terminer")


def test_can_fire_predicate():
    contract = f.ContractFactory()
    from cls_portal.accounts.models import Role

    coord = f.with_role(f.UserFactory(), Role.COORDINATEUR)
    contract.coordinators.set([coord])
    pilot = f.with_role(f.UserFactory(), Role.PILOTE)
    fiche = f.FicheActionFactory(axe=f.AxeFactory(contract=contract), pilote_personne=pilot)
    assert permissions.can_fire(coord, fiche, TRANSITIONS["soumettre"]) == (True, "")
    assert permissions.can_fire(pilot, fiche, TRANSITIONS["terminer"]) == (True, "")
    allowed, reason = permissions.can_fire(pilot, fiche, TRANSITIONS["soumettre"])
    assert not allowed and "coordinateur" in reason
    allowed, reason = permissions.can_fire(coord, fiche, TRANSITIONS["valider"])
    assert not allowed and "délégation" in reason
    stranger = f.with_role(f.UserFactory(), Role.PILOTE)
    assert not permissions.can_fire(stranger, fiche, TRANSITIONS["terminer"])[0]


def test_plain_comment_keeps_the_conversation(client, world):
    own = world.own
    client.force_login(own.people["delegation"])
    client.post(reverse("actions:fiche_comment", kwargs={"pk": own.fiche_soumise.pk}),
                {"section": "indicateurs", "commentaire": "La cible est-elle réaliste ?"})
    c = CommentaireRevue.objects.get(fiche=own.fiche_soumise)
    assert c.section == Section.INDICATEURS and c.auteur == own.people["delegation"]
    client.force_login(own.people["pilote"])
    r = client.post(reverse("actions:fiche_comment", kwargs={"pk": own.fiche_soumise.pk}), {"commentaire": "x"})
    assert r.status_code == 403


def test_submit_whole_plan_submits_complete_sheets_and_reports_the_others(client, world):
    own = world.own
    ready = complete_fiche(f.FicheActionFactory(axe=own.axe, numero=7, pilote_personne=own.people["pilote"],
                                                pilote_organisation=own.pilote_org))
    client.force_login(own.people["coordinateur"])
    plan = client.get(reverse("actions:plan", kwargs={"contract_pk": own.contract.pk}))
    assert plan.context["submittable"] == 1
    r = client.post(reverse("actions:plan_submit", kwargs={"contract_pk": own.contract.pk}), follow=True)
    html = r.content.decode()
    assert "1 fiche soumise à la délégation" in html and f"Fiche {own.fiche.code} non soumise" in html
    ready.refresh_from_db()
    own.fiche.refresh_from_db()
    assert ready.statut == FicheStatut.SOUMISE and own.fiche.statut == FicheStatut.BROUILLON
    assert Notification.objects.filter(user=own.people["delegation"], title__contains="Plan d'action soumis").exists()
    # nothing left to submit: refused with a message
    r = client.post(reverse("actions:plan_submit", kwargs={"contract_pk": own.contract.pk}), follow=True)
    assert "Aucune fiche complète à soumettre" in r.content.decode()


def test_a_refused_transition_or_comment_keeps_what_was_typed(client, world):
    """A coordinator submits an incomplete sheet with a message for the délégation: the page comes back with
    the message and the reason, nothing is lost and nothing is recorded."""
    own = world.own
    client.force_login(own.people["coordinateur"])
    r = client.post(reverse("actions:fiche_transition", kwargs={"pk": own.fiche.pk, "name": "soumettre"}),
                    {"commentaire": "Le budget 2026 attend l'accord de la CPAM."})
    assert r.status_code == 200
    html = r.content.decode().replace("&#x27;", "'")
    assert "Le budget 2026 attend l'accord de la CPAM." in html
    assert "La fiche ne peut pas être soumise : il manque" in html and "Erreur : " in html
    own.fiche.refresh_from_db()
    assert own.fiche.statut == FicheStatut.BROUILLON
    # The délégation's remarks per section without the general comment are enough to ask for changes.
    fiche = complete_fiche(own.fiche)
    _fire(client, fiche, "soumettre")
    client.force_login(own.people["delegation"])
    r = client.post(reverse("actions:fiche_transition", kwargs={"pk": fiche.pk, "name": "demander_modification"}),
                    {})
    form = next(t["form"] for t in r.context["transitions"] if t["transition"].name == "demander_modification")
    assert r.status_code == 200 and form.errors["commentaire"] == ["Un commentaire est obligatoire pour cette action."]
    # A comment outside a transition: the section chosen stays chosen when the text is missing.
    r = client.post(reverse("actions:fiche_comment", kwargs={"pk": fiche.pk}), {"section": Section.BUDGET,
                                                                                "commentaire": "  "})
    assert r.status_code == 200 and r.context["comment_form"].errors["commentaire"]
    assert f'<option value="{Section.BUDGET}" selected>' in r.content.decode()
    r = client.post(reverse("actions:fiche_comment", kwargs={"pk": fiche.pk}), {"section": Section.BUDGET,
                                                                                "commentaire": "Merci."})
    assert r.status_code == 302 and r["Location"].endswith("#revue")
    assert CommentaireRevue.objects.filter(fiche=fiche, section=Section.BUDGET, texte="Merci.").exists()


def test_after_signature_a_new_sheet_is_validated_once_an_avenant_in_force_adds_it(world):
    """Fiche pratique n°5: the plan may be enriched during its implementation, through an avenant initialled by
    every signatory. Before signature, no avenant."""
    from actions import services
    from contracts import services as contract_services
    from contracts.enums import Phase
    from contracts.models import Contract

    own = world.own
    dd = own.people["delegation"]
    fiche = complete_fiche(own.fiche)
    services.fiche_transition(actor=own.people["coordinateur"], fiche_id=fiche.pk, name="soumettre")
    assert own.contract.phase in (Phase.MISE_EN_OEUVRE, Phase.EVALUATION_FINALE)
    with pytest.raises(DomainError) as err:
        services.fiche_transition(actor=dd, fiche_id=fiche.pk, name="valider")
    assert err.value.message == (
        "Le contrat est signé : une fiche ajoutée au plan d'action n'est validée qu'une fois en vigueur l'avenant qui "
        "l'ajoute (« Fiche ajoutée », paraphé par tous les signataires : section « Avenants et versions » de la page "
        "du contrat).")
    # An avenant still waiting for its signatories' initials is not in force yet.
    avenant = added_by_avenant(fiche, own.people["region"], initialled=False)
    with pytest.raises(DomainError, match="une fois en vigueur"):
        services.fiche_transition(actor=dd, fiche_id=fiche.pk, name="valider")
    fiche.refresh_from_db()
    assert fiche.statut == FicheStatut.SOUMISE
    contract_services.avenant_initials_add(actor=own.people["region"], avenant=avenant,
                                           signataires=list(own.contract.signatories.all()))
    assert services.fiche_transition(actor=dd, fiche_id=fiche.pk, name="valider").statut == FicheStatut.VALIDEE

    # Before signature the plan is still being written: the délégation validates without any avenant.
    other = complete_fiche(f.FicheActionFactory(axe=fiche.axe, numero=9, pilote_personne=fiche.pilote_personne,
                                                pilote_organisation=fiche.pilote_organisation))
    Contract.objects.filter(pk=own.contract.pk).update(phase=Phase.DIAGNOSTIC)
    services.fiche_transition(actor=own.people["coordinateur"], fiche_id=other.pk, name="soumettre")
    assert services.fiche_transition(actor=dd, fiche_id=other.pk, name="valider").statut == FicheStatut.VALIDEE


def test_the_sheet_page_says_why_validation_waits_instead_of_offering_a_button(client, world):
    own = world.own
    fiche = complete_fiche(own.fiche)
    FicheAction.objects.filter(pk=fiche.pk).update(statut=FicheStatut.SOUMISE)
    client.force_login(own.people["delegation"])
    url = reverse("actions:fiche_detail", kwargs={"pk": fiche.pk})
    html = client.get(url).content.decode().replace("&#x27;", "'")
    assert "<strong>Valider la fiche</strong> : pas encore possible." in html
    assert "n'est validée qu'une fois en vigueur l'avenant qui l'ajoute" in html
    assert ">Valider la fiche</button>" not in html and ">Demander des modifications</button>" in html
    # The coordinator learns it on the sheet; the délégation reads it where « Valider la fiche » waits.
    notice = "cette nouvelle fiche rejoint le plan par un avenant qui l'ajoute"
    assert notice not in html
    client.force_login(own.people["coordinateur"])
    assert notice in client.get(url).content.decode().replace("&#x27;", "'")
    added_by_avenant(fiche, own.people["region"])
    assert notice not in client.get(url).content.decode().replace("&#x27;", "'")
    client.force_login(own.people["delegation"])
    html = client.get(url).content.decode()
    assert ">Valider la fiche</button>" in html and "pas encore possible" not in html


def test_changes_asked_by_section_only_reach_the_coordinator_in_the_notification(client, world):
    """The délégation may ask for changes with comments per section and no general comment: the coordinator's
    notification (and e-mail) used to be empty, a title and a link, nothing of what to change."""
    own = world.own
    fiche = complete_fiche(own.fiche)
    client.force_login(own.people["coordinateur"])
    _fire(client, fiche, "soumettre")
    client.force_login(own.people["delegation"])
    _fire(client, fiche, "demander_modification", section_indicateurs="Ajoutez un indicateur de résultat.",
          section_budget="Le budget 2026 manque.")
    fiche.refresh_from_db()
    assert fiche.statut == FicheStatut.A_MODIFIER
    note = Notification.objects.get(user=own.people["coordinateur"], title__contains="Modifications demandées")
    assert "Indicateurs : Ajoutez un indicateur de résultat." in note.body
    assert "Budget et financements : Le budget 2026 manque." in note.body
