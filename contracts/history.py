"""History in words for contracts: the sentence of each `ContractEvent`, who reads it, what it names.

Registered with `cls_portal.core.history` by `ContractsConfig.ready`.
"""

from cls_portal.core import history
from cls_portal.territories.models import Organisation

from .enums import ContractEvent as E
from .enums import Phase
from .models import (
    QPV,
    Avenant,
    Contract,
    Document,
    Instance,
    InstanceMember,
    Meeting,
    Signatory,
    Step,
    TransitionProposal,
)

SENTENCES = {
    E.CREE: "Contrat « {nom} » créé",
    E.CREE_PAR_RENOUVELLEMENT: "Contrat « {nom} » créé par renouvellement de « {precedent} »",
    E.RENOUVELE: "Renouvellement préparé : contrat de génération suivante « {suivant} »",
    E.IDENTITE_MODIFIEE: "Identité du contrat modifiée",
    E.REFERENT_DESIGNE: "Référent ARS du contrat modifié",
    E.PERIMETRE_MODIFIE: "Périmètre du contrat modifié",
    E.PROPOSITION_TRANSMISE: "Proposition « {transition} » transmise à la délégation",
    E.PROPOSITION_REFUSEE: "Proposition « {transition} » refusée",
    E.PHASE_CHANGEE: "Contrat passé en « {phase} »",
    # " par <the délégation's agent>" follows: nobody could propose it, the délégation did it itself.
    E.PHASE_CHANGEE_SANS_PROPOSITION: ("Changement de phase par la délégation, sans proposition (aucun coordinateur "
                                       "désigné) : contrat passé en « {phase} »"),
    E.ETAPE_AJOUTEE: "Étape « {titre} » ajoutée",
    E.ETAPE_MODIFIEE: "Étape « {titre} » modifiée",
    E.ETAPE_SUPPRIMEE: "Étape « {titre} » supprimée",
    E.ETAPE_DEPLACEE: "Étape « {titre} » déplacée",
    E.IMPORTE: "Contrat « {nom} » importé d'un fichier (CLS existant)",
    E.ORGANISATION_CREEE: "Organisation « {organisation} » créée",
    E.DOCUMENT_DEPOSE: "Document « {titre} » déposé",
    E.DOCUMENT_NOUVELLE_VERSION: "Nouvelle version du document « {titre} » déposée",
    E.DOCUMENT_SUPPRIME: "Document « {titre} » supprimé",
    E.SIGNATAIRE_AJOUTE: "Signataire ou partenaire ajouté : {signataire}",
    E.SIGNATAIRE_RETIRE: "Signataire ou partenaire retiré : {signataire}",
    E.SIGNATAIRE_ENGAGEMENTS: "Engagements du signataire {signataire} modifiés",
    E.EVALUATION_METHODE: "Méthode de l'évaluation finale modifiée",
    E.PREALABLE_BILAN: "Bilan de la phase préalable modifié",
    E.RECRUTEMENT: "Recrutement du coordinateur : avis de l'ARS ou prise de poste enregistrés",
    E.INSTANCE_CREEE: "Instance « {instance} » créée",
    E.MEMBRE_AJOUTE: "Membre ajouté à l'instance « {instance} » : {membre}",
    E.REUNION_ENREGISTREE: "Réunion enregistrée : {reunion}",
    E.AVENANT_ENREGISTRE: "Avenant n°{numero} enregistré",
    # " par <who>" follows: the person who recorded the initials, often of other signatories (listed below it).
    E.AVENANT_PARAPHE: "Paraphes de l'avenant n°{numero} enregistrés",
    E.QPV_ENREGISTRE: "Quartier prioritaire « {qpv} » enregistré dans le référentiel régional",
    E.QPV_IMPORTES: "Quartiers prioritaires importés dans le référentiel régional",
}


def _phase_label(code):
    return Phase(code).label if code in Phase.values else code


def register():
    # Everything on the contract page is for whoever may open it (the page answers 403 to the others).
    history.register_events(E, sentences=SENTENCES, audience="contrat",
                            edits={E.IDENTITE_MODIFIEE, E.REFERENT_DESIGNE, E.ETAPE_MODIFIEE, E.PERIMETRE_MODIFIE,
                                   E.SIGNATAIRE_ENGAGEMENTS, E.EVALUATION_METHODE,
                                   E.PREALABLE_BILAN, E.RECRUTEMENT})
    history.register_audience("contrat", lambda user, contract: True)
    history.register_subject(Contract, lambda c: {"nom": c.nom})
    history.register_subject(Document, lambda d: {"titre": d.titre})
    history.register_subject(Signatory, lambda s: {"signataire": str(s)})
    history.register_subject(Instance, lambda i: {"instance": i.nom})
    history.register_subject(InstanceMember, lambda m: {"instance": m.instance.nom, "membre": str(m)})
    history.register_subject(Meeting, lambda m: {"reunion": str(m)})
    history.register_subject(Step, lambda s: {"titre": s.titre})
    history.register_subject(Organisation, lambda o: {"organisation": o.nom})
    history.register_subject(Avenant, lambda a: {"numero": a.numero})
    history.register_subject(QPV, lambda q: {"qpv": str(q)})
    history.register_subject(TransitionProposal, lambda p: {"transition": _proposal_label(p.transition)})
    history.register_labels({
        "communes": "Communes du périmètre", "communes_ajoutees": "Communes ajoutées",
        "communes_retirees": "Communes retirées", "fiches_reprises": "Fiches actions reprises",
        "document": "Document", "rang": "Rang dans la démarche", "qpv_crees": "QPV ajoutés",
        "qpv_modifies": "QPV mis à jour", "paraphes": "Signataires qui ont paraphé",
        "plan_en_vigueur": "Version du plan d'action en vigueur",
    })
    history.register_formatters({"contracts.phasetransition.phase": _phase_label})


def _proposal_label(name):
    from .workflow import TRANSITIONS

    return TRANSITIONS[name].label if name in TRANSITIONS else "changement de phase"
