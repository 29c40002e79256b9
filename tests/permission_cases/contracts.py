from tests.permission_cases import Case

CASES = [
    Case("contracts:list", {"anonymous": 302, "admin": 200, "coordinateur": 200, "pilote": 200, "delegation": 200,
                            "region": 200, "elu": 200}),
    Case("contracts:detail", {"anonymous": 302, "admin": 200, "coordinateur": 200, "pilote": 200,
                              "delegation": 200, "region": 200, "elu": 403},
         kwargs=lambda t: {"pk": t.contract.pk}),
]
