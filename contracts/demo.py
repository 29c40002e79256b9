"""Demo organisations, accounts and contracts (see README for the accounts)."""

import datetime as dt

from django.contrib.auth import get_user_model

from cls_portal.accounts.models import Role, RoleMembership
from cls_portal.territories.models import ARS, EPCI, Departement, Organisation, OrganisationType, Region

from . import services
from .enums import Phase
from .models import Contract

PASSWORD = "demo"

CONTRACTS = [
    # key, EPCI SIREN, name, phase, signature, start of préalable, duration, generation, flags
    ("bayeux", "241400555", "Contrat local de santé de Bayeux Intercom 2024-2028", Phase.MISE_EN_OEUVRE,
     dt.date(2024, 3, 15), dt.date(2023, 1, 10), 5, 1, {"rural": True, "clsm": False}),
    ("coutances", "200067023", "Contrat local de santé de Coutances Mer et Bocage", Phase.DIAGNOSTIC,
     None, dt.date(2025, 9, 1), 5, 1, {"rural": True}),
    ("langres", "200072999", "Contrat local de santé du Grand Langres 2023-2027", Phase.MISE_EN_OEUVRE,
     dt.date(2023, 6, 20), dt.date(2022, 5, 2), 5, 1, {"rural": True}),
    ("prebocage", "200069524", "Contrat local de santé de Pré-Bocage Intercom", Phase.PREALABLE,
     None, dt.date(2026, 6, 1), 5, 1, {"rural": True}),
    ("flers", "200035814", "Contrat local de santé de Flers Agglo 2022-2026", Phase.EVALUATION_FINALE,
     dt.date(2022, 2, 1), dt.date(2021, 1, 15), 5, 1, {"qpv": True, "nb_qpv": 2, "clsm": True}),
    ("caux1", "200010700", "Contrat local de santé de Caux Seine Agglo 2020-2022", Phase.CLOS,
     dt.date(2020, 1, 20), dt.date(2019, 3, 1), 3, 1, {"qpv": True, "nb_qpv": 1}),
    ("caux2", "200010700", "Contrat local de santé de Caux Seine Agglo 2023-2027", Phase.MISE_EN_OEUVRE,
     dt.date(2023, 4, 3), dt.date(2022, 6, 1), 5, 2, {"qpv": True, "nb_qpv": 1, "clsm": True}),
]

USERS = [
    # username, first, last, email
    ("admin", "Alice", "Administratrice", "admin@cls.example.fr"),
    ("coordinateur", "Camille", "Lefèvre", "camille.lefevre@bayeux-intercom.example.fr"),
    ("coordinateur2", "Thomas", "Marie", "thomas.marie@coutances-mer-bocage.example.fr"),
    ("coordinatrice-langres", "Sophie", "Girard", "sophie.girard@grand-langres.example.fr"),
    ("pilote", "Julie", "Bernard", "julie.bernard@cpam-calvados.example.fr"),
    ("ars14", "Nicolas", "Dupont", "nicolas.dupont@ars.sante.example.fr"),
    ("ars50", "Claire", "Leroy", "claire.leroy@ars.sante.example.fr"),
    ("ars52", "Marc", "Schmitt", "marc.schmitt@ars.sante.example.fr"),
    ("ars-normandie", "Hélène", "Morel", "helene.morel@ars.sante.example.fr"),
    ("elu", "Patrick", "Lemoine", "patrick.lemoine@bayeux-intercom.example.fr"),
]


def _user(username, first, last, email):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": email})
    if created:
        user.set_password(PASSWORD)
        if username == "admin":
            user.is_staff = user.is_superuser = True
        user.save()
    return user


def _membership(user, role, *, organisation=None, region=None, departements=()):
    m, _ = RoleMembership.objects.get_or_create(user=user, role=role, organisation=organisation, region=region)
    if departements:
        m.departements.set(departements)
    return m


def _collectivite(epci: EPCI) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        nom=epci.nom, type=OrganisationType.EPCI, defaults={"epci": epci})
    return org


