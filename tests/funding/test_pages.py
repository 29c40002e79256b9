"""Funding pages: what they show, French errors in place, conflicts, exports and pinned query counts."""

import datetime as dt
import html
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from funding import services
from funding.enums import Statut
from funding.models import AnneeFinancement, Decision, RegleFinancement
from tests import factories as f
from tests.queries import assert_snapshot_queries
from tests.worlds.funding import TODAY, filed_on, pdf


def plain(response) -> str:
    return html.unescape(response.content.decode()).replace("\u00a0", " ")


def contract_url(tenant):
    return reverse("funding:contract", kwargs={"contract_pk": tenant.contract.pk})


FORM = {"annee": "2024", "etp": "1", "mois_pourvus": "12", "cout_salaire": "32 000", "cout_charges": "11000,00",
        "cout_fonctionnement": "3000", "demande_ars": "23000", "demande_collectivite": "23000", "demande_autres": ""}


def test_contract_page_explains_the_computation_and_shows_each_step(client, world):
    t = world.own
    client.force_login(t.people["coordinateur"])
    html = plain(client.get(contract_url(t)))
    assert "Maximum ARS : 23 000 €" in html
    assert "50 % de 46 000 € = 23 000 €, sous le plafond de 25 000 € pour 1 ETP sur 12 mois" in html
    # 2026 request: 0.8 ETP costing 42 000 €.
    assert "50 % de 42 000 € = 21 000 €, ramené au plafond de 20 000 € pour 0,8 ETP sur 12 mois" in html
    assert "Décision du 10/03/2025 : 23 000 € accordés" in html
    assert "Mandat 2025-0412" in html and "reste à verser : 11 500 €" in html
    assert reverse("funding:decision_document", args=[t.funding_decision.pk]) in html
    assert "Demande déposée le" in html and "Prise en instruction le" in html
    # The coordinator may amend the filed request and write the statement, not instruct.
    assert reverse("funding:year_edit", args=[t.funding_request.pk]) in html
    assert reverse("funding:year_statement", args=[t.funding_year.pk]) in html
    assert reverse("funding:year_instruct", args=[t.funding_request.pk]) not in html
    assert reverse("funding:year_payment", args=[t.funding_year.pk]) not in html


