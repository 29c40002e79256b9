"""Lifecycle of a year's funding, rule versions and concurrency, through the services."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from cls_portal.core.errors import ConcurrentEditError, DomainError
from cls_portal.core.history import history_for
from cls_portal.notifications.models import Notification
from contracts.models import Contract
from funding import services
from funding.enums import FundingEvent, Statut
from funding.models import AnneeFinancement, Decision, RegleFinancement, rule_for
from funding.selectors import contracts_without_dialogue, post_year_summary
from tests.worlds.funding import TODAY, filed_on, pdf

REQUEST = dict(etp=D("1"), mois_pourvus=12, cout_salaire=D("32000"), cout_charges=D("11000"),
               cout_fonctionnement=D("3000"), demande_ars=D("23000"), demande_collectivite=D("23000"),
               demande_autres=D("0"))


def plain(text):
    return text.replace("\u00a0", " ")


def file_request(tenant, annee=2024, filed=None, **overrides):
    """The request of `annee`, filed on `filed` (by default in the November before the year)."""
    obj = services.annee_create(actor=tenant.people["coordinateur"], contract=tenant.contract, annee=annee,
                                today=TODAY, **{**REQUEST, **overrides})
    return filed_on(obj, filed or dt.date(int(annee) - 1, 11, 15))


def decide(tenant, annee, montant=D("23000"), **kw):
    return services.decision_record(actor=tenant.people["delegation"], annee_id=annee.pk, expected_version=None,
                                    montant_accorde=montant, date_decision=kw.pop("date", dt.date(2025, 2, 1)),
                                    document=kw.pop("document", pdf()), today=TODAY, **kw)


def instructed(tenant, **kw):
    annee = file_request(tenant, **kw)
    return services.annee_instruct(actor=tenant.people["delegation"], annee_id=annee.pk, expected_version=None)


def test_full_lifecycle_records_who_and_when(world):
    t = world.own
    annee = file_request(t)
    assert annee.statut == Statut.DEPOSEE and annee.deposee_par == t.people["coordinateur"]
    annee = services.annee_instruct(actor=t.people["delegation"], annee_id=annee.pk, expected_version=annee.version)
    assert annee.statut == Statut.EN_INSTRUCTION and annee.instruite_par == t.people["delegation"]
    decision = decide(t, annee)
    annee.refresh_from_db()
    assert (annee.statut, annee.montant_accorde, decision.decided_by) == (
        Statut.DECIDEE, D("23000.00"), t.people["delegation"])
    assert decision.document.read().startswith(b"%PDF")
    services.versement_record(actor=t.people["delegation"], annee_id=annee.pk, date=dt.date(2025, 3, 1),
                              montant=D("11500"), today=TODAY)
    services.versement_record(actor=t.people["delegation"], annee_id=annee.pk, date=dt.date(2025, 9, 1),
                              montant=D("11500"), today=TODAY)
    bilan = services.bilan_record(actor=t.people["coordinateur"], annee_id=annee.pk, expected_version=None,
                                  etp_reel=D("1"), mois_pourvus_reels=9, cout_reel=D("40000"),
                                  part_collectivite_reelle=D("21250"), part_autres_reelle=D("0"))
    annee.refresh_from_db()
    # 9 months filled: the ARS owed 18 750 € but paid 23 000 €.
    assert (bilan.part_ars_due, bilan.montant_a_reverser) == (D("18750.00"), D("4250.00"))
    assert (annee.statut, annee.total_verse, annee.montant_a_reverser) == (Statut.SOLDEE, D("23000"), D("4250.00"))
    actions = [e.action for e in reversed(history_for(annee))]
    assert actions == [FundingEvent.DEMANDE_DEPOSEE, FundingEvent.INSTRUCTION, FundingEvent.DECISION,
                       FundingEvent.VERSEMENT, FundingEvent.VERSEMENT, FundingEvent.BILAN]
    assert all(e.actor is not None for e in history_for(annee))
    # The référent hears of the request; the coordinator of the decision.
    assert Notification.objects.filter(user=t.people["delegation"], kind="financement").exists()
    assert Notification.objects.filter(user=t.people["coordinateur"], title__contains="Décision").exists()


def test_request_refused_with_field_under_the_rule_of_the_region(world):
    # 0.4 ETP in Grand Est: below the half-time minimum.
    with pytest.raises(DomainError) as err:
        file_request(world.other, etp=D("0.4"), demande_ars=D("10000"), demande_collectivite=D("36000"))
    assert err.value.field == "etp" and "0,5" in err.value.message
    # The same in Normandie is accepted (no minimum).
    file_request(world.own, etp=D("0.4"), demande_ars=D("10000"), demande_collectivite=D("36000"))
    with pytest.raises(DomainError) as err:
        file_request(world.own, annee=2023, demande_ars=D("20000"), demande_collectivite=D("19000"),
                     demande_autres=D("7000"))
    assert err.value.field == "demande_collectivite"
    with pytest.raises(DomainError) as err:
        file_request(world.own, annee=2025)  # the world already has 2025
    assert err.value.field == "annee" and "existe déjà" in err.value.message
    with pytest.raises(DomainError) as err:
        file_request(world.own, annee=2028)
    assert err.value.field == "annee"


def test_rule_versions_and_past_years(world):
    region = world.own.region
    admin = world.users["admin"]
    new = services.regle_create(actor=admin, region=region, valid_from=dt.date(2026, 1, 1), taux=D("0.5"),
                                plafond_annuel=D("30000"), cout_reference=D("60000"), today=TODAY)
    assert rule_for(region, 2026).plafond_annuel == D("30000")
    assert rule_for(region, 2025).plafond_annuel == D("25000")  # a past year keeps its rule
    with pytest.raises(DomainError) as err:  # before the région's first rule: no rule (issue 20 item 4)
        rule_for(region, 2019)
    assert err.value.field == "annee" and "à partir du 01/01/2020" in err.value.message
    with pytest.raises(DomainError) as err:
        services.regle_create(actor=admin, region=region, valid_from=dt.date(2025, 6, 1), taux=D("0.5"),
                              plafond_annuel=D("1"), cout_reference=D("1"), today=TODAY)
    assert err.value.field == "valid_from" and "année passée" in err.value.message
    with pytest.raises(DomainError) as err:
        services.regle_create(actor=admin, region=region, valid_from=dt.date(2026, 1, 1), taux=D("0.5"),
                              plafond_annuel=D("1"), cout_reference=D("1"), today=TODAY)
    assert "doit commencer après" in err.value.message
    with pytest.raises(DomainError) as err:
        services.regle_create(actor=admin, region=region, valid_from=dt.date(2026, 7, 1), taux=D("1.5"),
                              plafond_annuel=D("1"), cout_reference=D("1"), today=TODAY)
    assert err.value.field == "taux"
    assert RegleFinancement.objects.filter(region=region).count() == 2
    assert history_for(new).first().action == FundingEvent.REGLE_CREEE
    # The 2026 request (0.8 ETP, 42 000 €) is now checked against the new rule: 21 000 € is allowed
    # (min(50 % × 42 000, 50 % × 60 000 × 0,8)), where the old rule capped it at 20 000 €.
    req = world.own.funding_request
    services.annee_update(actor=world.own.people["coordinateur"], annee_id=req.pk, expected_version=req.version,
                          **{**REQUEST, "etp": D("0.8"), "cout_salaire": D("29000"), "cout_charges": D("10000"),
                             "demande_ars": D("21000"), "demande_collectivite": D("21000")})
    with pytest.raises(DomainError):  # the same figures in 2024 fall under the old rule
        file_request(world.own, annee=2024, etp=D("0.8"), cout_salaire=D("29000"), cout_charges=D("10000"),
                     demande_ars=D("21000"), demande_collectivite=D("21000"))


def test_decision_never_edited_only_superseded(world):
    t = world.own
    annee = instructed(t)
    first = decide(t, annee, montant=D("20000"))
    with pytest.raises(DomainError) as err:
        decide(t, annee, montant=D("23000.01"))
    assert err.value.field == "montant_accorde" and "dépasse le maximum de 23 000 €" in plain(err.value.message)
    second = decide(t, annee, montant=D("23000"), motif="Correction après dialogue de gestion")
    first.refresh_from_db()
    assert second.remplace == first and first.remplacee_par == second
    assert first.montant_accorde == D("20000.00")  # the old decision is untouched
    annee.refresh_from_db()
    assert annee.montant_accorde == D("23000.00")
    assert Decision.objects.filter(annee=annee).count() == 2
    assert [e.action for e in history_for(annee)][:2] == [FundingEvent.DECISION_REMPLACEE, FundingEvent.DECISION]


@pytest.mark.parametrize("kwargs,field,fragment", [
    (dict(montant=D("-1")), "montant_accorde", "négatif"),
    (dict(montant=D("100.001")), "montant_accorde", "centime"),
    (dict(date=dt.date(2026, 6, 2)), "date_decision", "futur"),
    (dict(document=None), "document", "Joignez"),
    (dict(document=pdf("decision.docx")), "document", "PDF"),
])
def test_decision_refusals(world, kwargs, field, fragment):
    annee = instructed(world.own)
    with pytest.raises(DomainError) as err:
        decide(world.own, annee, **kwargs)
    assert err.value.field == field and fragment in err.value.message


def test_decision_needs_instruction_first(world):
    annee = file_request(world.own)
    with pytest.raises(DomainError) as err:
        decide(world.own, annee)
    assert "n'est pas possible" in err.value.message and "Demande déposée" in err.value.message


def test_total_paid_never_above_granted(world):
    t = world.own
    annee = instructed(t)
    decide(t, annee, montant=D("20000"))
    services.versement_record(actor=t.people["delegation"], annee_id=annee.pk, date=dt.date(2025, 3, 1),
                              montant=D("15000"), today=TODAY)
    with pytest.raises(DomainError) as err:
        services.versement_record(actor=t.people["delegation"], annee_id=annee.pk, date=dt.date(2025, 4, 1),
                                  montant=D("5000.01"), today=TODAY)
    assert err.value.field == "montant" and "reste 5 000 € à verser" in plain(err.value.message)
    services.versement_record(actor=t.people["delegation"], annee_id=annee.pk, date=dt.date(2025, 4, 1),
                              montant=D("5000"), today=TODAY)
    annee.refresh_from_db()
    assert annee.total_verse == D("20000.00") == annee.montant_accorde
    # A new decision cannot go below what was paid.
    with pytest.raises(DomainError) as err:
        decide(t, annee, montant=D("19999.99"), motif="Réduction")
    assert "déjà été versé" in err.value.message
    for bad, fragment in ((D("0"), "supérieur à 0"), (D("-3"), "négatif")):
        with pytest.raises(DomainError) as err:
            services.versement_record(actor=t.people["delegation"], annee_id=annee.pk, date=dt.date(2025, 4, 1),
                                      montant=bad, today=TODAY)
        assert fragment in err.value.message


def test_payment_needs_a_decision(world):
    annee = instructed(world.own)
    with pytest.raises(DomainError):
        services.versement_record(actor=world.own.people["delegation"], annee_id=annee.pk,
                                  date=dt.date(2025, 3, 1), montant=D("1"), today=TODAY)


def test_payment_cannot_precede_the_decision(world):
    """The délégation typed 01/01/2025 for a payment of a year decided on 01/02/2025: it was recorded."""
    t = world.own
    annee = instructed(t)
    decide(t, annee, date=dt.date(2025, 2, 1))
    with pytest.raises(DomainError) as err:
        services.versement_record(actor=t.people["delegation"], annee_id=annee.pk, date=dt.date(2025, 1, 1),
                                  montant=D("1000"), today=TODAY)
    assert err.value.field == "date" and "décision de financement du 01/02/2025" in err.value.message
    # The decision's own day is fine.
    services.versement_record(actor=t.people["delegation"], annee_id=annee.pk, date=dt.date(2025, 2, 1),
                              montant=D("1000"), today=TODAY)


def test_a_decision_cannot_precede_its_request_nor_be_in_the_future(world):
    """The délégation typed 09/01/2024 for the decision on a request filed on 10/01/2024: it was recorded."""
    t = world.own
    annee = services.annee_instruct(actor=t.people["delegation"], expected_version=None,
                                    annee_id=file_request(t, filed=dt.date(2024, 1, 10)).pk)
    with pytest.raises(DomainError) as err:
        decide(t, annee, date=dt.date(2024, 1, 9))
    assert err.value.field == "date_decision"
    assert err.value.message == ("La décision ne peut pas précéder la demande de financement, déposée le "
                                 "10/01/2024 : vérifiez la date de la décision signée.")
    with pytest.raises(DomainError) as err:
        decide(t, annee, date=TODAY + dt.timedelta(days=1))
    assert err.value.field == "date_decision" and "au plus tard le 01/06/2026" in err.value.message
    assert not Decision.objects.filter(annee=annee).exists()
    decide(t, annee, date=dt.date(2024, 1, 10))  # the request's own day is fine
    # So is today.
    decide(t, annee, date=TODAY, motif="Correction")


def test_an_imported_year_has_no_request_date_to_precede(world):
    """A past year brought in by the import (its row dates from the import): a correcting decision keeps the
    date of the paper decision, earlier than the import."""
    t = world.own
    services.annee_import(actor=t.people["delegation"], contract=t.contract, annee=2024,
                          values={k: v for k, v in REQUEST.items() if k != "demande_ars"},
                          montant_accorde=D("23000"), total_verse=D("0"), today=TODAY)
    annee = AnneeFinancement.objects.get(contract=t.contract, annee=2024)
    assert timezone.localdate(annee.deposee_le) > dt.date(2024, 3, 1)
    decide(t, annee, date=dt.date(2024, 3, 1), montant=D("22000"), motif="Décision rectificative")
    assert annee.decisions.count() == 2


def test_a_payment_cannot_be_recorded_before_it_is_made(world):
    t = world.own
    annee = instructed(t)
    decide(t, annee, date=dt.date(2025, 2, 1))
    with pytest.raises(DomainError) as err:
        services.versement_record(actor=t.people["delegation"], annee_id=annee.pk, date=TODAY + dt.timedelta(days=1),
                                  montant=D("1000"), today=TODAY)
    assert err.value.field == "date" and "un versement s'enregistre une fois effectué" in err.value.message
    services.versement_record(actor=t.people["delegation"], annee_id=annee.pk, date=TODAY, montant=D("1000"),
                              today=TODAY)


def test_concurrent_edits_are_detected(world):
    """Two people open the same request (version 1); the second save is refused, nothing is lost silently."""
    t = world.own
    annee = file_request(t)
    opened = annee.version
    services.annee_update(actor=t.people["coordinateur"], annee_id=annee.pk, expected_version=opened,
                          **{**REQUEST, "cout_fonctionnement": D("4000"), "demande_collectivite": D("24000")})
    with pytest.raises(ConcurrentEditError) as err:
        services.annee_update(actor=t.people["admin"] if t.people["admin"] else world.users["admin"],
                              annee_id=annee.pk, expected_version=opened,
                              **{**REQUEST, "demande_ars": D("22000"), "demande_collectivite": D("24000")})
    assert "cout_fonctionnement" in err.value.changes or "demande_ars" in err.value.changes
    annee.refresh_from_db()
    assert (annee.cout_fonctionnement, annee.demande_ars, annee.version) == (D("4000"), D("23000"), opened + 1)
    # Instruction from a stale page is refused too.
    with pytest.raises(ConcurrentEditError):
        services.annee_instruct(actor=t.people["delegation"], annee_id=annee.pk, expected_version=opened)


def test_amend_only_before_instruction(world):
    annee = instructed(world.own)
    with pytest.raises(DomainError) as err:
        services.annee_update(actor=world.own.people["coordinateur"], annee_id=annee.pk, expected_version=None,
                              **REQUEST)
    assert "En instruction" in err.value.message


def test_statement_recovery_and_correction(world):
    t = world.own
    annee = t.funding_year  # 23 000 € granted, 11 500 € paid
    bilan = services.bilan_record(actor=t.people["coordinateur"], annee_id=annee.pk, expected_version=annee.version,
                                  etp_reel=D("1"), mois_pourvus_reels=12, cout_reel=D("20000"),
                                  part_collectivite_reelle=D("10000"))
    assert (bilan.part_ars_due, bilan.montant_a_reverser) == (D("10000.00"), D("1500.00"))
    annee.refresh_from_db()
    bilan = services.bilan_record(actor=t.people["delegation"], annee_id=annee.pk, expected_version=annee.version,
                                  etp_reel=D("1"), mois_pourvus_reels=12, cout_reel=D("46000"),
                                  part_collectivite_reelle=D("23000"))
    annee.refresh_from_db()
    assert (bilan.montant_a_reverser, annee.montant_a_reverser, bilan.version) == (D("0.00"), D("0.00"), 2)
    with pytest.raises(DomainError) as err:
        services.bilan_record(actor=t.people["delegation"], annee_id=annee.pk, expected_version=annee.version,
                              etp_reel=D("1"), mois_pourvus_reels=12, cout_reel=D("10000"),
                              part_collectivite_reelle=D("9000"), part_autres_reelle=D("2000"))
    assert err.value.field == "part_collectivite_reelle" and "dépassent le coût réel" in err.value.message


def test_statement_comment_is_shown_once_in_the_history(world):
    """The year's history read « Commentaire : Bilan certifié… » and, under it, « « Bilan certifié… » » again."""
    from cls_portal.core.history import line

    t = world.own
    annee = t.funding_year
    services.bilan_record(actor=t.people["coordinateur"], annee_id=annee.pk, expected_version=annee.version,
                          etp_reel=D("1"), mois_pourvus_reels=12, cout_reel=D("46000"),
                          part_collectivite_reelle=D("23000"), commentaire="Bilan certifié par le comptable public.")
    annee.refresh_from_db()
    services.bilan_record(actor=t.people["coordinateur"], annee_id=annee.pk, expected_version=annee.version,
                          etp_reel=D("1"), mois_pourvus_reels=12, cout_reel=D("46000"),
                          part_collectivite_reelle=D("23000"), commentaire="Bilan certifié, version signée.")
    first, correction = [line(e) for e in history_for(annee).filter(action=FundingEvent.BILAN).order_by("pk")]
    shown = [" ".join([*first.details, first.comment]), " ".join([*correction.details, correction.comment])]
    assert shown[0].count("Bilan certifié par le comptable public.") == 1
    assert "Commentaire : Bilan certifié par le comptable public. → Bilan certifié, version signée." in shown[1]
    assert shown[1].count("version signée") == 1


