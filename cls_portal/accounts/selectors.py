from django.urls import reverse

# Start pages by role, most specific first. Apps may add entries (url names) as their pages land.
START_PAGES = [
    ("coordinateur", "contracts:my_cls"),
    ("delegation", "contracts:delegation_dashboard"),
    ("region", "regional:dashboard"),  # regional staff come for the coverage figures (issue 8)
    ("region", "contracts:list"),
    ("elu", "reports:home"),  # elected officials come for the published annual reports
    ("pilote", "actions:my_sheets"),  # pilots come for "Mes fiches": their sheets and what is due on them
]


def start_page_for(user) -> str:
    roles = user.roles()
    for role, url_name in START_PAGES:
        if role in roles:
            return reverse(url_name)
    return reverse("contracts:list")
