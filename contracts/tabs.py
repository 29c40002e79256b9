"""Sections of a contract page contributed by the other apps.

Each entry: (label, url name, url kwarg that receives the contract's pk). Entries whose URL does not
exist yet are skipped, so an app adds its tab here and it appears once its route lands. Per-object
permission is still checked by the target view; roles listed restrict who sees the link.
"""

from django.urls import NoReverseMatch, reverse

CONTRACT_TABS = [
    ("Diagnostic", "diagnostics:contract", "contract_pk", None),
    ("Plan d'action", "actions:plan", "contract_pk", None),
    ("Suivi annuel", "actions:followup_year", "contract_pk", None),
    ("Financement", "funding:contract", "contract_pk", ["coordinateur", "delegation", "region"]),
    ("Rapports annuels", "reports:contract", "pk", None),
    ("Personnes", "people:people", "pk", ["coordinateur", "delegation", "region"]),
]


def tabs_for(user, contract) -> list[dict]:
    roles = user.roles()
    tabs = []
    for label, url_name, kwarg, allowed in CONTRACT_TABS:
        if allowed is not None and not (user.is_portal_admin or roles & set(allowed)):
            continue
        try:
            url = reverse(url_name, kwargs={kwarg: contract.pk})
        except NoReverseMatch:
            continue
        tabs.append({"label": label, "link": url})
    return tabs
