import datetime as dt

import pytest

from actions.enums import FicheStatut
from cls_portal.accounts.models import Role
from cls_portal.territories.models import OrganisationType
from contracts import services
from contracts.enums import DocumentType, Phase, SignatoryRole
from tests import factories as f
from tests.contracts.files import upload


class Setup:
    """A Calvados contract with its coordinator and délégation, in any phase."""

    def __init__(self, phase=Phase.PREALABLE, **contract_kwargs):
        self.region = f.RegionFactory(code="28", nom="Normandie")
        self.dep = f.DepartementFactory(code="14", nom="Calvados", region=self.region)
        self.delegation = f.DelegationFactory(departement=self.dep)
        epci = f.EPCIFactory(nom="Bayeux Intercom")
        self.communes = [f.CommuneFactory(departement=self.dep, epci=epci, population=p) for p in (13000, 2000)]
        self.collectivite = f.CollectiviteFactory(nom="Bayeux Intercom", epci=epci)
        self.coordinateur = f.with_role(f.UserFactory(username="coord"), Role.COORDINATEUR,
                                        organisation=self.collectivite)
        self.ars_user = f.with_role(f.UserFactory(username="dd14"), Role.DELEGATION, departements=[self.dep])
        self.admin = f.with_role(f.UserFactory(username="adm", is_superuser=True), Role.ADMIN)
        signature = contract_kwargs.pop("date_signature", None)
        if phase in (Phase.MISE_EN_OEUVRE, Phase.EVALUATION_FINALE, Phase.CLOS) and signature is None:
            signature = dt.date(2024, 3, 15)
        self.contract = services.contract_create(
            actor=self.admin, nom="CLS de Bayeux Intercom", collectivite=self.collectivite,
            ars=self.delegation.ars, epci=epci, coordinators=[self.coordinateur], referent=self.ars_user,
            date_debut_prealable=dt.date(2023, 1, 10), phase=phase, date_signature=signature, **contract_kwargs)

    def upload(self, doc_type, name="doc.pdf", **kw):
        return services.document_upload(actor=self.coordinateur, contract=self.contract, type=doc_type,
                                        titre=str(doc_type), fichier=upload(name), **kw)

    def ready_to_leave_prealable(self):
        self.upload(DocumentType.LETTRE_INTENTION, date_document=dt.date(2023, 5, 2))
        self.contract = services.contract_update(
            actor=self.coordinateur, contract=self.contract, version=None,
            data={"date_lettre_intention": dt.date(2023, 5, 2), "engagement_confirme": True})

    def add_signatories(self, roles=(SignatoryRole.COLLECTIVITE, SignatoryRole.ARS, SignatoryRole.PREFECTURE)):
        orgs = {SignatoryRole.COLLECTIVITE: self.collectivite,
                SignatoryRole.ARS: f.OrganisationFactory(nom="ARS Normandie", type=OrganisationType.ARS,
                                                         region=self.region),
                SignatoryRole.PREFECTURE: f.OrganisationFactory(nom="Préfecture du Calvados",
                                                                type=OrganisationType.PREFECTURE)}
        return [services.signatory_add(actor=self.coordinateur, contract=self.contract, organisation=orgs[r], role=r)
                for r in roles]

    def add_fiche(self, statut=FicheStatut.VALIDEE, pilote=True, **kw):
        axe = self.contract.axes.first() or f.AxeFactory(contract=self.contract, numero=1, titre="Accès aux soins")
        pilote_org = f.OrganisationFactory(nom="CPAM du Calvados", type=OrganisationType.CPAM) if pilote else None
        return f.FicheActionFactory(axe=axe, statut=statut, pilote_organisation=pilote_org, **kw)

    def ready_to_sign(self):
        self.add_fiche()
        self.add_signatories()
        self.upload(DocumentType.CONTRAT_SIGNE, date_document=dt.date(2024, 6, 1))


@pytest.fixture
def setup(db):
    return Setup


@pytest.fixture
def today(monkeypatch):
    """Freeze the services' notion of today."""
    def freeze(day):
        monkeypatch.setattr("contracts.services._today", lambda: day)
    return freeze
