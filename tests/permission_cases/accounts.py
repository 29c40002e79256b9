from tests.permission_cases import Case

EVERYONE_200 = {"anonymous": 200, "admin": 200, "coordinateur": 200, "pilote": 200, "delegation": 200,
                "region": 200, "elu": 200}
SIGNED_IN_302 = {"anonymous": 302, "admin": 302, "coordinateur": 302, "pilote": 302, "delegation": 302,
                 "region": 302, "elu": 302}

CASES = [
    # Signed-in users are sent on to their start page.
    Case("accounts:login", {**SIGNED_IN_302, "anonymous": 200}),
    Case("accounts:logout", SIGNED_IN_302, method="post"),
    Case("accounts:home", SIGNED_IN_302),
    Case("accounts:password_reset", EVERYONE_200),
    Case("accounts:password_reset_done", EVERYONE_200),
    Case("accounts:password_reset_confirm", EVERYONE_200, kwargs=lambda t: {"uidb64": "MQ", "token": "x-y"},
         other=None),
    Case("accounts:password_reset_complete", EVERYONE_200),
]
