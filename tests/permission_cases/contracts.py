"""Contracts' URLs. Pages: read (the contract's team, délégation, region), edit (coordinator), decide
(délégation). Elected officials and pilots are sent from the contract page to its read-only summary
(directory:summary) and refused its steps and internal documents (issue 15). POSTs with an empty body end in a
redirect with a message, or a form re-rendered (200)."""

import datetime as dt

from django.utils import timezone

from contracts import services
from contracts.enums import DocumentType, Phase
from contracts.forms import ContractIdentityForm
from contracts.models import Avenant, Contract, Signatory, TransitionProposal
from tests.contracts.files import upload
from tests.permission_cases import Case, form_body

SIGNED_IN = {"anonymous": 302, "admin": 200, "coordinateur": 200, "pilote": 200, "delegation": 200,
             "region": 200, "elu": 200}
READ = {"anonymous": 302, "admin": 200, "coordinateur": 200, "pilote": 403, "delegation": 200, "region": 200,
        "elu": 403}
EDIT = {"anonymous": 302, "admin": 200, "coordinateur": 200}
BOTH = {"anonymous": 302, "admin": 200, "coordinateur": 200, "delegation": 200}
EDIT_POST = {"anonymous": 302, "admin": 302, "coordinateur": 302}
DECIDE_POST = {"anonymous": 302, "admin": 302, "delegation": 302}
BOTH_POST = {"anonymous": 302, "admin": 302, "coordinateur": 302, "delegation": 302}


ARS_STAFF = {"anonymous": 302, "admin": 200, "delegation": 200, "region": 200}
ORGANISATIONS = {"anonymous": 302, "admin": 200, "coordinateur": 200, "delegation": 200, "region": 200}
PLAN_STEPS = {"anonymous": 302, "admin": 200, "delegation": 200}
PLAN_STEPS_POST = {"anonymous": 302, "admin": 302, "delegation": 302}


def pk(t):
    return {"pk": t.contract.pk}


def _phase(phase):
    def setup(t):
        Contract.objects.filter(pk=t.contract.pk).update(phase=phase)
    return setup


def _ready_to_engage(t):
    """A contract in its phase préalable with every guard of "engager" met, and no pending proposal."""
    TransitionProposal.objects.filter(contract=t.contract).delete()
    Contract.objects.filter(pk=t.contract.pk).update(phase=Phase.PREALABLE, date_lettre_intention=dt.date(2023, 2, 1),
                                                     engagement_confirme=True, date_signature=None)
    services.document_upload(actor=t.people["coordinateur"], contract=Contract.objects.get(pk=t.contract.pk),
                             type=DocumentType.LETTRE_INTENTION, titre="Lettre d'intention", fichier=upload())


def _ready_to_engage_without_coordinator(t):
    """The same, with no coordinator named yet: the délégation leaves the phase préalable itself."""
    _ready_to_engage(t)
    Contract.objects.get(pk=t.contract.pk).coordinators.clear()


def _no_coordinator(t):
    Contract.objects.get(pk=t.contract.pk).coordinators.clear()


def _waiting_avenant(t):
    """An avenant of the contract still waiting for an initial (created once, inside the case's savepoint)."""
    c = Contract.objects.get(pk=t.contract.pk)
    if not Signatory.objects.filter(contract=c).exclude(role="partenaire").exists():
        Signatory.objects.create(contract=c, organisation=c.collectivite, role="collectivite")
    waiting = c.avenants.filter(plan_version__gt=c.plan_version).first()
    if waiting is None:
        waiting = Avenant.objects.create(contract=c, numero=c.avenants.count() + 1, date=dt.date(2025, 6, 1),
                                         objet="Avenant à parapher", plan_version=c.plan_version + 1)
    return waiting


def _initials(t):
    a = _waiting_avenant(t)
    return {"signataires": [str(pk_) for pk_ in Signatory.objects.filter(contract_id=a.contract_id)
                            .exclude(role="partenaire").values_list("pk", flat=True)]}


def _in_last_year(t):
    c = Contract.objects.get(pk=t.contract.pk)
    today = timezone.localdate()
    Contract.objects.filter(pk=c.pk).update(
        date_signature=today.replace(year=today.year - c.duree_annees) + dt.timedelta(days=100))


