"""Action-plan objects for each tenant: sheets in the statuses the permission table needs.

They are numbered 1.11 to 1.13 so that tests adding sheets 1.2, 1.3… to the world's axe do not collide.
"""

import datetime as dt
from decimal import Decimal

from actions.enums import FicheStatut
from actions.models import Indicateur
from contracts.enums import Phase
from tests import factories as f


def complete_fiche(fiche, *, cible=Decimal("100")):
    """Fill what `fiche_missing` checks (pilot, objectives, description, public, dates, an indicator)."""
    fiche.objectif_general = "Améliorer l'accès aux soins de premier recours."
    fiche.objectifs_operationnels = "Ouvrir deux permanences par semaine."
    fiche.description = "Permanences de médecins généralistes dans les communes sans cabinet."
    fiche.public_cible = "Habitants sans médecin traitant."
    fiche.date_debut, fiche.date_fin = dt.date(2024, 9, 1), dt.date(2027, 6, 30)
    fiche.save()
    Indicateur.objects.create(fiche=fiche, libelle="Nombre de consultations", unite="consultations",
                              valeur_reference=Decimal("0"), annee_reference=2023, cible=cible, annee_cible=2027)
    return fiche


def added_by_avenant(fiche, actor, *, initialled=True):
    """An avenant adding `fiche` to the signed plan (« Fiche ajoutée »), initialled by every signatory of the
    contract (in force), or by none (`initialled=False`: waiting for initials, unless there is no signatory)."""
    from contracts import services
    from contracts.enums import PlanChangeKind, SignatoryRole

    signataires = list(fiche.contract.signatories.exclude(role=SignatoryRole.PARTENAIRE)) if initialled else []
    return services.avenant_create(actor=actor, contract=fiche.contract, date=dt.date(2024, 9, 1),
                                   objet=f"Ajout de la fiche {fiche.code}", signataires=signataires,
                                   changes=[{"kind": PlanChangeKind.AJOUT, "fiche": fiche}])


def signed_before_portal(tenant, *, drafts=2):
    """A contract of `tenant` signed on 12/10/2022 before it came into the portal, coordinated by the tenant's
    coordinator, with `drafts` sheets in draft (the tenant's pilot pilots them) and nothing validated."""
    contract = f.ContractFactory(nom=f"CLS signé hors portail {tenant.key}", collectivite=tenant.collectivite,
                                 ars=tenant.contract.ars, delegations=[tenant.delegation],
                                 coordinators=[tenant.people["coordinateur"]], referent=tenant.people["delegation"],
                                 phase=Phase.MISE_EN_OEUVRE, date_signature=dt.date(2022, 10, 12))
    axe = f.AxeFactory(contract=contract, numero=1, titre="Accès aux soins")
    for n in range(1, drafts + 1):
        f.FicheActionFactory(axe=axe, numero=n, pilote_personne=tenant.people["pilote"],
                             pilote_organisation=tenant.pilote_org)
    return contract


def extend(world, tenant):
    pilote = tenant.people["pilote"]
    axe = tenant.extra["axe"]
    org = tenant.extra["pilote_org"]
    soumise = complete_fiche(f.FicheActionFactory(axe=axe, numero=11, titre="Permanences de soins",
                                                  pilote_personne=pilote, pilote_organisation=org,
                                                  statut=FicheStatut.SOUMISE))
    validee = complete_fiche(f.FicheActionFactory(axe=axe, numero=12, titre="Dépistage du diabète",
                                                  pilote_personne=pilote, pilote_organisation=org,
                                                  statut=FicheStatut.VALIDEE))
    autre = complete_fiche(f.FicheActionFactory(axe=axe, numero=13, titre="Prévention des chutes",
                                                pilote_personne=f.UserFactory(), pilote_organisation=org,
                                                statut=FicheStatut.VALIDEE))
    tenant.extra.update(fiche_soumise=soumise, fiche_validee=validee, fiche_autre=autre)
