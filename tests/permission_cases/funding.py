from tests.permission_cases import Case


def _first_year(t):
    from contracts.models import Contract
    from funding.services import engagement_years

    return engagement_years(Contract.objects.get(pk=t.contract.pk))[0]


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
    Case("funding:year_create", {"anonymous": 302, "admin": 302, "coordinateur": 302}, kwargs=contract,
         method="post", data=lambda t: {
             "annee": 2027, "etp": "1", "mois_pourvus": "12", "cout_salaire": "32 000", "cout_charges": "11 000",
             "cout_fonctionnement": "3 000", "demande_ars": "23 000", "demande_collectivite": "23 000",
             "demande_autres": "", "autres_partenaires": "", "commentaire": ""}),
    Case("funding:dialogue", DELEGATION, kwargs=contract),
    # The ARS's multi-year commitment: the délégation records it; a valid body writes one history line.
    Case("funding:engagement", DELEGATION, kwargs=contract),
    Case("funding:engagement", {"anonymous": 302, "admin": 302, "delegation": 302}, kwargs=contract, method="post",
         data=lambda t: {f"annee_{_first_year(t)}": "20 000"}),
    Case("funding:year_edit", COORDINATOR, kwargs=request),
    # A permitted user's POST takes the request into instruction and goes back to the contract page.
    Case("funding:year_instruct", {"anonymous": 302, "admin": 302, "delegation": 302}, kwargs=request,
         method="post", data=lambda t: {"version": t.funding_request.version}),
    Case("funding:year_decide", DELEGATION, kwargs=year),
    Case("funding:year_payment", DELEGATION, kwargs=year),
    Case("funding:year_statement", {**DELEGATION, "coordinateur": 200}, kwargs=year),
    Case("funding:decision_document", FUNDING_READERS, kwargs=lambda t: {"pk": t.funding_decision.pk}),
]
