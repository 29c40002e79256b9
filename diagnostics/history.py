"""History in words for diagnostics: the sentence of each `DiagnosticEvent`, who reads it, what it names.

Registered with `cls_portal.core.history` by `DiagnosticsConfig.ready`. Every line is for whoever may
open the diagnostic (`can_view_diagnostic`), as the page itself.
"""

from cls_portal.core import history

from . import permissions
from .enums import DiagnosticEvent as E
from .enums import Outil
from .models import Diagnostic

SENTENCES = {
    E.CREE: "Diagnostic commencé (version {numero})",
    E.NOUVELLE_VERSION: "Version {numero} du diagnostic créée à partir de la version validée",
    E.PREPARATION: "Préparation du diagnostic (version {numero}) modifiée",
    E.RETROPLANNING: "Rétroplanning du diagnostic modifié",
    E.INDICATEURS: "Données quantitatives du diagnostic modifiées",
    E.INDICATEURS_IMPORTES: "Indicateurs importés dans le diagnostic depuis un fichier",
    E.CONSULTATIONS: "Consultations du diagnostic modifiées",
    E.POLITIQUES: "Croisement du diagnostic avec les politiques existantes modifié",
    E.RESSOURCES: "Ressources locales du diagnostic modifiées",
    E.PORTRAIT: "Portrait de territoire modifié",
    E.ACTEURS: "Cartographie des acteurs modifiée",
    E.PRIORITES: "Priorités du diagnostic modifiées",
    E.SOUMIS: "Diagnostic (version {numero}) soumis à la délégation",
    E.COMMENTE: "Commentaire de la délégation sur le diagnostic",
    E.MODIFICATIONS_DEMANDEES: "Modifications demandées sur le diagnostic (version {numero})",
    E.VALIDE: "Diagnostic (version {numero}) validé",
    E.AXE_CREE: "Axe {axe} créé dans le plan d'action à partir de la priorité « {priorite} »",
}


def _outils(value):
    labels = dict(Outil.choices)
    return ", ".join(labels.get(v, str(v)) for v in value) if isinstance(value, list) else labels.get(value, value)


def register():
    history.register_events(E, sentences=SENTENCES, audience="diagnostic", edits={
        E.PREPARATION, E.RETROPLANNING, E.INDICATEURS, E.CONSULTATIONS, E.POLITIQUES, E.RESSOURCES, E.PORTRAIT,
        E.ACTEURS, E.PRIORITES})
    history.register_audience("diagnostic",
                              lambda user, contract: permissions.can_view_diagnostic(user, contract)[0])
    history.register_subject(Diagnostic, lambda d: {"numero": d.numero})
    history.register_formatters({"diagnostics.diagnostic.outils": _outils})
    history.register_labels({
        "retroplanning": "Rétroplanning", "etapes": "Étapes", "indicateurs": "Données quantitatives",
        "consultations": "Consultations", "politiques": "Politiques croisées", "ressources": "Ressources locales",
        "portrait": "Portrait de territoire", "acteurs": "Acteurs", "priorites": "Priorités",
        "indicateurs_importes": "Indicateurs importés", "priorite": "Priorité",
    })
