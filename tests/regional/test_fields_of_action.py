"""Fields of action: the reference list seeded from the sources and kept by the regional teams on a portal page,
set on axes and sheets through the actions services, and the regional lists, exports and view that filter and
count by field."""

import csv
import io

import pytest
from django.urls import reverse

from actions import services as actions_services
from actions.enums import AxeType
from actions.models import ChampAction
from cls_portal.accounts.models import Role
from cls_portal.core.errors import DomainError
from cls_portal.core.models import HistoryEntry
from tests import factories as f

SEEDED = ["Accès aux soins", "Prévention et promotion de la santé", "Santé mentale", "Santé-environnement",
          "Autonomie / personnes âgées et handicapées", "Parcours de santé", "Attractivité pour les professionnels",
          "Publics vulnérables"]


@pytest.mark.django_db
def test_the_list_is_seeded_from_the_sources():
    assert list(ChampAction.objects.values_list("libelle", flat=True)) == SEEDED


@pytest.mark.django_db
def test_the_regional_team_keeps_the_list_on_its_page(client):
    region = f.RegionFactory(code="28", nom="Normandie")
    user = f.with_role(f.UserFactory(), Role.REGION, region=region)
    client.force_login(user)
    url = reverse("regional:champs")
    assert client.post(url, {"libelle": "  Santé des   jeunes "}).status_code == 302
    champ = ChampAction.objects.get(libelle="Santé des jeunes")
    page = client.post(url, {"libelle": "santé mentale"})
    assert page.status_code == 200 and "déjà dans la liste" in page.content.decode()
    assert client.post(url, {"champ": champ.pk, "libelle": "Santé des enfants et des jeunes"}).status_code == 302
    champ.refresh_from_db()
    assert (champ.libelle, champ.actif) == ("Santé des enfants et des jeunes", False)  # unticked: no longer offered
    assert HistoryEntry.objects.filter(action__startswith="champ_action").count() == 2
    dep = f.DepartementFactory(code="14", region=region)
    client.force_login(f.with_role(f.UserFactory(), Role.DELEGATION, departements=[dep]))
    assert client.get(url).status_code == 403
    with pytest.raises(DomainError):
        actions_services.champ_create(actor=user, libelle="   ")


@pytest.mark.django_db
def test_axes_and_sheets_carry_fields_and_the_regional_lists_count_them(client):
    region = f.RegionFactory(code="28", nom="Normandie")
    dd = f.DelegationFactory(departement=f.DepartementFactory(code="14", nom="Calvados", region=region))
    user = f.with_role(f.UserFactory(), Role.REGION, region=region)
    acces, mentale, env = (ChampAction.objects.get(libelle=n) for n in
                           ("Accès aux soins", "Santé mentale", "Santé-environnement"))
    contract = f.ContractFactory(ars=dd.ars, delegations=[dd])
    other = f.ContractFactory(ars=dd.ars, delegations=[dd])
    axe = actions_services.axe_create(actor=user, contract=contract, titre="Accès", type=AxeType.THEMATIQUE,
                                      champs=[acces])
    plain = actions_services.axe_create(actor=user, contract=contract, titre="Autres", type=AxeType.THEMATIQUE)
    # Two sheets under the axe "accès aux soins", one of them also "santé mentale"; one sheet under a plain axe
    # in "santé mentale"; one sheet without field.
    f1 = actions_services.fiche_create(actor=user, axe=axe, data={"titre": "Maison de santé"})
    f2 = actions_services.fiche_create(actor=user, axe=axe, data={"titre": "Écoute"}, champs=[mentale, acces])
    f3 = actions_services.fiche_create(actor=user, axe=plain, data={"titre": "Psy"}, champs=[mentale])
    actions_services.fiche_create(actor=user, axe=actions_services.axe_create(
        actor=user, contract=other, titre="Vide", type=AxeType.THEMATIQUE), data={"titre": "Sans champ"})
    assert HistoryEntry.objects.filter(action="fiche_creee", object_id=f2.pk).get().changes["champs"][1] == \
        "Accès aux soins, Santé mentale"
    actions_services.axe_update(actor=user, axe_id=plain.pk, titre="Autres", type=AxeType.THEMATIQUE,
                                champs=[env], expected_version=plain.version)

    client.force_login(user)
    ctx = client.get(reverse("regional:dashboard")).context
    counts = {fig.label: fig.value for fig in ctx["champs"]}
    assert counts["Accès aux soins"] == 2          # f1 (by its axe) and f2 (both ways, once)
    assert counts["Santé mentale"] == 2            # f2, f3
    assert counts["Santé-environnement"] == 1      # f3 by its axe
    assert counts["Parcours de santé"] == 0
    for fig in ctx["champs"]:
        listed = client.get(fig.url).context["page_obj"].paginator.count
        assert listed == fig.value, fig.label
    fiches = client.get(reverse("regional:fiches"), {"champ": mentale.pk}).context["page_obj"]
    assert {x.pk for x in fiches} == {f2.pk, f3.pk}
    contracts = client.get(reverse("regional:contracts"), {"champ": acces.pk}).context["page_obj"]
    assert [c.pk for c in contracts] == [contract.pk]
    indicateurs = client.get(reverse("regional:indicateurs"), {"champ": acces.pk})
    assert indicateurs.status_code == 200
    export = client.get(reverse("regional:fiches_export"), {"format": "csv", "colonnes": ["titre", "champs"],
                                                            "champ": mentale.pk})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert sorted(rows[1:]) == [["Psy", "Santé mentale, Santé-environnement"],
                                ["Écoute", "Accès aux soins, Santé mentale"]]
    assert f1.pk not in {x.pk for x in fiches}