def _identity(t):
    return form_body(ContractIdentityForm(instance=Contract.objects.get(pk=t.contract.pk)),
                     nom="Contrat local de santé du Bessin")


def step(t):
    return {"pk": t.contract.pk, "step_pk": t.step.pk}


CASES = [
    Case("contracts:list", SIGNED_IN),
    Case("contracts:list", SIGNED_IN, query="?export=csv&phase=mise_en_oeuvre"),
    Case("contracts:my_cls", {"anonymous": 302, "admin": 200, "coordinateur": 200}),
    Case("contracts:delegation_dashboard", {"anonymous": 302, "admin": 200, "delegation": 200}),
    Case("contracts:detail", {**READ, "pilote": 302, "elu": 302}, kwargs=pk),
    Case("contracts:retroplanning", READ, kwargs=pk),
    Case("contracts:edit", EDIT, kwargs=pk),
    Case("contracts:edit", EDIT_POST, kwargs=pk, method="post", data=_identity),
    # Without a coordinator, the délégation keeps the identity and the documents the guards of a phase change read.
    Case("contracts:edit", {**PLAN_STEPS, "coordinateur": 404}, kwargs=pk, setup=_no_coordinator),
    Case("contracts:document_upload", {**PLAN_STEPS, "coordinateur": 404}, kwargs=pk, setup=_no_coordinator),
    Case("contracts:perimeter", EDIT, kwargs=pk),
    # The ARS names the référent (an agent of the délégation): not the coordinator, who works for the collectivité.
    Case("contracts:referent", ARS_STAFF, kwargs=pk),
    Case("contracts:referent", {"anonymous": 302, "admin": 302, "delegation": 302, "region": 302}, kwargs=pk,
         method="post", data=lambda t: {"version": Contract.objects.get(pk=t.contract.pk).version, "referent": ""}),
    Case("contracts:transition_propose", {"anonymous": 302, "admin": 302, "coordinateur": 302},
         kwargs=lambda t: {"pk": t.contract.pk, "name": "engager"}, method="post", setup=_ready_to_engage,
         data=lambda t: {"comment": "La collectivité s'est engagée en conseil communautaire."}),
    Case("contracts:transition_fire", BOTH_POST,
         kwargs=lambda t: {"pk": t.contract.pk, "name": "ouvrir_evaluation_finale"}, method="post",
         setup=_in_last_year, data=lambda t: {"comment": "Dernière année du contrat."}),
    # A phase change normally proposed: done directly by the délégation when the contract has no coordinator (the
    # former coordinator no longer sees it), refused to everyone while a coordinator can propose it.
    Case("contracts:transition_fire", {**DECIDE_POST, "coordinateur": 404},
         kwargs=lambda t: {"pk": t.contract.pk, "name": "engager"}, method="post",
         setup=_ready_to_engage_without_coordinator, data=lambda t: {"comment": "Lettre d'intention reçue."}),
    Case("contracts:transition_fire", {"anonymous": 302},
         kwargs=lambda t: {"pk": t.contract.pk, "name": "engager"}, method="post", setup=_ready_to_engage,
         data=lambda t: {"comment": "Sans attendre la proposition du coordinateur."}),
    Case("contracts:proposal_decide", DECIDE_POST,
         kwargs=lambda t: {"pk": t.contract.pk, "proposal_pk": t.proposal.pk}, method="post",
         setup=_phase(Phase.EVALUATION_FINALE),
         data=lambda t: {"decision": "refuser", "comment": "Le rapport d'évaluation finale manque."}),
    Case("contracts:renew", BOTH_POST, kwargs=pk, method="post", setup=_phase(Phase.EVALUATION_FINALE),
         data=lambda t: {"nom": "Contrat local de santé de deuxième génération"}),
    Case("contracts:document_upload", EDIT, kwargs=pk),
    Case("contracts:document_upload", EDIT_POST, kwargs=pk, method="post",
         data=lambda t: {"type": DocumentType.AUTRE, "titre": "Charte de partenariat",
                         "fichier": upload("charte.pdf")}),
    Case("contracts:document_download", READ, kwargs=lambda t: {"pk": t.contract.pk, "doc_pk": t.document.pk}),
    Case("contracts:document_delete", EDIT_POST, kwargs=lambda t: {"pk": t.contract.pk, "doc_pk": t.document.pk},
         method="post", data=lambda t: {}),
    Case("contracts:signatory_add", EDIT, kwargs=pk),
    Case("contracts:evaluation_method", EDIT, kwargs=pk),
    Case("contracts:recruitment", PLAN_STEPS, kwargs=pk),
    Case("contracts:recruitment", PLAN_STEPS_POST, kwargs=pk, method="post",
         data=lambda t: {"version": Contract.objects.get(pk=t.contract.pk).version,
                         "recrutement_avis_ars": "Avis favorable", "recrutement_prise_de_poste": ""}),
    Case("contracts:prealable", EDIT, kwargs=pk),
    Case("contracts:prealable", EDIT_POST, kwargs=pk, method="post",
         data=lambda t: {"version": Contract.objects.get(pk=t.contract.pk).version,
                         "specificites_locales": "", "dispositifs_existants": "CLSM depuis 2019",
                         "benefices_attendus": ""}),
    Case("contracts:evaluation_method", EDIT_POST, kwargs=pk, method="post",
         data=lambda t: {"version": Contract.objects.get(pk=t.contract.pk).version,
                         "evaluation_questions": "Le CLS a-t-il réduit le renoncement aux soins ?",
                         "evaluation_evaluateurs": "", "evaluation_calendrier": ""}),
    Case("contracts:signatory_commitments", EDIT,
         kwargs=lambda t: {"pk": t.contract.pk, "signatory_pk": t.signatory.pk}),
    Case("contracts:signatory_commitments", EDIT_POST, method="post",
         kwargs=lambda t: {"pk": t.contract.pk, "signatory_pk": t.signatory.pk},
         data=lambda t: {"moyens_droit_commun": "Une chargée de prévention", "financement": "", "ingenierie": ""}),
    Case("contracts:signatory_remove", EDIT_POST,
         kwargs=lambda t: {"pk": t.contract.pk, "signatory_pk": t.signatory.pk}, method="post", data=lambda t: {}),
    Case("contracts:step_edit", BOTH, kwargs=lambda t: {"pk": t.contract.pk, "step_pk": t.step.pk}),
    Case("contracts:instance_add", EDIT, kwargs=pk),
    Case("contracts:member_add", EDIT, kwargs=lambda t: {"pk": t.contract.pk, "instance_pk": t.instance.pk}),
    Case("contracts:instance_add", EDIT_POST, kwargs=pk, method="post",
         data=lambda t: {"type": "cotech", "nom": "Comité technique", "mission": "Préparer les COPIL."}),
    Case("contracts:member_add", EDIT_POST,
         kwargs=lambda t: {"pk": t.contract.pk, "instance_pk": t.instance.pk}, method="post",
         data=lambda t: {"personne": "Dr Claire Martin", "role": "Médecin généraliste"}),
    Case("contracts:meeting_add", EDIT, kwargs=pk),
    Case("contracts:avenant_add", EDIT, kwargs=pk),
    Case("contracts:avenant_initials", EDIT_POST, method="post", setup=_phase(Phase.MISE_EN_OEUVRE),
         kwargs=lambda t: {"pk": t.contract.pk, "avenant_pk": _waiting_avenant(t).pk}, data=_initials),
    # Starting a région (issue 13): who creates a contract, plans its steps, creates organisations.
    Case("contracts:create", ARS_STAFF),
    Case("contracts:create", ARS_STAFF, method="post"),  # empty form: re-rendered with its errors
    Case("contracts:organisation_list", ORGANISATIONS),
    Case("contracts:organisation_create", ORGANISATIONS),
    Case("contracts:organisation_create", {**ORGANISATIONS, "admin": 302, "coordinateur": 302, "delegation": 302,
                                           "region": 302}, method="post",
         data=lambda t: {"region": t.region.code, "nom": "CCAS de Bayeux", "type": "ccas",
                         "departement": t.departement.pk}),
    Case("contracts:step_add", PLAN_STEPS, kwargs=pk),
    Case("contracts:step_add", PLAN_STEPS_POST, kwargs=pk, method="post",
         data=lambda t: {"titre": "Réunion publique de restitution", "phase": "diagnostic"}),
    Case("contracts:step_delete", PLAN_STEPS_POST, kwargs=step, method="post", data=lambda t: {}),
    Case("contracts:step_move", PLAN_STEPS_POST, kwargs=step, method="post", data=lambda t: {"direction": "down"}),
]
