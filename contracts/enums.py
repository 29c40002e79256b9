from django.db import models


class Phase(models.TextChoices):
    PREALABLE = "prealable", "Phase préalable"
    DIAGNOSTIC = "diagnostic", "Diagnostic et élaboration du plan d'action"
    MISE_EN_OEUVRE = "mise_en_oeuvre", "Mise en œuvre et évaluation"
    EVALUATION_FINALE = "evaluation_finale", "Évaluation finale"
    CLOS = "clos", "Clos"


# Phases of a signed contract not yet closed. In force ("signés et actifs" in the ARS figures) also needs its end
# date not past: `contracts.models.q_in_force` is the rule; these phases alone say what a signed contract may do
# (avenants, follow-up) and what it still owes.
ACTIVE_PHASES = [Phase.MISE_EN_OEUVRE, Phase.EVALUATION_FINALE]
PHASE_ORDER = [Phase.PREALABLE, Phase.DIAGNOSTIC, Phase.MISE_EN_OEUVRE, Phase.EVALUATION_FINALE, Phase.CLOS]


class ProposalStatus(models.TextChoices):
    PENDING = "en_attente", "En attente de validation"
    ACCEPTED = "validee", "Validée"
    REFUSED = "refusee", "Refusée"
    WITHDRAWN = "retiree", "Retirée"


class DocumentType(models.TextChoices):
    LETTRE_INTENTION = "lettre_intention", "Lettre d'intention"
    CONTRAT_SIGNE = "contrat_signe", "Contrat signé"
    AVENANT = "avenant", "Avenant signé"
    COMPTE_RENDU = "compte_rendu", "Compte rendu"
    DIAGNOSTIC = "diagnostic", "Diagnostic"
    RAPPORT = "rapport", "Rapport"
    RAPPORT_EVALUATION_FINALE = "rapport_evaluation_finale", "Rapport d'évaluation finale"
    FICHE_POSTE = "fiche_poste", "Fiche de poste du coordinateur"
    LETTRE_MISSION = "lettre_mission", "Lettre de mission du coordinateur"
    AUTRE = "autre", "Autre"


# Signed or official documents: never deleted, only superseded by a new version.
SIGNED_DOCUMENT_TYPES = {DocumentType.LETTRE_INTENTION, DocumentType.CONTRAT_SIGNE, DocumentType.AVENANT,
                         DocumentType.RAPPORT_EVALUATION_FINALE, DocumentType.LETTRE_MISSION}


class SignatoryRole(models.TextChoices):
    COLLECTIVITE = "collectivite", "Signataire obligatoire : collectivité"
    ARS = "ars", "Signataire obligatoire : ARS"
    PREFECTURE = "prefecture", "Signataire obligatoire : préfecture"
    AUTRE_SIGNATAIRE = "autre_signataire", "Autre signataire"
    PARTENAIRE = "partenaire", "Partenaire associé"


MANDATORY_SIGNATORY_ROLES = [SignatoryRole.COLLECTIVITE, SignatoryRole.ARS, SignatoryRole.PREFECTURE]
SIGNATORY_ROLES = MANDATORY_SIGNATORY_ROLES + [SignatoryRole.AUTRE_SIGNATAIRE]


class StepKind(models.TextChoices):
    ENGAGEMENT = "engagement", "Engagement de la collectivité"
    PREPARATION_DIAGNOSTIC = "preparation_diagnostic", "Préparation du diagnostic"
    REALISATION_DIAGNOSTIC = "realisation_diagnostic", "Réalisation du diagnostic local de santé partagé"
    PLAN_ACTION = "plan_action", "Construction du plan d'action"
    SIGNATURE = "signature", "Validation du plan d'action et signature du CLS"
    MISE_EN_OEUVRE = "mise_en_oeuvre", "Mise en œuvre des fiches actions"
    EVALUATION_CONTINUE = "evaluation_continue", "Évaluation continue (revue annuelle)"
    EVALUATION_FINALE = "evaluation_finale", "Évaluation finale"
    VALORISATION = "valorisation", "Valorisation et communication"
    AUTRE = "autre", "Autre étape"


class StepStatus(models.TextChoices):
    A_VENIR = "a_venir", "À venir"
    EN_COURS = "en_cours", "En cours"
    REALISEE = "realisee", "Réalisée"


