"""The library of resources (issue 21 item 3): readers are the région's coordinators, pilots and ARS staff; only
the regional team (and administrators) writes. An élu has no library: every resource is out of his reach (404)."""

from tests.permission_cases import Case

READERS = {"anonymous": 302, "admin": 200, "coordinateur": 200, "pilote": 200, "delegation": 200, "region": 200}
TEAM = {"anonymous": 302, "admin": 200, "region": 200}
TEAM_POST = {"anonymous": 302, "admin": 302, "region": 302}
_PK = lambda t: {"pk": t.resource.pk}  # noqa: E731


def _new(t):
    return {"region": t.region.pk, "titre": "Fiche pratique n°3", "categorie": "fiche_pratique",
            "libelle": "v1", "date_version": "2025-01-15", "lien": "https://www.example.fr/fiche-3"}


CASES = [
    Case("resources:list", {**READERS, "elu": 403}),
    Case("resources:create", TEAM),
    Case("resources:create", TEAM_POST, method="post", data=_new),
    Case("resources:detail", {**READERS, "elu": 404}, kwargs=_PK),
    Case("resources:download", {**READERS, "elu": 404},
         kwargs=lambda t: {"pk": t.resource.pk, "version_pk": t.resource_file_version.pk}),
    Case("resources:edit", {**TEAM, "elu": 404}, kwargs=_PK),
    Case("resources:edit", {**TEAM_POST, "elu": 404}, kwargs=_PK, method="post",
         data=lambda t: {"titre": "Guide régional (édition révisée)", "categorie": "guide", "description": "",
                         "version": t.resource.version}),
    Case("resources:version_add", {**TEAM, "elu": 404}, kwargs=_PK),
    Case("resources:version_add", {**TEAM_POST, "elu": 404}, kwargs=_PK, method="post",
         data=lambda t: {"libelle": "2026", "date_version": "2026-01-10", "lien": "https://www.example.fr/g-2026"}),
    Case("resources:archive", {**TEAM_POST, "elu": 404}, kwargs=_PK, method="post", data=lambda t: {"archiver": "1"}),
]
