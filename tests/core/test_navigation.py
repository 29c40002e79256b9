"""The main menu shows each role its own entries, and every entry opens for that role."""

import pytest

from cls_portal.accounts.navigation import navigation_for


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", [
    ("coordinateur", ["Mon CLS", "Contrats", "Diagnostics", "Financements", "Rapports annuels", "Ressources",
                      "Réseau", "Annuaire public"]),
    ("delegation", ["Contrats", "Tableau de bord", "Diagnostics", "Vue régionale", "Financements",
                    "Rapports annuels", "Ressources", "Réseau", "Annuaire public", "Inviter"]),
    ("region", ["Contrats", "Diagnostics", "Vue régionale", "Financements", "Rapports annuels", "Ressources",
                "Réseau", "Annuaire public", "Inviter"]),
    ("pilote", ["Contrats", "Mes fiches", "Rapports annuels", "Ressources", "Annuaire public"]),
    ("elu", ["Contrats", "Rapports annuels", "Annuaire public"]),
])
def test_menu_entries_by_role_and_each_opens(client, world, role, expected):
    user = world.users[role]
    items = navigation_for(user, "/")
    assert [i["label"] for i in items] == expected
    client.force_login(user)
    for item in items:
        assert client.get(item["link"]).status_code == 200, item["label"]