def seed(ctx):
    users = {u[0]: _user(*u) for u in USERS}
    normandie, grand_est = Region.objects.get(code="28"), Region.objects.get(code="44")
    deps = {d.code: d for d in Departement.objects.filter(code__in=["14", "50", "52"])}

    orgs = {}
    for key, siren, *_ in CONTRACTS:
        orgs[key] = _collectivite(EPCI.objects.get(code=siren))
    partners = {}
    for nom, type_, dep in [
        ("ARS Normandie", OrganisationType.ARS, None), ("ARS Grand Est", OrganisationType.ARS, None),
        ("Préfecture du Calvados", OrganisationType.PREFECTURE, "14"),
        ("Préfecture de la Manche", OrganisationType.PREFECTURE, "50"),
        ("Préfecture de la Haute-Marne", OrganisationType.PREFECTURE, "52"),
        ("Préfecture de l'Orne", OrganisationType.PREFECTURE, "61"),
        ("Préfecture de la Seine-Maritime", OrganisationType.PREFECTURE, "76"),
        ("CPAM du Calvados", OrganisationType.CPAM, "14"),
        ("CPAM de la Haute-Marne", OrganisationType.CPAM, "52"),
        ("CAF du Calvados", OrganisationType.CAF, "14"),
        ("Centre hospitalier de Bayeux", OrganisationType.ETABLISSEMENT, "14"),
        ("CPTS du Bessin", OrganisationType.CPTS, "14"),
        ("DAC du Calvados", OrganisationType.DAC, "14"),
        ("Association Addictions France — Calvados", OrganisationType.ASSOCIATION, "14"),
        ("Conseil départemental du Calvados", OrganisationType.DEPARTEMENT, "14"),
    ]:
        partners[nom], _ = Organisation.objects.get_or_create(
            nom=nom, type=type_, defaults={"departement_id": dep})

    _membership(users["admin"], Role.ADMIN)
    _membership(users["coordinateur"], Role.COORDINATEUR, organisation=orgs["bayeux"])
    _membership(users["coordinateur2"], Role.COORDINATEUR, organisation=orgs["coutances"])
    _membership(users["coordinatrice-langres"], Role.COORDINATEUR, organisation=orgs["langres"])
    _membership(users["pilote"], Role.PILOTE, organisation=partners["CPAM du Calvados"])
    _membership(users["ars14"], Role.DELEGATION, departements=[deps["14"]])
    _membership(users["ars50"], Role.DELEGATION, departements=[deps["50"]])
    _membership(users["ars52"], Role.DELEGATION, departements=[deps["52"]])
    _membership(users["ars-normandie"], Role.REGION, region=normandie)
    _membership(users["elu"], Role.ELU, organisation=orgs["bayeux"])

    ars = {"28": ARS.objects.get(region=normandie), "44": ARS.objects.get(region=grand_est)}
    coordinators = {"bayeux": [users["coordinateur"]], "coutances": [users["coordinateur2"]],
                    "langres": [users["coordinatrice-langres"]]}
    referents = {"bayeux": users["ars14"], "prebocage": users["ars14"], "coutances": users["ars50"],
                 "langres": users["ars52"]}
    contracts = {}
    for key, siren, nom, phase, signature, debut, duree, generation, flags in CONTRACTS:
        contract = Contract.objects.filter(nom=nom).first()
        if contract is None:
            epci = EPCI.objects.get(code=siren)
            region_code = "44" if key == "langres" else "28"
            contract = services.contract_create(
                actor=users["admin"], nom=nom, collectivite=orgs[key], ars=ars[region_code], epci=epci,
                prs="PRS Grand Est 2018-2028" if region_code == "44" else "PRS Normandie 2023-2028",
                duree_annees=duree, date_debut_prealable=debut, coordinators=coordinators.get(key, []),
                referent=referents.get(key), generation=generation, phase=phase, date_signature=signature,
                previous=contracts.get("caux1") if key == "caux2" else None, **flags,
            )
        contracts[key] = contract
    ctx.update(users=users, orgs=orgs, partners=partners, contracts=contracts, ars=ars)