def test_dialogue_record_and_contracts_without_one(world):
    t = world.own
    assert set(contracts_without_dialogue(Contract.objects.all(), 2026)) == {t.contract, world.other.contract}
    services.dialogue_record(actor=t.people["delegation"], contract=t.contract, annee=2026,
                             date=dt.date(2026, 5, 12), participants="Élus, coordinatrice, DD14",
                             conclusions="Reconduction", montant_convenu=D("23000"), today=TODAY)
    assert list(contracts_without_dialogue(Contract.objects.all(), 2026)) == [world.other.contract]
    assert set(contracts_without_dialogue(Contract.objects.all(), 2025)) == {t.contract, world.other.contract}
    with pytest.raises(DomainError) as err:
        services.dialogue_record(actor=t.people["delegation"], contract=t.contract, annee=2026,
                                 date=dt.date(2026, 7, 1), participants="x", conclusions="y", today=TODAY)
    assert err.value.field == "date" and "avant d'avoir eu lieu" in err.value.message
    with pytest.raises(DomainError) as err:
        services.dialogue_record(actor=t.people["delegation"], contract=t.contract, annee=2025,
                                 date=dt.date(2026, 5, 1), participants="x", conclusions="y", today=TODAY)
    assert "2025" in err.value.message


def test_world_figures_are_consistent(world):
    """The denormalised totals equal the decision and payment rows they summarise."""
    for tenant in (world.own, world.other):
        annee = AnneeFinancement.objects.get(pk=tenant.funding_year.pk)
        current = annee.decisions.filter(remplacee_par__isnull=True).get()
        assert annee.montant_accorde == current.montant_accorde
        assert annee.total_verse == sum(v.montant for v in annee.versements.all())


def test_post_summary_for_the_financial_report(world):
    t = world.own
    assert post_year_summary(t.contract, 2019) is None
    s = post_year_summary(t.contract, 2025)
    assert (s["plafond_ars"], s["montant_accorde"], s["total_verse"], s["solde"]) == (
        D("23000.00"), D("23000.00"), D("11500.00"), D("11500.00"))
    assert s["date_decision"] == dt.date(2025, 3, 10) and s["versements"][0]["libelle"] == "Mandat 2025-0412"
    assert [p["part"] for p in s["parts"]] == [D("0.5000"), D("0.5000"), D("0.0000")]
    assert plain(s["calcul_plafond"]).startswith("50 % de 46 000 € = 23 000 €")
    annee = t.funding_year
    services.bilan_record(actor=t.people["coordinateur"], annee_id=annee.pk, expected_version=None,
                          etp_reel=D("1"), mois_pourvus_reels=12, cout_reel=D("20000"),
                          part_collectivite_reelle=D("10000"))
    assert post_year_summary(t.contract, 2025)["solde"] == D("-1500.00")  # overpaid: to recover
