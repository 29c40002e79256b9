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

EVERYONE = dict.fromkeys(["anonymous", "admin", "coordinateur", "pilote", "delegation", "region", "elu"], 200)

CASES += [
    Case("regional:directory", EVERYONE),
    # Public pages: the other tenant's active contract is public too.
    Case("regional:directory_contract", EVERYONE, kwargs=lambda t: {"pk": t.contract.pk}, other=200),
    Case("regional:directory_report", EVERYONE, kwargs=lambda t: {"pk": t.public_report.pk}, other=200),
]

CASES += [
    Case("regional:notifications", SIGNED_IN),
    Case("regional:email_preferences", SIGNED_IN),
    Case("regional:email_preferences", {**SIGNED_IN, "admin": 302, "coordinateur": 302, "pilote": 302,
                                        "delegation": 302, "region": 302, "elu": 302}, method="post"),
]

COORDINATOR_ONLY = {"anonymous": 302, "admin": 200, "coordinateur": 200}

CASES += [
    Case("regional:plan_import", COORDINATOR_ONLY, kwargs=lambda t: {"contract_pk": t.contract.pk}),
    Case("regional:plan_import", COORDINATOR_ONLY, kwargs=lambda t: {"contract_pk": t.contract.pk}, method="post"),
    Case("regional:plan_import_template", COORDINATOR_ONLY, kwargs=lambda t: {"contract_pk": t.contract.pk}),
    # Without a preview token the confirmation sends back to the upload page.
    Case("regional:plan_import_confirm", {"anonymous": 302, "admin": 302, "coordinateur": 302},
         kwargs=lambda t: {"contract_pk": t.contract.pk}, method="post"),
]
