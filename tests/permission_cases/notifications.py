from tests.permission_cases import Case

SIGNED_IN = {"anonymous": 302, "admin": 200, "coordinateur": 200, "pilote": 200, "delegation": 200, "region": 200,
             "elu": 200}

CASES = [
    Case("notifications:list", SIGNED_IN),
    Case("notifications:email_preferences", SIGNED_IN),
    Case("notifications:email_preferences", {**SIGNED_IN, "admin": 302, "coordinateur": 302, "pilote": 302,
                                             "delegation": 302, "region": 302, "elu": 302}, method="post",
         data=lambda t: {"kinds": ["financement"]}),
]
