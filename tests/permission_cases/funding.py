from tests.permission_cases import Case

FUNDING_READERS = {"anonymous": 302, "admin": 200, "coordinateur": 200, "delegation": 200, "region": 200}
COORDINATOR = {"anonymous": 302, "admin": 200, "coordinateur": 200}
DELEGATION = {"anonymous": 302, "admin": 200, "delegation": 200}


def contract(t):
    return {"contract_pk": t.contract.pk}


def year(t):
    return {"pk": t.funding_year.pk}


def request(t):
    return {"pk": t.funding_request.pk}


CASES = [
    Case("funding:home", FUNDING_READERS),
    Case("funding:export", FUNDING_READERS),
    # ARS administrators: regional staff for their région, portal administrators.
    Case("funding:rules", {"anonymous": 302, "admin": 200, "region": 200}),
    Case("funding:rule_create", {"anonymous": 302, "admin": 200, "region": 200}),
    Case("funding:contract", FUNDING_READERS, kwargs=contract),
    Case("funding:year_create", COORDINATOR, kwargs=contract),
    Case("funding:year_create", {"anonymous": 302, "admin": 200, "coordinateur": 200}, kwargs=contract,
         method="post"),
    Case("funding:dialogue", DELEGATION, kwargs=contract),
    Case("funding:year_edit", COORDINATOR, kwargs=request),
    # A permitted user's POST takes the request into instruction and goes back to the contract page.
    Case("funding:year_instruct", {"anonymous": 302, "admin": 302, "delegation": 302}, kwargs=request,
         method="post"),
    Case("funding:year_decide", DELEGATION, kwargs=year),
    Case("funding:year_payment", DELEGATION, kwargs=year),
    Case("funding:year_statement", {**DELEGATION, "coordinateur": 200}, kwargs=year),
    Case("funding:decision_document", FUNDING_READERS, kwargs=lambda t: {"pk": t.funding_decision.pk}),
]
