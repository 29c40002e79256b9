from tests.permission_cases import Case

COORDINATOR_ONLY = {"anonymous": 302, "admin": 200, "coordinateur": 200}
REGION_ONLY = {"anonymous": 302, "admin": 200, "region": 200}

CASES = [
    Case("imports:plan", COORDINATOR_ONLY, kwargs=lambda t: {"contract_pk": t.contract.pk}),
    Case("imports:plan", COORDINATOR_ONLY, kwargs=lambda t: {"contract_pk": t.contract.pk}, method="post"),
    Case("imports:plan_template", COORDINATOR_ONLY, kwargs=lambda t: {"contract_pk": t.contract.pk}),
    # Without a preview token the confirmation sends back to the upload page.
    Case("imports:plan_confirm", {"anonymous": 302, "admin": 302, "coordinateur": 302},
         kwargs=lambda t: {"contract_pk": t.contract.pk}, method="post"),
    # Existing CLS of a région (issue 13): the regional team only.
    Case("imports:contracts", REGION_ONLY),
    Case("imports:contracts", REGION_ONLY, method="post"),
    Case("imports:contracts_template", REGION_ONLY),
    Case("imports:contracts_confirm", {"anonymous": 302, "admin": 302, "region": 302}, method="post"),
    # Past indicator values and past funding years of a région (issue 13): the regional team only, as the
    # contracts import. A POST without a file gets the form back with its error; without a preview token the
    # confirmation sends back to the upload page: neither writes.
    Case("imports:values", REGION_ONLY),
    Case("imports:values", REGION_ONLY, method="post"),
    Case("imports:values_template", REGION_ONLY),
    Case("imports:values_confirm", {"anonymous": 302, "admin": 302, "region": 302}, method="post"),
    Case("imports:funding", REGION_ONLY),
    Case("imports:funding", REGION_ONLY, method="post"),
    Case("imports:funding_template", REGION_ONLY),
    Case("imports:funding_confirm", {"anonymous": 302, "admin": 302, "region": 302}, method="post"),
]
