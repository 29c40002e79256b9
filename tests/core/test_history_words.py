"""History in words (issue 15, item 5): typed events, sentences, labels and displayed values; an unchanged
save writes nothing; rows written before the typed codes are migrated to them."""

import datetime as dt
import importlib
import re
from decimal import Decimal as D

import pytest
from django.apps import apps

from cls_portal.core import history
from cls_portal.core.history import REGISTRY, history_for
from cls_portal.core.models import HistoryEntry
from contracts import services as contract_services
from contracts.enums import ContractEvent
from tests.security.test_history_in_words import _accentless_codes, _problems

pytestmark = pytest.mark.django_db


def test_every_event_of_every_app_has_a_sentence_in_words():
    apps_seen = {code.split("_")[0] for code in REGISTRY.events}
    assert {"contrat", "fiche", "axe", "diagnostic", "financement", "rapport", "notifications"} <= apps_seen
    codes = _accentless_codes()
    for spec in REGISTRY.events.values():
        entry = HistoryEntry(action=spec.code, context={
            "nom": "CLS du Bessin", "fiche": "2.4", "titre": "Maison de santé", "axe": 2, "annee": 2025,
            "numero": 3, "type": "d'activité", "version": 1, "transition": "Clore le contrat",
            "phase": "Clos", "signataire": "Préfecture du Calvados", "instance": "COPIL", "membre": "M. Martin",
            "reunion": "COPIL du 20/11/2025", "precedent": "CLS 1", "suivant": "CLS 2", "priorite": "Accès aux soins",
            "region": "Normandie", "perimetre": "Calvados"})
        for ctx in (entry.context, {}):
            entry.context = ctx
            text = history.sentence(entry)
            assert "{" not in text and not re.search(r"«\s*»", text) and text[0].isupper(), (spec.code, text)
            assert not _problems(text, codes), (spec.code, text)
        assert spec.audience in REGISTRY.audiences, spec.code


def test_an_unregistered_event_is_refused(world):
    with pytest.raises(ValueError, match="inconnu"):
        history.record(actor=None, obj=world.own.contract, event="modification de l'identité")


def test_changes_read_with_field_labels_and_displayed_values(world):
    t = world.own
    contract = t.contract
    contract_services.contract_update(actor=t.people["coordinateur"], contract=contract, version=None, data={
        "date_lettre_intention": dt.date(2024, 3, 12), "engagement_confirme": True})
    contract_services.contract_update(actor=t.people["coordinateur"], contract=contract, version=None, data={
        "date_lettre_intention": dt.date(2024, 3, 14), "referent": t.people["delegation"], "duree_annees": 4})
    line = history.line(history_for(contract).filter(action=ContractEvent.IDENTITE_MODIFIEE).first())
    person = t.people["coordinateur"]
    assert line.sentence == f"Identité du contrat modifiée par {person.get_full_name() or person.username}"
    assert "Date de la lettre d'intention : 12/03/2024 → 14/03/2024" in line.details
    assert "Durée (années) : 5 → 4" in line.details
    first = history.line(history_for(contract).filter(action=ContractEvent.IDENTITE_MODIFIEE).last())
    assert "La collectivité a confirmé son engagement : non → oui" in first.details
    # Money, choices and years of a funding year.
    year = history.lines(history_for(t.funding_year).order_by("id"))
    assert year[0].sentence.startswith("Demande de financement 2025 déposée par ")
    assert "Montant demandé à l'ARS : 23\u00a0000\u00a0€" in year[0].details
    assert "État : Demande déposée → En instruction" in [d for line in year for d in line.details]


