"""History in words for the action plan: the sentence of each `ActionEvent`, who reads it, what it names.

Registered with `cls_portal.core.history` by `ActionsConfig.ready`. Audiences follow the pages: the plan
and its sheets for whoever may open the plan (`can_view_plan`); the review exchange (requests for
changes, review comments) for whoever may read it on the sheet page (`can_view_review`).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from cls_portal.core import history

from . import permissions
from .enums import ActionEvent as E
from .models import Axe, ChampAction, FicheAction, SuiviAnnuel

# The year's follow-up is recorded on its sheet (`services.suivi_save`): its fields' labels and values are
# SuiviAnnuel's, scoped to the sheet's lines.
SUIVI_KEYS = ("avancement", "realise", "difficultes", "perspectives")

SENTENCES = {
    E.AXE_CREE: "Axe {axe} « {titre} » ajouté au plan d'action",
    E.AXE_MODIFIE: "Axe {axe} « {titre} » modifié",
    E.AXE_DEPLACE: "Axe « {titre} » déplacé dans le plan d'action",
    E.FICHE_CREEE: "Fiche {fiche} « {titre} » créée",
    E.FICHE_MODIFIEE: "Fiche {fiche} modifiée",
    E.FICHE_SOUMISE: "Fiche {fiche} soumise à la délégation",
    E.FICHE_MODIFICATIONS_DEMANDEES: "Modifications demandées sur la fiche {fiche}",
    E.FICHE_VALIDEE: "Fiche {fiche} validée",
    E.FICHE_PLAN_SIGNE: "Fiche {fiche} enregistrée comme validée : elle fait partie du plan d'action signé le "
                        "{date_signature} (version {version} du plan), importé dans le portail",
    E.FICHE_DEMARREE: "Action de la fiche {fiche} démarrée",
    E.FICHE_TERMINEE: "Fiche {fiche} déclarée réalisée",
    E.FICHE_REPORTEE: "Fiche {fiche} reportée",
    E.FICHE_ABANDONNEE: "Fiche {fiche} abandonnée",
    # " par <who>" follows: the person who recorded the avenant, or its last initials, putting it in force.
    E.FICHE_RETIREE_PAR_AVENANT: "Fiche {fiche} retirée du plan d'action par l'avenant n°{avenant} du {date_avenant} : "
                                 "entrée en vigueur de l'avenant enregistrée",
    E.FICHE_COMMENTEE: "Commentaire de revue sur la fiche {fiche}",
    E.SUIVI_ENREGISTRE: "Suivi annuel {annee} de la fiche {fiche} enregistré",
    E.PLAN_IMPORTE: "Plan d'action importé depuis un fichier",
    E.PLAN_SIGNE_ENREGISTRE: "Plan d'action signé le {date_signature} enregistré dans le portail (version {version} "
                             "du plan) : ses fiches sont validées sans revue ni avenant",
    E.VALEURS_IMPORTEES: "Valeurs des indicateurs de la fiche {fiche} importées depuis un fichier",
    E.CHAMP_CREE: "Champ d'action « {champ} » ajouté à la liste de référence",
    E.CHAMP_MODIFIE: "Champ d'action « {champ} » modifié",
    E.RESSOURCE_SUIVIE: "Ressource régionale suivie par la fiche {fiche} modifiée",
    E.JALON_REALISE: "Réalisation du jalon « {jalon} » de la fiche {fiche} enregistrée",
}

REVIEW = {E.FICHE_MODIFICATIONS_DEMANDEES, E.FICHE_COMMENTEE}


def _plan(user, contract):
    return permissions.can_view_plan(user, contract)[0]


def _review(user, contract):
    """Coordinator, délégation, région: all; a pilot: the sheets he pilots or co-pilots; others: none."""
    if not permissions.can_view_plan(user, contract)[0]:
        return False
    if permissions._manages(user, contract) or permissions.is_delegation(user, contract) \
            or permissions.is_region(user, contract):
        return True
    mine = FicheAction.objects.filter(Q(pilote_personne=user) | Q(copilotes_personnes=user),
                                      contract=contract).values("pk")
    return Q(content_type=ContentType.objects.get_for_model(FicheAction), object_id__in=mine)


def register():
    history.register_events(E, sentences=SENTENCES, audience={None: "plan", **{e: "revue_fiche" for e in REVIEW}},
                            edits={E.AXE_MODIFIE, E.FICHE_MODIFIEE, E.SUIVI_ENREGISTRE, E.VALEURS_IMPORTEES,
                                   E.CHAMP_MODIFIE, E.RESSOURCE_SUIVIE, E.JALON_REALISE})
    history.register_audience("plan", _plan)
    history.register_audience("revue_fiche", _review)
    history.register_subject(Axe, lambda a: {"axe": a.numero, "titre": a.titre})
    history.register_subject(ChampAction, lambda c: {"champ": c.libelle})
    history.register_subject(FicheAction, lambda f: {"fiche": f.code, "titre": f.titre})
    history.register_labels({
        "copilotes": "Co-pilotes", "partenaires": "Partenaires", "jalons": "Jalons",
        "lignes_budget": "Lignes de budget", "financements": "Financements", "indicateurs": "Indicateurs",
        "axes": "Axes", "fiches": "Fiches actions", "date_realisee": "Date de réalisation",
        **{f"actions.ficheaction.{key}": history.field_label(SuiviAnnuel, key) for key in SUIVI_KEYS},
    })
    history.register_formatters({f"actions.ficheaction.{key}": _suivi_formatter(key) for key in SUIVI_KEYS})


def _suivi_formatter(key):
    return lambda value: history.display_value(SuiviAnnuel, key, value)
