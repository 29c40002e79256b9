"""History in words for the library: the sentence of each `ResourceEvent`. The lines are read on the
resource's own page (never on a contract's), which the library's predicates guard."""

from cls_portal.core import history

from .enums import ResourceEvent as E
from .models import Resource

SENTENCES = {
    E.CREEE: "Ressource « {titre} » créée",
    E.MODIFIEE: "Ressource « {titre} » modifiée",
    E.VERSION_AJOUTEE: "Nouvelle version « {version} » de la ressource « {titre} »",
    E.ARCHIVEE: "Ressource « {titre} » archivée",
    E.RESTAUREE: "Ressource « {titre} » remise en service",
}


def register():
    history.register_events(E, sentences=SENTENCES, audience="ressources", edits={E.MODIFIEE})
    # Not a contract's: no line of the library shows on a contract page.
    history.register_audience("ressources", lambda user, contract: False)
    history.register_subject(Resource, lambda r: {"titre": r.titre})
    history.register_labels({"fichier": "Fichier", "libelle_version": "Version", "date_version": "Date de la version",
                             "lien": "Lien"})
