from tests.permission_cases import Case

SIGNED_IN = {"anonymous": 302, "admin": 200, "coordinateur": 200, "pilote": 200, "delegation": 200, "region": 200,
             "elu": 200}
ARS_ONLY = {"anonymous": 302, "admin": 200, "delegation": 200, "region": 200}

CASES = [
    Case("regional:dashboard", ARS_ONLY),
    Case("regional:work", {"anonymous": 302, "region": 200}),  # the regional team's own work list
    Case("regional:contracts", SIGNED_IN),
    Case("regional:contracts_export", SIGNED_IN, query="?format=xlsx"),
    Case("regional:fiches", SIGNED_IN),
    Case("regional:fiches_export", SIGNED_IN),
    Case("regional:indicateurs", SIGNED_IN),
    Case("regional:indicateurs_export", SIGNED_IN),
]

REGION_POST = {"anonymous": 302, "admin": 302, "region": 302}


def _qpv(t):
    return {"action": "ajouter", "region": t.region.code, "code": f"QN{t.departement.code}001M",
            "nom": "Quartier de la Gare", "departement": t.departement.code, "population": "1250"}


CASES += [
    Case("regional:qpv", {"anonymous": 302, "admin": 200, "region": 200}),
    Case("regional:qpv", REGION_POST, method="post", data=_qpv),
]

CASES += [
    Case("regional:champs", {"anonymous": 302, "admin": 200, "region": 200}),
    Case("regional:champs", REGION_POST, method="post",
         data=lambda t: {"libelle": f"Santé des jeunes ({t.region.code})"}),
]
