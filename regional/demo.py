"""Demo data of the regional view: a town contract inside an agglomeration's active contract.

Perimeters do overlap in real life (a town CLS kept alive beside its agglomeration's), and the
coverage indicator must count such communes once: the dashboard shows it on the demo data.
"""

import datetime as dt

from cls_portal.territories.models import ARS, Commune, Organisation, OrganisationType
from contracts import services as contract_services
from contracts.enums import Phase
from contracts.models import Contract

FLERS_VILLE = "Contrat local de santé de la Ville de Flers 2024-2028"


def seed(ctx):
    users = ctx.get("users", {})
    if Contract.objects.filter(nom=FLERS_VILLE).exists():
        return
    flers = Commune.objects.filter(code="61169").first()
    if flers is None:
        return
    ville, _ = Organisation.objects.get_or_create(nom="Ville de Flers", type=OrganisationType.COMMUNE,
                                                  defaults={"commune": flers})
    contract_services.contract_create(
        actor=users.get("admin"), nom=FLERS_VILLE, collectivite=ville, ars=ARS.objects.get(region_id="28"),
        commune_codes=[flers.code], prs="PRS Normandie 2023-2028", duree_annees=5,
        date_debut_prealable=dt.date(2023, 2, 1), phase=Phase.MISE_EN_OEUVRE, date_signature=dt.date(2024, 1, 25),
        qpv=True, nb_qpv=1,
    )
