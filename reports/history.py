"""History in words for annual reports: the sentence of each `ReportEvent`, who reads it, what it names.

Registered with `cls_portal.core.history` by `ReportsConfig.ready`. Jobs (requested, ready, failed,
retried) are drafts: for whoever may see unpublished reports (`can_view_drafts`); a publication is for
everyone who sees the contract, as the published report itself.
"""

from cls_portal.core import history

from . import permissions
from .enums import ReportEvent as E
from .models import Report, ReportCampaign

SENTENCES = {
    E.DEMANDE: "Rapport {type} {annee} demandé",
    E.CAMPAGNE_LANCEE: "Campagne de rapports {annee} lancée ({perimetre})",
    E.PRET: "Rapport {type} {annee} prêt à être publié",
    E.ECHEC: "Échec de la production du rapport {type} {annee}",
    E.RELANCE: "Production du rapport {type} {annee} relancée",
    E.PUBLIE: "Rapport {type} {annee} publié (version {version})",
    E.RESSOURCE: "Ressource régionale suivie par le rapport {type} {annee} modifiée",
}
# "Rapport d'activité 2025", "Rapport financier 2025".
TYPES = {"activite": "d'activité", "financier": "financier"}


def register():
    history.register_events(E, sentences=SENTENCES, audience={None: "rapport_brouillon", E.PUBLIE: "rapport_publie"},
                            edits={E.RESSOURCE})
    history.register_audience("rapport_brouillon",
                              lambda user, contract: permissions.can_view_drafts(user, contract)[0])
    history.register_audience("rapport_publie", lambda user, contract: True)
    history.register_subject(Report, lambda r: {"type": TYPES.get(r.kind, ""), "annee": r.year,
                                                "version": r.version or ""})
    history.register_subject(ReportCampaign, lambda c: {
        "annee": c.year, "perimetre": str(c.departement or c.region or "France entière")})
    history.register_labels({"contrats": "Contrats concernés"})
