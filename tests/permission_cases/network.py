"""The regional network of coordinators (issue 21 item 4): the région's coordinators and ARS staff read it; the
regional team (and administrators) organises the events. Pilots and élus are not members: an event is out of
their reach (404)."""

from tests import factories as f
from tests.permission_cases import Case

MEMBERS = {"anonymous": 302, "admin": 200, "coordinateur": 200, "delegation": 200, "region": 200}
TEAM = {"anonymous": 302, "admin": 200, "region": 200}
TEAM_POST = {"anonymous": 302, "admin": 302, "region": 302}
OUTSIDERS = {"pilote": 404, "elu": 404}
_PK = lambda t: {"pk": t.event.pk}  # noqa: E731


def _new_coordinator(t):
    """A coordinator who took up his post after the invitations went out."""
    t.contract.coordinators.add(f.UserFactory(username=f"nouveau-coordinateur-{t.key}"))


CASES = [
    Case("network:directory", MEMBERS),
    Case("network:events", MEMBERS),
    Case("network:contact", {"anonymous": 302, "coordinateur": 200}),
    Case("network:contact", {"anonymous": 302, "coordinateur": 302}, method="post",
         data=lambda t: {"email": "", "telephone": "02 31 00 00 00"}),
    Case("network:event_create", TEAM),
    Case("network:event_create", TEAM_POST, method="post",
         data=lambda t: {"region": t.region.pk, "titre": "Journée de formation", "type": "formation",
                         "date": "2027-02-10", "lieu": "Rouen", "inviter": "on"}),
    Case("network:event_detail", {**MEMBERS, **OUTSIDERS}, kwargs=_PK),
    Case("network:event_edit", {**TEAM, **OUTSIDERS}, kwargs=_PK),
    Case("network:event_edit", {**TEAM_POST, **OUTSIDERS}, kwargs=_PK, method="post",
         data=lambda t: {"titre": "Journée régionale (programme révisé)", "type": "reunion_regionale",
                         "date": "2025-03-25", "lieu": "Caen", "version": t.event.version}),
    Case("network:event_invite", {**TEAM_POST, **OUTSIDERS}, kwargs=_PK, method="post", setup=_new_coordinator,
         data=lambda t: {}),
    Case("network:news", MEMBERS),  # pilots and élus: 403 (not members of the network)
    Case("network:news_create", TEAM),
    Case("network:news_create", TEAM_POST, method="post",
         data=lambda t: {"region": t.region.pk, "titre": "Appel à projets prévention 2027",
                         "texte": "Dépôt des dossiers jusqu'au 15 mars.", "lien": ""}),
    Case("network:attendance", {**TEAM_POST, **OUTSIDERS}, kwargs=_PK, method="post",
         data=lambda t: {f"presence_{t.event_invitation.pk}": "present"}),
]