def test_request_form_shows_every_refusal_next_to_its_field(client, world):
    t = world.own
    client.force_login(t.people["coordinateur"])
    data = {**FORM, "demande_ars": "20000", "demande_collectivite": "19000", "demande_autres": "-5"}
    response = client.post(reverse("funding:year_create", kwargs={"contract_pk": t.contract.pk}), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "ne peut pas être négatif" in form.errors["demande_autres"][0]
    data = {**FORM, "demande_ars": "20000", "demande_collectivite": "19000", "demande_autres": "7000"}
    response = client.post(reverse("funding:year_create", kwargs={"contract_pk": t.contract.pk}), data)
    form = response.context["form"]
    assert "19 000 € proposés contre 20 000 € demandés" in form.errors["demande_collectivite"][0].replace("\u00a0", " ")
    html = plain(response)
    assert 'id="id_demande_collectivite-messages"' in html and "fr-input-group--error" in html
    assert 'value="32 000"' in html  # what the user typed is kept
    assert not AnneeFinancement.objects.filter(contract=t.contract, annee=2024).exists()


def test_grand_est_refuses_less_than_half_time(client, world):
    t = world.other
    client.force_login(t.people["coordinateur"])
    data = {**FORM, "etp": "0,4", "demande_ars": "10000", "demande_collectivite": "36000"}
    response = client.post(reverse("funding:year_create", kwargs={"contract_pk": t.contract.pk}), data)
    assert "au moins 0,5 ETP : 0,4 ETP déclaré" in response.context["form"].errors["etp"][0]


@pytest.mark.parametrize("value", ["abc", "1e400", "NaN", "12,345"])
def test_absurd_input_never_500(client, world, value):
    t = world.own
    client.force_login(t.people["coordinateur"])
    response = client.post(reverse("funding:year_create", kwargs={"contract_pk": t.contract.pk}),
                           {**FORM, "demande_ars": value})
    assert response.status_code == 200 and response.context["form"].errors["demande_ars"]


def test_request_filed_then_instructed_decided_paid(client, world):
    t = world.own
    client.force_login(t.people["coordinateur"])
    response = client.post(reverse("funding:year_create", kwargs={"contract_pk": t.contract.pk}), FORM)
    annee = AnneeFinancement.objects.get(contract=t.contract, annee=2024)
    assert response.status_code == 302 and response["Location"].endswith("#annee-2024")
    assert (annee.cout_salaire, annee.demande_autres) == (D("32000"), D("0"))
    filed_on(annee, dt.date(2024, 1, 10))  # the story's calendar: filed in January, decided in February
    client.force_login(t.people["delegation"])
    client.post(reverse("funding:year_instruct", args=[annee.pk]), {"version": annee.version})
    annee.refresh_from_db()
    assert annee.statut == Statut.EN_INSTRUCTION
    response = client.post(reverse("funding:year_decide", args=[annee.pk]), {
        "version": annee.version, "montant_accorde": "23 000", "date_decision": "2024-02-15", "document": pdf()})
    assert response.status_code == 302, response.context["form"].errors
    annee.refresh_from_db()
    assert annee.montant_accorde == D("23000")
    response = client.post(reverse("funding:year_payment", args=[annee.pk]),
                           {"date": "2024-03-01", "montant": "30000"})
    assert "au-delà du montant accordé" in response.context["form"].errors["montant"][0]
    client.post(reverse("funding:year_payment", args=[annee.pk]), {"date": "2024-03-01", "montant": "23000"})
    annee.refresh_from_db()
    assert annee.total_verse == D("23000")
    # A document is served to those who may read the funding only.
    decision = Decision.objects.get(annee=annee)
    response = client.get(reverse("funding:decision_document", args=[decision.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_decision_and_payment_dates_are_refused_next_to_their_field(client, world):
    """The form refuses at once, with the PDF still to upload, a decision dated before the request or after
    today, and a payment after today or before the decision; the page says when the request was filed."""
    t = world.own
    annee = t.funding_year  # filed on 20/01/2025, decided on 10/03/2025
    client.force_login(t.people["delegation"])
    page = plain(client.get(reverse("funding:year_decide", args=[annee.pk])))
    assert "Entre le 20/01/2025 (jour de la demande) et aujourd'hui." in page and 'min="2025-01-20"' in page
    page = plain(client.get(reverse("funding:year_payment", args=[annee.pk])))
    assert "Entre le 10/03/2025 (date de la décision) et aujourd'hui." in page
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for day, message in (("2025-01-19", "La décision ne peut pas précéder la demande de financement, déposée "
                                        "le 20/01/2025 : vérifiez la date de la décision signée."),
                         (tomorrow.isoformat(), "La date de la décision ne peut pas être dans le futur : une "
                                                "décision s'enregistre une fois signée (au plus tard le "
                                                f"{timezone.localdate():%d/%m/%Y}).")):
        response = client.post(reverse("funding:year_decide", args=[annee.pk]), {
            "version": annee.version, "montant_accorde": "23000", "date_decision": day, "motif": "Rectification",
            "document": pdf()})
        assert response.status_code == 200
        assert response.context["form"].errors["date_decision"] == [message]
        assert message.replace("'", "&#x27;") in response.content.decode()
    for day, fragment in ((tomorrow.isoformat(), "un versement s'enregistre une fois effectué"),
                          ("2025-03-09", "ne peut pas précéder la décision de financement du 10/03/2025")):
        response = client.post(reverse("funding:year_payment", args=[annee.pk]), {"date": day, "montant": "100"})
        assert response.status_code == 200 and fragment in response.context["form"].errors["date"][0]
    assert annee.decisions.count() == 1 and annee.versements.count() == 1
    response = client.post(reverse("funding:year_decide", args=[annee.pk]), {
        "version": annee.version, "montant_accorde": "23000", "date_decision": "2025-01-20", "motif": "Rectification",
        "document": pdf()})
    assert response.status_code == 302


def test_superseding_decision_requires_a_reason(client, world):
    t = world.own
    client.force_login(t.people["delegation"])
    annee = t.funding_year
    response = client.post(reverse("funding:year_decide", args=[annee.pk]), {
        "version": annee.version, "montant_accorde": "22000", "date_decision": "2025-06-01", "document": pdf()})
    assert "Expliquez pourquoi" in response.context["form"].errors["motif"][0]


def test_stale_form_is_refused_and_the_users_input_kept(client, world):
    t = world.own
    req = t.funding_request
    client.force_login(t.people["coordinateur"])
    url = reverse("funding:year_edit", args=[req.pk])
    base = {**FORM, "etp": "0,8", "cout_salaire": "29000", "cout_charges": "10000", "demande_ars": "20000",
            "demande_collectivite": "22000", "version": req.version}
    del base["annee"]
    assert client.post(url, {**base, "commentaire": "premier"}).status_code == 302
    response = client.post(url, {**base, "commentaire": "second"})
    assert response.status_code == 200
    assert "modifiée par une autre personne" in plain(response)
    assert "second" in plain(response)
    req.refresh_from_db()
    assert req.commentaire == "premier"


def test_step_not_possible_redirects_with_the_reason(client, world):
    t = world.own
    client.force_login(t.people["delegation"])
    response = client.get(reverse("funding:year_payment", args=[t.funding_request.pk]), follow=True)
    assert "n'est pas possible" in plain(response)


def test_statement_page_shows_the_balance(client, world):
    t = world.own
    client.force_login(t.people["coordinateur"])
    annee = t.funding_year
    response = client.post(reverse("funding:year_statement", args=[annee.pk]), {
        "version": annee.version, "etp_reel": "1", "mois_pourvus_reels": "9", "cout_reel": "46000",
        "part_collectivite_reelle": "27250", "part_autres_reelle": ""}, follow=True)
    html = plain(response)
    assert "Montant à reverser à l'ARS" in html
    # 9 months: the ARS owes 18 750 €, it paid 11 500 €: 7 250 € still to pay, nothing to recover.
    assert "Part due par l'ARS : 18 750 €, versé : 11 500 €, reste à verser : 7 250 €." in html


def test_rules_page_region_creates_a_version_for_its_region_only(client, world):
    region_user = world.own.people["region"]
    client.force_login(region_user)
    response = client.get(reverse("funding:rule_create"))
    choices = [c[0] for c in response.context["form"].fields["region"].choices]
    assert choices == [world.own.region.code]
    year = dt.date.today().year
    response = client.post(reverse("funding:rule_create"), {
        "region": world.other.region.code, "valid_from": f"{year}-12-01", "taux_pourcent": "50",
        "plafond_annuel": "25000", "cout_reference": "50000", "etp_minimum": "", "part_egale": "on"})
    assert response.status_code == 200 and response.context["form"].errors["region"]
    response = client.post(reverse("funding:rule_create"), {
        "region": world.own.region.code, "valid_from": f"{year - 1}-12-01", "taux_pourcent": "50",
        "plafond_annuel": "25000", "cout_reference": "50000", "etp_minimum": "", "part_egale": "on"})
    assert "année passée" in response.context["form"].errors["valid_from"][0]
    response = client.post(reverse("funding:rule_create"), {
        "region": world.own.region.code, "valid_from": f"{year}-12-01", "taux_pourcent": "40",
        "plafond_annuel": "22 000", "cout_reference": "55000", "etp_minimum": "0,5", "part_egale": "on"})
    assert response.status_code == 302
    rule = RegleFinancement.objects.get(region=world.own.region, valid_from=dt.date(year, 12, 1))
    assert (rule.taux, rule.plafond_annuel, rule.etp_minimum) == (D("0.4"), D("22000"), D("0.5"))
    html = plain(client.get(reverse("funding:rules")))
    assert "40 %" in html and "22 000 €" in html
    # The page said « Sans règle propre, une région applique les chiffres de la Normandie », which rule_for refuses.
    assert "applique les chiffres de la Normandie" not in html
    assert "la règle d'une autre région ne s'applique jamais" in " ".join(html.split())


def test_home_for_delegation_lists_what_to_instruct(client, world):
    t = world.own
    client.force_login(t.people["delegation"])
    response = client.get(reverse("funding:home"))
    rows = list(response.context["page_obj"])
    assert rows == [t.funding_request]  # default filter: to instruct or decide
    response = client.get(reverse("funding:home"), {"annee": "2025"})
    assert list(response.context["page_obj"]) == [t.funding_year]
    totals = response.context["totaux"]
    assert [(x.code, x.engage, x.verse, x.postes_pourvus) for x in totals] == [
        (t.departement.code, D("23000"), D("11500"), 1)]


def test_home_region_totals_per_departement(client, world):
    t = world.own
    dep2 = f.DepartementFactory(code="50", nom="Manche", region=t.region)
    deleg2 = f.DelegationFactory(departement=dep2)
    c2 = f.ContractFactory(ars=t.contract.ars, delegations=[deleg2], coordinators=[t.people["coordinateur"]])
    y = services.annee_create(actor=t.people["coordinateur"], contract=c2, annee=2025, today=TODAY, etp=D("1"),
                              mois_pourvus=9, cout_salaire=D("30000"), cout_charges=D("10000"),
                              cout_fonctionnement=D("0"), demande_ars=D("18750"), demande_collectivite=D("21250"),
                              demande_autres=D("0"))
    client.force_login(t.people["region"])
    response = client.get(reverse("funding:home"), {"annee": "2025"})
    totals = {x.code: x for x in response.context["totaux"]}
    assert totals["14"].engage == D("23000") and totals["50"].demande == D("18750")
    assert (totals["50"].engage, totals["50"].postes_vacants, totals["50"].sans_decision) == (D("0"), 1, 1)
    assert y in list(response.context["page_obj"])
    assert world.other.funding_year not in list(response.context["page_obj"])


def test_home_total_counts_a_contract_over_two_departements_once(client, world):
    t = world.own
    deleg2 = f.DelegationFactory(departement=f.DepartementFactory(code="50", nom="Manche", region=t.region))
    t.contract.delegations.add(deleg2)  # the own contract (23 000 € granted in 2025) now spans 14 and 50
    client.force_login(t.people["region"])
    response = client.get(reverse("funding:home"), {"annee": "2025"})
    totals = {x.code: x for x in response.context["totaux"]}
    assert totals["14"].engage == totals["50"].engage == D("23000")
    total = response.context["total"]
    assert (total.engage, total.verse, total.postes_pourvus) == (D("23000"), D("11500"), 1)
    html = plain(response)
    assert re.search(r"Total</th>(<td[^>]*>[^<]*</td>){3}", html).group(0).count("23 000 €") == 2
    assert "1 contrat couvre plusieurs départements" in html and "ne le compte qu'une fois" in html


def test_export_csv_of_the_filtered_list(client, world):
    client.force_login(world.own.people["region"])
    response = client.get(reverse("funding:export"), {"annee": "2025", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Contrat;Département(s);Année;État")
    assert len(lines) == 2 and "23000,00" in lines[1] and "11500,00" in lines[1]
    response = client.get(reverse("funding:export"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_action_funding_rollup_is_read_only_and_consistent(client, world):
    from actions.models import Financement, LigneBudget

    fiche = world.own.fiche
    LigneBudget.objects.create(fiche=fiche, annee=2025, type="personnel", montant_prevu=D("12000"))
    Financement.objects.create(fiche=fiche, annee=2025, financeur="ars_aap", montant=D("8000"))
    Financement.objects.create(fiche=fiche, annee=2025, financeur="cpam", montant=D("3000"))
    client.force_login(world.own.people["delegation"])
    html = plain(client.get(contract_url(world.own)))
    assert "ARS — appel à projets : 8 000 €" in html and "CPAM / Assurance maladie : 3 000 €" in html
    assert "\u22121 000 € (budget non couvert)" in html


def _more_contracts(tenant, n):
    for i in range(n):
        c = f.ContractFactory(ars=tenant.contract.ars, delegations=[tenant.delegation],
                              coordinators=[tenant.people["coordinateur"]], referent=tenant.people["delegation"])
        a = services.annee_create(actor=tenant.people["coordinateur"], contract=c, annee=2025, today=TODAY,
                                  etp=D("1"), mois_pourvus=12, cout_salaire=D("46000"), cout_charges=D("0"),
                                  cout_fonctionnement=D("0"), demande_ars=D("23000"),
                                  demande_collectivite=D("23000"), demande_autres=D("0"))
        if i % 2:
            services.annee_instruct(actor=tenant.people["delegation"], annee_id=a.pk, expected_version=None)


@pytest.mark.parametrize("n", [2, 12])
@pytest.mark.parametrize("role", ["delegation", "region", "coordinateur"])
def test_home_query_count_does_not_grow(client, world, snapshot, n, role):
    _more_contracts(world.own, n)
    client.force_login(world.own.people[role])
    with assert_snapshot_queries(snapshot):
        response = client.get(reverse("funding:home"), {"statut": ""})
    assert response.status_code == 200 and response.context["page_obj"].paginator.count == n + 2


@pytest.mark.parametrize("years", [1, 6])
def test_contract_page_query_count_does_not_grow(client, world, snapshot, years):
    t = world.own
    # Years inside the contract's life and covered by a rule of the région: the letter of intent and the
    # région's first rule are moved back to 2018.
    Contract.objects.filter(pk=t.contract.pk).update(date_lettre_intention=dt.date(2018, 1, 1))
    t.contract.date_lettre_intention = dt.date(2018, 1, 1)
    RegleFinancement.objects.create(region=t.region, valid_from=dt.date(2018, 1, 1), taux=D("0.5"),
                                    plafond_annuel=D("25000"), cout_reference=D("50000"))
    for y in range(2018, 2018 + years):
        a = services.annee_create(actor=t.people["coordinateur"], contract=t.contract, annee=y, today=TODAY,
                                  **dict(etp=D("1"), mois_pourvus=12, cout_salaire=D("46000"), cout_charges=D("0"),
                                         cout_fonctionnement=D("0"), demande_ars=D("23000"),
                                         demande_collectivite=D("23000"), demande_autres=D("0")))
        filed_on(a, dt.date(y, 1, 15))
        services.annee_instruct(actor=t.people["delegation"], annee_id=a.pk, expected_version=None)
        services.decision_record(actor=t.people["delegation"], annee_id=a.pk, expected_version=None,
                                 montant_accorde=D("23000"), date_decision=dt.date(y, 3, 1), document=pdf(),
                                 today=TODAY)
        services.versement_record(actor=t.people["delegation"], annee_id=a.pk, date=dt.date(y, 4, 1),
                                  montant=D("23000"), today=TODAY)
    client.force_login(t.people["delegation"])
    with assert_snapshot_queries(snapshot):
        response = client.get(contract_url(t))
    assert len(response.context["annees"]) == years + 2


def test_export_uses_the_filters_of_the_page(client, world):
    client.force_login(world.own.people["delegation"])
    response = client.get(reverse("funding:home"))
    assert response.context["export_filters"] == [("statut", "a_traiter")]
    assert 'name="statut" value="a_traiter"' in response.content.decode()
    response = client.get(reverse("funding:export"), {"statut": "a_traiter", "format": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and ";2026;" in lines[1]


def test_rules_page_of_a_region_without_rule_says_requests_wait_for_one(client, world):
    """The empty table said « les chiffres par défaut s'appliquent » under a paragraph saying a région without a
    rule gets no request (which is what the request form does)."""
    RegleFinancement.objects.filter(region=world.own.region).delete()
    client.force_login(world.own.people["region"])
    html = plain(client.get(reverse("funding:rules")))
    assert "Aucune règle enregistrée : aucune demande de financement ne peut être déposée" in html
    assert "par défaut" not in html


def test_a_rule_with_several_mistakes_gets_them_all_at_once(client, world):
    """An ETP of −1 was refused only at the second submission, once the other fields were right."""
    client.force_login(world.own.people["region"])
    year = dt.date.today().year
    response = client.post(reverse("funding:rule_create"), {
        "region": world.own.region.code, "valid_from": f"{year}-12-01", "taux_pourcent": "150",
        "plafond_annuel": "25000", "cout_reference": "50000", "etp_minimum": "-1", "part_egale": "on"})
    errors = response.context["form"].errors
    assert errors["taux_pourcent"] == ["Le taux ne peut pas dépasser 100 %."]
    assert errors["etp_minimum"] == ["Le temps de travail minimum doit être compris entre 0 et 1 ETP."]
