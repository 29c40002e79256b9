import pytest

from tests import factories as f


@pytest.fixture
def contract(db):
    """A signed contract with a coordinator, a délégation and an elected official."""
    from cls_portal.accounts.models import Role

    region = f.RegionFactory(code="28", nom="Normandie")
    dep = f.DepartementFactory(code="14", nom="Calvados", region=region)
    delegation = f.DelegationFactory(departement=dep)
    collectivite = f.CollectiviteFactory(nom="Bayeux Intercom test")
    contract = f.ContractFactory(nom="Contrat local de santé de Bayeux test", collectivite=collectivite,
                                 ars=delegation.ars, delegations=[delegation],
                                 communes=[f.CommuneFactory(departement=dep, population=14500)])
    contract.people = {
        "coordinateur": f.with_role(f.UserFactory(username="coord-t"), Role.COORDINATEUR, organisation=collectivite),
        "delegation": f.with_role(f.UserFactory(username="dd-t"), Role.DELEGATION, departements=[dep]),
        "region": f.with_role(f.UserFactory(username="region-t"), Role.REGION, region=region),
        "elu": f.with_role(f.UserFactory(username="elu-t"), Role.ELU, organisation=collectivite),
    }
    contract.coordinators.set([contract.people["coordinateur"]])
    return contract
