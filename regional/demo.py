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
    Organisation.objects.get_or_create(nom="Ville de Flers", type=OrganisationType.COMMUNE,
                                       defaults={"commune": flers})
    # Brought in already signed, as the regional team's import does: the steps before the signature are done
    # (created as « à venir », they stood in every list as six « étapes en retard » of a contract signed in 2024).
    contract = contract_services.contract_import_existing(
        actor=users.get("admin"), ars=ARS.objects.get(region_id="28"), nom=FLERS_VILLE, collectivite_code=flers.code,
        commune_codes=[flers.code], phase=Phase.MISE_EN_OEUVRE, date_debut_prealable=dt.date(2023, 2, 1),
        date_signature=dt.date(2024, 1, 25), duree_annees=5,
    )
    Contract.objects.filter(pk=contract.pk).update(prs="PRS Normandie 2023-2028", qpv=True, nb_qpv=1)
