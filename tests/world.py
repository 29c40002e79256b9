"""Two tenants and one user per role, for permission tables and cross-tenant tests.

`world.own`  : a Calvados (Normandie) contract; the users in `world.users` belong to it.
`world.other`: a Haute-Marne (Grand Est) contract with its own people; nobody in `world.users`
               except `admin` may see it.

Each app adds its objects to both tenants in `tests/worlds/<app>.py: extend(world, tenant)`.
"""

import importlib
import pkgutil
from dataclasses import dataclass, field

from cls_portal.accounts.models import Role
from tests import factories as f

ROLES = ["anonymous", "admin", "coordinateur", "pilote", "delegation", "region", "elu"]


@dataclass
class Tenant:
    key: str
    region: object
    departement: object
    delegation: object
    collectivite: object
    contract: object
    people: dict
    extra: dict = field(default_factory=dict)

    def __getattr__(self, name):  # objects added by app extensions: tenant.fiche, tenant.funding_year…
        extra = self.__dict__.get("extra", {})
        if name in extra:
            return extra[name]
        raise AttributeError(name)


@dataclass
class World:
    users: dict
    own: Tenant
    other: Tenant


def _tenant(key, region_code, region_nom, dep_code, dep_nom, people_prefix) -> Tenant:
    region = f.RegionFactory(code=region_code, nom=region_nom)
    dep = f.DepartementFactory(code=dep_code, nom=dep_nom, region=region)
    delegation = f.DelegationFactory(departement=dep)
    epci = f.EPCIFactory(nom=f"CC test {dep_nom}")
    communes = [f.CommuneFactory(departement=dep, epci=epci, population=p) for p in (12000, 3400, 850)]
    collectivite = f.CollectiviteFactory(nom=f"Communauté de communes test {dep_nom}", epci=epci)
    coordinateur = f.UserFactory(username=f"{people_prefix}coordinateur")
    pilote_org = f.OrganisationFactory(nom=f"CPAM test {dep_nom}", type="cpam", departement=dep)
    people = {
        "admin": None,
        "coordinateur": f.with_role(coordinateur, Role.COORDINATEUR, organisation=collectivite),
        "pilote": f.with_role(f.UserFactory(username=f"{people_prefix}pilote"), Role.PILOTE,
                              organisation=pilote_org),
        "delegation": f.with_role(f.UserFactory(username=f"{people_prefix}delegation"), Role.DELEGATION,
                                  departements=[dep]),
        "region": f.with_role(f.UserFactory(username=f"{people_prefix}region"), Role.REGION, region=region),
        "elu": f.with_role(f.UserFactory(username=f"{people_prefix}elu"), Role.ELU, organisation=collectivite),
    }
    contract = f.ContractFactory(
        nom=f"Contrat local de santé test {dep_nom}", collectivite=collectivite, ars=delegation.ars, epci=epci,
        communes=communes, delegations=[delegation], coordinators=[coordinateur], referent=people["delegation"],
    )
    axe = f.AxeFactory(contract=contract, numero=1, titre="Accès aux soins")
    fiche = f.FicheActionFactory(axe=axe, numero=1, titre=f"Maison de santé {dep_nom}",
                                 pilote_personne=people["pilote"], pilote_organisation=pilote_org)
    tenant = Tenant(key=key, region=region, departement=dep, delegation=delegation, collectivite=collectivite,
                    contract=contract, people=people, extra={"axe": axe, "fiche": fiche, "pilote_org": pilote_org,
                                                             "communes": communes, "epci": epci})
    return tenant


def _extensions():
    import tests.worlds as pkg

    for mod in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        yield importlib.import_module(f"tests.worlds.{mod.name}")


def build_world() -> World:
    admin = f.with_role(f.UserFactory(username="admin-test", is_staff=True, is_superuser=True), Role.ADMIN)
    own = _tenant("own", "28", "Normandie", "14", "Calvados", "")
    other = _tenant("other", "44", "Grand Est", "52", "Haute-Marne", "autre-")
    users = {"anonymous": None, "admin": admin, **{k: v for k, v in own.people.items() if k != "admin"}}
    world = World(users=users, own=own, other=other)
    for ext in _extensions():
        for tenant in (own, other):
            ext.extend(world, tenant)
    return world


def fresh_copy(world: World) -> World:
    """A deep copy of a world built once per session (see tests/conftest.py), for one test.

    Extensions that create objects lazily (on first use, inside the test) declare `relazy(world, tenant)`:
    their lazy objects close over the tenant they were made for and must be made again for the copy.
    """
    import copy

    copied = copy.deepcopy(world)
    for ext in _extensions():
        if hasattr(ext, "relazy"):
            for tenant in (copied.own, copied.other):
                ext.relazy(copied, tenant)
    return copied
