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


@pytest.mark.django_db
def test_an_administrator_is_not_offered_pages_of_roles_they_do_not_hold(client, world):
    """« Mon CLS » and « Mes fiches » list what a person coordinates or pilots: empty for an administrator without
    those roles, they only made the menu wrap (12 entries at 1 280 px)."""
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("admin-nav", "admin-nav@example.org", "x")
    items = navigation_for(admin, "/")
    assert [i["label"] for i in items] == [
        "Contrats", "Tableau de bord", "Diagnostics", "Vue régionale", "Financements", "Rapports annuels",
        "Ressources", "Réseau", "Annuaire public", "Inviter", "Administration"]
    client.force_login(admin)
    for item in items:
        assert client.get(item["link"]).status_code == 200, item["label"]
