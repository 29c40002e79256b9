from tests.permission_cases import Case

SIGNED_IN = {"anonymous": 302, "admin": 200, "coordinateur": 200, "pilote": 200, "delegation": 200, "region": 200,
             "elu": 200}
ARS_ONLY = {"anonymous": 302, "admin": 200, "delegation": 200, "region": 200}

CASES = [
    Case("regional:dashboard", ARS_ONLY),
    Case("regional:contracts", SIGNED_IN),
    Case("regional:contracts_export", SIGNED_IN, query="?format=xlsx"),
    Case("regional:fiches", SIGNED_IN),
    Case("regional:fiches_export", SIGNED_IN),
    Case("regional:indicateurs", SIGNED_IN),
    Case("regional:indicateurs_export", SIGNED_IN),
]