class InstanceType(models.TextChoices):
    COPIL = "copil", "Comité de pilotage (COPIL)"
    COTECH = "cotech", "Comité technique (COTECH)"
    GROUPE_TRAVAIL = "groupe_travail", "Groupe de travail"
    # Phase préalable (fiche pratique): the elected officials' first meeting with the délégation, and the ARS
    # presenting the approach to the community council.
    RENCONTRE_ELUS = "rencontre_elus", "Rencontre des élus avec la délégation départementale"
    CONSEIL = "conseil", "Conseil communautaire ou municipal (présentation de la démarche par l'ARS)"


class PlanChangeKind(models.TextChoices):
    AJOUT = "ajout", "Fiche ajoutée"
    MODIFICATION = "modification", "Fiche modifiée"
    RETRAIT = "retrait", "Fiche retirée"


class ContractEvent(models.TextChoices):
    """Typed history events of contracts (sentences and audiences: contracts/history.py)."""

    CREE = "contrat_cree", "Contrat créé"
    CREE_PAR_RENOUVELLEMENT = "contrat_cree_par_renouvellement", "Contrat créé par renouvellement"
    RENOUVELE = "contrat_renouvele", "Contrat renouvelé"
    IDENTITE_MODIFIEE = "contrat_identite_modifiee", "Identité du contrat modifiée"
    REFERENT_DESIGNE = "contrat_referent_designe", "Référent ARS désigné"
    PERIMETRE_MODIFIE = "contrat_perimetre_modifie", "Périmètre modifié"
    PROPOSITION_TRANSMISE = "contrat_proposition_transmise", "Changement de phase proposé"
    PROPOSITION_REFUSEE = "contrat_proposition_refusee", "Proposition de changement de phase refusée"
    PHASE_CHANGEE = "contrat_phase_changee", "Changement de phase"
    PHASE_CHANGEE_SANS_PROPOSITION = ("contrat_phase_changee_sans_proposition",
                                      "Changement de phase par la délégation, sans proposition")
    ETAPE_AJOUTEE = "contrat_etape_ajoutee", "Étape ajoutée"
    ETAPE_MODIFIEE = "contrat_etape_modifiee", "Étape modifiée"
    ETAPE_SUPPRIMEE = "contrat_etape_supprimee", "Étape supprimée"
    ETAPE_DEPLACEE = "contrat_etape_deplacee", "Étape déplacée"
    IMPORTE = "contrat_importe", "Contrat importé"
    ORGANISATION_CREEE = "organisation_creee", "Organisation créée"
    DOCUMENT_DEPOSE = "contrat_document_depose", "Document déposé"
    DOCUMENT_NOUVELLE_VERSION = "contrat_document_nouvelle_version", "Nouvelle version d'un document"
    DOCUMENT_SUPPRIME = "contrat_document_supprime", "Document supprimé"
    SIGNATAIRE_AJOUTE = "contrat_signataire_ajoute", "Signataire ou partenaire ajouté"
    SIGNATAIRE_RETIRE = "contrat_signataire_retire", "Signataire ou partenaire retiré"
    SIGNATAIRE_ENGAGEMENTS = "contrat_signataire_engagements", "Engagements d'un partenaire modifiés"
    EVALUATION_METHODE = "contrat_evaluation_methode", "Méthode de l'évaluation finale modifiée"
    PREALABLE_BILAN = "contrat_prealable_bilan", "Bilan de la phase préalable modifié"
    RECRUTEMENT = "contrat_recrutement", "Recrutement du coordinateur"
    INSTANCE_CREEE = "contrat_instance_creee", "Instance de gouvernance créée"
    MEMBRE_AJOUTE = "contrat_membre_ajoute", "Membre ajouté à une instance"
    REUNION_ENREGISTREE = "contrat_reunion_enregistree", "Réunion enregistrée"
    AVENANT_ENREGISTRE = "contrat_avenant_enregistre", "Avenant enregistré"
    AVENANT_PARAPHE = "contrat_avenant_paraphe", "Avenant paraphé"
    QPV_ENREGISTRE = "qpv_enregistre", "Quartier prioritaire enregistré"
    QPV_IMPORTES = "qpv_importes", "Quartiers prioritaires importés"
