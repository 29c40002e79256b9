"""The library in both tenants: a resource of the tenant's région (two versions: a file, then a link)."""

import datetime as dt

from resources import services
from resources.enums import ResourceCategory
from tests.contracts.files import upload


def extend(world, tenant):
    team = tenant.people["region"]
    resource = services.resource_create(
        actor=team, region=tenant.region, titre=f"Guide régional {tenant.region.nom}", description="Le socle commun.",
        categorie=ResourceCategory.GUIDE, libelle="2024", date_version=dt.date(2024, 3, 1),
        fichier=upload("guide-2024.pdf"))
    first = resource.current_version
    services.resource_add_version(actor=team, resource=resource, libelle="2025", date_version=dt.date(2025, 3, 25),
                                  lien="https://www.example.fr/guide-2025")
    resource.refresh_from_db()
    tenant.extra.update(resource=resource, resource_file_version=first)
