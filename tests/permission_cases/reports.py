"""Annual reports: who opens, asks for, publishes and downloads what (see tests/permission_cases)."""

from tests.permission_cases import Case

ALL_SIGNED_IN = {"anonymous": 302, "admin": 200, "coordinateur": 200, "pilote": 200, "delegation": 200,
                 "region": 200, "elu": 200}

CASES = [
    Case("reports:home", ALL_SIGNED_IN),
    # Everyone who sees the contract sees its reports page (published reports only for pilote and elu).
    Case("reports:contract", ALL_SIGNED_IN, kwargs=lambda t: {"pk": t.contract.pk}),
    # Empty form: allowed users get the page back with errors (200), the others 403.
    Case("reports:request", {"anonymous": 302, "admin": 200, "coordinateur": 200, "delegation": 200},
         kwargs=lambda t: {"pk": t.contract.pk}, method="post"),
    Case("reports:request", {"anonymous": 302, "admin": 302, "coordinateur": 302, "delegation": 302},
         kwargs=lambda t: {"pk": t.contract.pk}, method="post",
         data=lambda t: {"kind": "activite", "year": 2025}),
    # A draft (ready, unpublished): the coordinator and the ARS only.
    Case("reports:detail", {"anonymous": 302, "admin": 200, "coordinateur": 200, "delegation": 200, "region": 200},
         kwargs=lambda t: {"pk": t.report_draft.pk}),
    # A published report: everyone who sees the contract.
    Case("reports:detail", ALL_SIGNED_IN, kwargs=lambda t: {"pk": t.report_published.pk}),
    Case("reports:retry", {"anonymous": 302, "admin": 302, "coordinateur": 302, "delegation": 302},
         kwargs=lambda t: {"pk": t.report_failed.pk}, method="post", data=lambda t: {}),
    # Publishing asks for a confirmation (the report becomes public): without it, the form comes back (200).
    Case("reports:publish", {"anonymous": 302, "admin": 200, "coordinateur": 200, "delegation": 200},
         kwargs=lambda t: {"pk": t.report_draft.pk}, method="post", data=lambda t: {}, writes=False),
    # The délégation publishes at once (302); the coordinator must give the COPIL's date (200 with the error).
    Case("reports:publish", {"anonymous": 302, "admin": 302, "coordinateur": 200, "delegation": 302},
         kwargs=lambda t: {"pk": t.report_draft.pk}, method="post", data=lambda t: {"confirme": "on"},
         writes=frozenset({"admin", "delegation"})),
    Case("reports:publish", {"anonymous": 302, "admin": 302, "coordinateur": 302, "delegation": 302},
         kwargs=lambda t: {"pk": t.report_draft.pk}, method="post",
         data=lambda t: {"copil_date": "2026-06-12", "confirme": "on"}),
    Case("reports:download", ALL_SIGNED_IN, kwargs=lambda t: {"pk": t.report_published.pk}),
    Case("reports:download", {"anonymous": 302, "admin": 200, "coordinateur": 200, "delegation": 200, "region": 200},
         kwargs=lambda t: {"pk": t.report_draft.pk}),
    Case("reports:campaigns", {"anonymous": 302, "admin": 200, "region": 200}),
    Case("reports:campaign", {"anonymous": 302, "admin": 200, "region": 200},
         kwargs=lambda t: {"pk": t.report_campaign.pk}),
]

# Issue 21 item 3: who requests a report names the regional resource it follows, until it is published.
CASES += [
    Case("reports:resource", {"anonymous": 302, "admin": 302, "coordinateur": 302, "delegation": 302},
         kwargs=lambda t: {"pk": t.report_draft.pk}, method="post", data=lambda t: {"ressource": t.resource.pk}),
    Case("reports:resource", {"anonymous": 302}, kwargs=lambda t: {"pk": t.report_published.pk}, method="post",
         data=lambda t: {"ressource": t.resource.pk}),
]
