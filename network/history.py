"""History in words for the network: the sentence of each event. Read on the event's own page."""

from cls_portal.core import history

from .enums import NetworkEvent as E
from .models import ContactCard, Event, News

SENTENCES = {
    E.EVENEMENT_CREE: "Rencontre « {titre} » créée",
    E.EVENEMENT_MODIFIE: "Rencontre « {titre} » modifiée",
    E.INVITATIONS: "Coordinateurs invités à « {titre} »",
    E.PRESENCES: "Présences enregistrées pour « {titre} »",
    E.COORDONNEES: "Coordonnées de {personne} dans l'annuaire du réseau modifiées",
    E.ACTUALITE_PUBLIEE: "Actualité « {titre} » publiée dans le réseau",
}


def register():
    history.register_events(E, sentences=SENTENCES, audience="reseau",
                            edits={E.EVENEMENT_MODIFIE, E.PRESENCES, E.COORDONNEES})
    history.register_audience("reseau", lambda user, contract: False)  # never on a contract's page
    history.register_subject(Event, lambda e: {"titre": e.titre})
    history.register_subject(ContactCard, lambda c: {"personne": str(c.user)})
    history.register_subject(News, lambda n: {"titre": n.titre})
    history.register_labels({"invites": "Coordinateurs invités", "presences": "Présences",
                             "destinataires": "Coordinateurs prévenus"})
