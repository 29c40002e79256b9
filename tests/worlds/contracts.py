"""Contract-lifecycle objects for both tenants: a document, a signatory, an instance, a pending proposal."""

import datetime as dt

from contracts import services
from contracts.enums import DocumentType, InstanceType, Phase, SignatoryRole
from contracts.models import TransitionProposal
from tests.contracts.files import upload


def extend(world, tenant):
    contract = tenant.contract
    coord = tenant.people["coordinateur"]
    services.steps_create_defaults(contract=contract)
    tenant.extra["document"] = services.document_upload(
        actor=coord, contract=contract, type=DocumentType.COMPTE_RENDU, titre="Compte rendu du COPIL",
        fichier=upload("cr-copil.pdf"), date_document=dt.date(2025, 11, 20))
    tenant.extra["signatory"] = services.signatory_add(
        actor=coord, contract=contract, organisation=tenant.collectivite, role=SignatoryRole.COLLECTIVITE)
    tenant.extra["instance"] = services.instance_create(actor=coord, contract=contract, type=InstanceType.COPIL,
                                                        nom="COPIL")
    tenant.extra["step"] = contract.steps.order_by("ordre").first()
    # A pending closure proposal (created directly: the world contract is not at that phase).
    tenant.extra["proposal"] = TransitionProposal.objects.create(
        contract=contract, transition="clore", from_phase=Phase.EVALUATION_FINALE, to_phase=Phase.CLOS,
        proposed_by=coord)