def test_saving_an_unchanged_form_writes_no_line(world):
    from actions import services as actions_services
    from diagnostics import services as diagnostic_services
    from funding import services as funding_services

    t = world.own
    coord, dd = t.people["coordinateur"], t.people["delegation"]
    before = HistoryEntry.objects.count()
    contract_services.contract_update(actor=coord, contract=t.contract, version=None,
                                      data={"nom": t.contract.nom, "rural": t.contract.rural})
    axe = t.axe
    actions_services.axe_update(actor=coord, axe_id=axe.pk, titre=axe.titre, type=axe.type,
                                description=axe.description)
    fiche = t.fiche
    actions_services.fiche_update(actor=coord, fiche_id=fiche.pk, expected_version=fiche.version,
                                  data={"titre": fiche.titre, "contexte": fiche.contexte},
                                  copilotes=list(fiche.copilotes_personnes.all()), communes=list(fiche.communes.all()))
    d = t.diagnostic
    diagnostic_services.diagnostic_update_preparation(actor=coord, diagnostic_id=d.pk, expected_version=d.version,
                                                      data={"gouvernance_hypothese": d.gouvernance_hypothese})
    req = t.funding_request
    funding_services.annee_update(actor=coord, annee_id=req.pk, expected_version=req.version,
                                  demande_ars=req.demande_ars)
    values = dict(date=dt.date(2025, 11, 4), participants="La présidente", conclusions="Poste maintenu",
                  montant_convenu=D("24000"))
    funding_services.dialogue_record(actor=dd, contract=t.contract, annee=2025, today=dt.date(2026, 1, 5), **values)
    after_first = HistoryEntry.objects.count()
    assert after_first == before + 1  # only the new dialogue
    funding_services.dialogue_record(actor=dd, contract=t.contract, annee=2025, today=dt.date(2026, 1, 5), **values)
    assert HistoryEntry.objects.count() == after_first
    # A real change is still written.
    contract_services.contract_update(actor=coord, contract=t.contract, version=None,
                                      data={"rural": not t.contract.rural})
    assert HistoryEntry.objects.count() == after_first + 1


def test_rows_written_before_the_typed_codes_are_migrated(world):
    from django.contrib.contenttypes.models import ContentType

    migration = importlib.import_module("cls_portal.core.migrations.0004_history_typed_events")
    t = world.own
    ct = ContentType.objects.get_for_model

    def old(obj, action, changes=None):
        return HistoryEntry.objects.create(content_type=ct(obj), object_id=obj.pk, contract_id=t.contract.pk,
                                           action=action, changes=changes or {})

    rows = [
        old(t.funding_year, "demande déposée", {"demande_ars": [None, "23000.00"]}),
        old(t.fiche, "fiche_soumettre", {"statut": ["brouillon", "soumise"]}),
        old(t.fiche, "suivi_2025"),
        old(t.fiche, "fiche_modifiee", {"pilote_personne": [None, t.people["pilote"].pk]}),
        old(t.contract, "changement de phase : Signature du contrat (entrée en mise en œuvre)",
            {"phase": ["diagnostic", "mise_en_oeuvre"]}),
        old(t.report_published, "report_published", {"published": [False, True]}),
        old(t.contract, "modification de l'identité", {"referent": [None, t.people["delegation"].pk]}),
    ]
    assert migration.migrate_rows(apps, HistoryEntry.objects.filter(pk__in=[r.pk for r in rows])) == len(rows)
    got = {r.pk: r for r in HistoryEntry.objects.filter(pk__in=[r.pk for r in rows])}
    lines = [history.line(got[r.pk]) for r in rows]
    assert [got[r.pk].action for r in rows] == [
        "financement_demande_deposee", "fiche_soumise", "fiche_suivi_enregistre", "fiche_modifiee",
        "contrat_phase_changee", "rapport_publie", "contrat_identite_modifiee"]
    assert lines[0].sentence == "Demande de financement 2025 déposée" and lines[0].details == [
        "Montant demandé à l'ARS : 23\u00a0000\u00a0€"]
    assert lines[1].sentence == f"Fiche {t.fiche.code} soumise à la délégation"
    assert lines[2].sentence == f"Suivi annuel 2025 de la fiche {t.fiche.code} enregistré"
    pilot = t.people["pilote"]
    assert lines[3].details == [f"Pilote : {pilot.get_full_name() or pilot.username}"]
    assert lines[4].sentence == "Contrat passé en « Mise en œuvre et évaluation »"
    assert lines[5].sentence == f"Rapport d'activité {t.report_published.year} publié (version 1)"
    codes = _accentless_codes()
    for line in lines:
        for text in [line.sentence, *line.details]:
            assert not _problems(text, codes), text
