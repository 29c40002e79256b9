from tests.permission_cases import Case

EVERYONE = dict.fromkeys(["anonymous", "admin", "coordinateur", "pilote", "delegation", "region", "elu"], 200)

CASES = [
    Case("directory:index", EVERYONE),
    # Public pages: the other tenant's active contract is public too.
    Case("directory:contract", EVERYONE, kwargs=lambda t: {"pk": t.contract.pk}, other=200),
    Case("directory:report", EVERYONE, kwargs=lambda t: {"pk": t.report_published.pk}, other=200),
    # The read-only summary of a contract: whoever sees the contract (elected officials and pilots land there).
    Case("directory:summary", {**EVERYONE, "anonymous": 302}, kwargs=lambda t: {"pk": t.contract.pk}),
]
