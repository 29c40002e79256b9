"""Contracts' URLs. Pages: read (everyone who sees the contract but the élu), edit (coordinator), decide
(délégation). POSTs with an empty body end in a redirect with a message, or a form re-rendered (200)."""

from tests.permission_cases import Case

SIGNED_IN = {"anonymous": 302, "admin": 200, "coordinateur": 200, "pilote": 200, "delegation": 200,
             "region": 200, "elu": 200}
READ = {"anonymous": 302, "admin": 200, "coordinateur": 200, "pilote": 200, "delegation": 200, "region": 200,
        "elu": 403}
EDIT = {"anonymous": 302, "admin": 200, "coordinateur": 200}
EDIT_POST = {"anonymous": 302, "admin": 302, "coordinateur": 302}
DECIDE_POST = {"anonymous": 302, "admin": 302, "delegation": 302}
BOTH_POST = {"anonymous": 302, "admin": 302, "coordinateur": 302, "delegation": 302}


ARS_STAFF = {"anonymous": 302, "admin": 200, "delegation": 200, "region": 200}
ORGANISATIONS = {"anonymous": 302, "admin": 200, "coordinateur": 200, "delegation": 200, "region": 200}
PLAN_STEPS = {"anonymous": 302, "admin": 200, "delegation": 200}
PLAN_STEPS_POST = {"anonymous": 302, "admin": 302, "delegation": 302}


def pk(t):
    return {"pk": t.contract.pk}


def step(t):
    return {"pk": t.contract.pk, "step_pk": t.step.pk}


CASES = [
    Case("contracts:list", SIGNED_IN),
    Case("contracts:list", SIGNED_IN, query="?export=csv&phase=mise_en_oeuvre"),
    Case("contracts:my_cls", {"anonymous": 302, "admin": 200, "coordinateur": 200}),
    Case("contracts:delegation_dashboard", {"anonymous": 302, "admin": 200, "delegation": 200}),
    Case("contracts:detail", READ, kwargs=pk),
    Case("contracts:retroplanning", READ, kwargs=pk),
    Case("contracts:edit", EDIT, kwargs=pk),
    Case("contracts:edit", {"anonymous": 302, "admin": 200, "coordinateur": 200}, kwargs=pk, method="post"),
    Case("contracts:perimeter", EDIT, kwargs=pk),
    Case("contracts:transition_propose", {"anonymous": 302, "admin": 302, "coordinateur": 302},
         kwargs=lambda t: {"pk": t.contract.pk, "name": "engager"}, method="post"),
    Case("contracts:transition_fire", BOTH_POST,
         kwargs=lambda t: {"pk": t.contract.pk, "name": "ouvrir_evaluation_finale"}, method="post"),
    Case("contracts:proposal_decide", DECIDE_POST,
         kwargs=lambda t: {"pk": t.contract.pk, "proposal_pk": t.proposal.pk}, method="post"),
    Case("contracts:renew", BOTH_POST, kwargs=pk, method="post"),
    Case("contracts:document_upload", EDIT, kwargs=pk),
    Case("contracts:document_upload", EDIT, kwargs=pk, method="post"),
    Case("contracts:document_download", READ, kwargs=lambda t: {"pk": t.contract.pk, "doc_pk": t.document.pk}),
    Case("contracts:document_delete", EDIT_POST, kwargs=lambda t: {"pk": t.contract.pk, "doc_pk": t.document.pk},
         method="post"),
    Case("contracts:signatory_add", EDIT, kwargs=pk),
    Case("contracts:signatory_remove", EDIT_POST,
         kwargs=lambda t: {"pk": t.contract.pk, "signatory_pk": t.signatory.pk}, method="post"),
    Case("contracts:step_edit", EDIT, kwargs=lambda t: {"pk": t.contract.pk, "step_pk": t.step.pk}),
    Case("contracts:instance_add", EDIT_POST, kwargs=pk, method="post"),
    Case("contracts:member_add", EDIT_POST,
         kwargs=lambda t: {"pk": t.contract.pk, "instance_pk": t.instance.pk}, method="post"),
    Case("contracts:meeting_add", EDIT, kwargs=pk),
    Case("contracts:avenant_add", EDIT, kwargs=pk),
    # Starting a région (issue 13): who creates a contract, plans its steps, creates organisations.
    Case("contracts:create", ARS_STAFF),
    Case("contracts:create", ARS_STAFF, method="post"),  # empty form: re-rendered with its errors
    Case("contracts:organisation_list", ORGANISATIONS),
    Case("contracts:organisation_create", ORGANISATIONS),
    Case("contracts:organisation_create", ORGANISATIONS, method="post",
         data=lambda t: {"region": t.region.code}),
    Case("contracts:step_add", PLAN_STEPS, kwargs=pk),
    Case("contracts:step_add", PLAN_STEPS, kwargs=pk, method="post"),
    Case("contracts:step_delete", PLAN_STEPS_POST, kwargs=step, method="post"),
    Case("contracts:step_move", PLAN_STEPS_POST, kwargs=step, method="post", data=lambda t: {"direction": "down"}),
]
