import pytest

from actions.enums import VALIDATED_STATUSES, FicheStatut
from actions.models import Axe, FicheAction, SuiviAnnuel, ValeurIndicateur
from contracts.models import Contract


@pytest.mark.django_db(transaction=True)
def test_demo_plans_match_each_contract_phase(demo):
    bayeux = Contract.objects.get(nom__contains="Bayeux")
    assert Axe.objects.filter(contract=bayeux).count() == 4
    fiches = FicheAction.objects.filter(contract=bayeux)
    assert fiches.count() == 12
    assert set(ValeurIndicateur.objects.filter(indicateur__fiche__contract=bayeux)
               .values_list("annee", flat=True)) == {2024, 2025}
    assert SuiviAnnuel.objects.filter(fiche__contract=bayeux, annee=2025).count() < \
        fiches.filter(statut__in=[FicheStatut.EN_COURS, FicheStatut.REALISEE, FicheStatut.REPORTEE]).count()
    assert fiches.filter(pilote_personne__username="pilote").exists()
    # a contract still in diagnostic has no follow-up, and draft or submitted sheets only
    coutances = Contract.objects.get(nom__contains="Coutances")
    assert not SuiviAnnuel.objects.filter(fiche__contract=coutances).exists()
    assert set(FicheAction.objects.filter(contract=coutances).values_list("statut", flat=True)) <= {
        FicheStatut.BROUILLON, FicheStatut.SOUMISE}
    # idempotent
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert FicheAction.objects.filter(contract=bayeux).count() == 12


@pytest.mark.django_db(transaction=True)
def test_demo_pages_render_for_each_role(demo, client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    bayeux = Contract.objects.get(nom__contains="Bayeux")
    users = get_user_model().objects
    pages = [reverse("actions:plan", kwargs={"contract_pk": bayeux.pk}),
             reverse("actions:followup_year", kwargs={"contract_pk": bayeux.pk}) + "?annee=2025"]
    pages += [reverse("actions:fiche_detail", kwargs={"pk": pk})
              for pk in FicheAction.objects.filter(contract=bayeux).values_list("pk", flat=True)]
    for username in ("coordinateur", "ars14"):
        client.force_login(users.get(username=username))
        for url in pages:
            assert client.get(url).status_code == 200, (username, url)
    # Elected officials and pilots: the validated plan; a sheet not validated yet is 403 (a pilot's own: 200).
    validated = set(FicheAction.objects.filter(contract=bayeux, statut__in=VALIDATED_STATUSES)
                    .values_list("pk", flat=True))
    for username in ("pilote", "elu"):
        user = users.get(username=username)
        client.force_login(user)
        for url in pages[:2]:
            assert client.get(url).status_code == 200, (username, url)
        for fiche in FicheAction.objects.filter(contract=bayeux).prefetch_related("copilotes_personnes"):
            own = fiche.pilote_personne_id == user.pk or user in fiche.copilotes_personnes.all()
            expected = 200 if fiche.pk in validated or own else 403
            url = reverse("actions:fiche_detail", kwargs={"pk": fiche.pk})
            assert client.get(url).status_code == expected, (username, url)
    client.force_login(users.get(username="ars14"))
    queue = client.get(reverse("actions:review_queue"))
    assert "Réduire l&#x27;exposition au radon" in queue.content.decode()
    followup = client.get(pages[1])
    assert followup.context["manquants"] >= 1


@pytest.mark.django_db(transaction=True)
def test_demo_counts_are_whole_numbers(demo):
    """The activity report and the summary read « Médecins généralistes installés : 3,8 / 5 médecins »,
    « COPIL annuels tenus : 1,3 ; 2,6 ; 3,9 ; 5,2 réunions »: a count is a whole number; only a rate (%) may
    carry a decimal."""
    values = ValeurIndicateur.objects.select_related("indicateur")
    fractional = {(v.indicateur.libelle, str(v.valeur)) for v in values
                  if v.indicateur.unite != "%" and v.valeur != v.valeur.to_integral_value()}
    assert fractional == set()
    rate = values.filter(indicateur__libelle__startswith="Part des 18-25 ans").values_list("valeur", flat=True)
    assert any(v != v.to_integral_value() for v in rate)  # « 7,8 % »: a small rate keeps its decimal
