import datetime as dt

from tests import factories as f
from tests.permission_cases import Case
from tests.worlds.actions import added_by_avenant, complete_fiche, signed_before_portal

VIEW_PLAN = {"anonymous": 302, "admin": 200, "coordinateur": 200, "pilote": 200, "delegation": 200, "region": 200,
             "elu": 200}
EDIT_PLAN = {"anonymous": 302, "admin": 200, "coordinateur": 200}
EDIT_PLAN_POST = {"anonymous": 302, "admin": 302, "coordinateur": 302}



def _jalon(fiche):
    """A milestone of `fiche`, past due and not reached (made on first use)."""
    from actions.models import Jalon

    return Jalon.objects.get_or_create(fiche=fiche, libelle="Bilan en COPIL",
                                       defaults={"date_prevue": dt.date(2025, 6, 30)})[0]


def _second_axe(t):
    f.AxeFactory(contract=t.contract, numero=2, titre="Prévention")


def _signed_before_portal(t):
    """A new contract of the tenant signed before it came into the portal, its drafts not recorded yet (the
    world is rolled back after each test: nothing to keep)."""
    return signed_before_portal(t)


def _complete_draft(t):
    complete_fiche(t.fiche)


CASES = [
    Case("actions:plan", VIEW_PLAN, kwargs=lambda t: {"contract_pk": t.contract.pk}),
    Case("actions:indicator_summary", VIEW_PLAN, kwargs=lambda t: {"contract_pk": t.contract.pk}),
    Case("actions:fiche_list", VIEW_PLAN, kwargs=lambda t: {"contract_pk": t.contract.pk}),
    Case("actions:fiche_list", VIEW_PLAN, kwargs=lambda t: {"contract_pk": t.contract.pk}, query="?format=csv"),
    Case("actions:followup_year", VIEW_PLAN, kwargs=lambda t: {"contract_pk": t.contract.pk}),
    # The world's sheet is a draft its pilot (the world's) reads in full; not the elected official (issue 15).
    Case("actions:fiche_detail", {**VIEW_PLAN, "elu": 403}, kwargs=lambda t: {"pk": t.fiche.pk}),
    # Issue 15: a sheet not validated yet is not for elected officials, nor for the pilots of other sheets;
    # a sheet under review is its own pilot's (in full) but not the elected official's.
    Case("actions:fiche_detail", {**VIEW_PLAN, "pilote": 403, "elu": 403},
         kwargs=lambda t: {"pk": t.fiche_brouillon_autre.pk}),
    Case("actions:fiche_detail", {**VIEW_PLAN, "elu": 403}, kwargs=lambda t: {"pk": t.fiche_soumise.pk}),
    Case("actions:fiche_detail", VIEW_PLAN, kwargs=lambda t: {"pk": t.fiche_autre.pk}),
    # The world's draft, completed: a permitted submission submits it.
    Case("actions:plan_submit", EDIT_PLAN_POST, kwargs=lambda t: {"contract_pk": t.contract.pk}, method="post",
         setup=_complete_draft, data=lambda t: {"commentaire": "Plan prêt pour la revue."}),
    # The drafts of a contract signed before the portal, recorded as its signed plan (the pilot pilots them: 403).
    Case("actions:plan_record_signed", EDIT_PLAN_POST,
         kwargs=lambda t: {"contract_pk": _signed_before_portal(t).pk}, method="post",
         data=lambda t: {"confirme": "on"}),
    Case("actions:axe_create", EDIT_PLAN, kwargs=lambda t: {"contract_pk": t.contract.pk}),
    Case("actions:fiche_create", EDIT_PLAN, kwargs=lambda t: {"contract_pk": t.contract.pk}),
    Case("actions:axe_edit", EDIT_PLAN, kwargs=lambda t: {"pk": t.axe.pk}),
    Case("actions:axe_move", EDIT_PLAN_POST, kwargs=lambda t: {"pk": t.axe.pk}, method="post",
         setup=_second_axe, data=lambda t: {"direction": "down"}),
    Case("actions:fiche_edit", EDIT_PLAN, kwargs=lambda t: {"pk": t.fiche.pk}),
    # A sheet under review is frozen, even for its coordinator.
    Case("actions:fiche_edit", {"anonymous": 302}, kwargs=lambda t: {"pk": t.fiche_soumise.pk}),
    # The contract is signed: an avenant in force adds the sheet to the plan, so that a permitted validation validates.
    Case("actions:fiche_transition", {"anonymous": 302, "admin": 302, "delegation": 302},
         kwargs=lambda t: {"pk": t.fiche_soumise.pk, "name": "valider"}, method="post",
         setup=lambda t: added_by_avenant(t.fiche_soumise, t.people["region"]),
         data=lambda t: {"commentaire": "Fiche complète."}),
    Case("actions:fiche_transition", {"anonymous": 302, "admin": 302, "coordinateur": 302},
         kwargs=lambda t: {"pk": t.fiche.pk, "name": "soumettre"}, method="post",
         setup=_complete_draft, data=lambda t: {"commentaire": ""}),
    Case("actions:fiche_transition", {"anonymous": 302, "admin": 302, "coordinateur": 302, "pilote": 302},
         kwargs=lambda t: {"pk": t.fiche_validee.pk, "name": "demarrer"}, method="post",
         data=lambda t: {"commentaire": ""}),
    Case("actions:fiche_comment", {"anonymous": 302, "admin": 302, "coordinateur": 302, "delegation": 302},
         kwargs=lambda t: {"pk": t.fiche_soumise.pk}, method="post",
         data=lambda t: {"section": "general", "commentaire": "Précisez le budget de la première année."}),
    Case("actions:suivi_edit", {"anonymous": 302, "admin": 200, "coordinateur": 200, "pilote": 200},
         kwargs=lambda t: {"pk": t.fiche_validee.pk, "annee": 2024}),
    # The pilot fills the follow-up of their own sheets only.
    Case("actions:suivi_edit", {"anonymous": 302, "admin": 200, "coordinateur": 200},
         kwargs=lambda t: {"pk": t.fiche_autre.pk, "annee": 2024}),
    # The day a milestone is reached: the coordinator and the sheet's own pilots, on a validated sheet (no avenant).
    Case("actions:jalon_done", {"anonymous": 302, "admin": 200, "coordinateur": 200, "pilote": 200},
         kwargs=lambda t: {"pk": _jalon(t.fiche_validee).pk}),
    Case("actions:jalon_done", {"anonymous": 302, "admin": 302, "coordinateur": 302, "pilote": 302},
         kwargs=lambda t: {"pk": _jalon(t.fiche_validee).pk}, method="post",
         data=lambda t: {"date_realisee": "2025-07-02"}),
    Case("actions:jalon_done", {"anonymous": 302, "admin": 200, "coordinateur": 200},
         kwargs=lambda t: {"pk": _jalon(t.fiche_autre).pk}),
    Case("actions:jalon_done", {"anonymous": 302}, kwargs=lambda t: {"pk": _jalon(t.fiche_soumise).pk}),
    Case("actions:review_queue", {"anonymous": 302, "admin": 200, "delegation": 200}),
    Case("actions:my_sheets", {"anonymous": 302, "admin": 200, "pilote": 200}),
]

# Issue 21 item 3: the coordinator names the regional resource a sheet follows, from the sheet page (no avenant).
CASES += [
    Case("actions:fiche_resource", EDIT_PLAN_POST, kwargs=lambda t: {"pk": t.fiche_validee.pk}, method="post",
         data=lambda t: {"ressource": t.resource.pk}),
]
