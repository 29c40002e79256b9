from tests.permission_cases import Case

EVERYONE_200 = {"anonymous": 200, "admin": 200, "coordinateur": 200, "pilote": 200, "delegation": 200,
                "region": 200, "elu": 200}
SIGNED_IN_302 = {"anonymous": 302, "admin": 302, "coordinateur": 302, "pilote": 302, "delegation": 302,
                 "region": 302, "elu": 302}

CASES = [
    # Signed-in users are sent on to their start page.
    Case("accounts:login", {**SIGNED_IN_302, "anonymous": 200}),
    Case("accounts:logout", SIGNED_IN_302, method="post"),
    # An anonymous visitor lands on the public directory (the header links to the login page).
    Case("accounts:home", SIGNED_IN_302, anonymous_to="/annuaire/"),
    Case("accounts:password_reset", EVERYONE_200),
    Case("accounts:password_reset_done", EVERYONE_200),
    Case("accounts:password_reset_confirm", EVERYONE_200, kwargs=lambda t: {"uidb64": "MQ", "token": "x-y"},
         other=None),
    Case("accounts:password_reset_complete", EVERYONE_200),
    # ProConnect: to the provider (not configured in tests: an empty address) and back (no code: login page).
    Case("accounts:proconnect_login", SIGNED_IN_302 | {"anonymous": 302}),
    Case("accounts:proconnect_callback", SIGNED_IN_302 | {"anonymous": 302}),
    # Invitations outside a contract: administrators, the regional team, délégations.
    Case("accounts:invitations", {"anonymous": 302, "admin": 200, "region": 200, "delegation": 200}),
    Case("accounts:invitations", {"anonymous": 302, "admin": 302, "region": 302, "delegation": 302}, method="post",
         data=lambda t: {"email": "agent.delegation@ars.example.fr", "role": "delegation",
                         "departements": [t.departement.code]}),
    # Resend / revoke the délégation's invitation of an élu of the contract: the sender, administrators, and the
    # coordinator (he invites the élus of his CLS too). Regional staff, pilots and élus do not reach it (404).
    Case("accounts:invitation_resend", {"anonymous": 302, "admin": 302, "delegation": 302, "coordinateur": 302,
                                        "region": 404, "pilote": 404, "elu": 404},
         kwargs=lambda t: {"pk": t.invitation.pk}, method="post", data=lambda t: {"next": ""}),
    Case("accounts:invitation_revoke", {"anonymous": 302, "admin": 302, "delegation": 302, "coordinateur": 302,
                                        "region": 404, "pilote": 404, "elu": 404},
         kwargs=lambda t: {"pk": t.invitation.pk}, method="post", data=lambda t: {"next": ""}),
    # The link of the e-mail: public; a signed-in person sees the invitation (and may accept it with his account
    # if it is his address).
    Case("accounts:invitation_accept", EVERYONE_200, kwargs=lambda t: {"token": t.invitation.token}, other=None),
]
