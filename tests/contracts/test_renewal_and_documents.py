import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from actions.enums import FicheStatut
from actions.models import FicheAction
from cls_portal.core import history, uploads
from cls_portal.core.errors import DomainError
from cls_portal.core.models import HistoryEntry
from contracts import services
from contracts.enums import DocumentType, InstanceType, Phase
from contracts.models import Document
from tests import factories as f
from tests.contracts.files import DOCX, EXE, JPEG, ODS, ODT, PDF, PNG, XLSX, upload


def test_renewal_creates_prefilled_next_generation(setup):
    s = setup(Phase.CLOS)
    s.add_signatories()
    copil = services.instance_create(actor=s.coordinateur, contract=s.contract, type=InstanceType.COPIL,
                                     nom="COPIL du CLS")
    services.member_add(actor=s.coordinateur, instance=copil, personne="Mme la Présidente", role="Présidente")
    running = s.add_fiche(statut=FicheStatut.EN_COURS, titre="Maison de santé de Balleroy")
    s.add_fiche(statut=FicheStatut.REALISEE, titre="Forum santé")
    new = services.contract_renew(actor=s.ars_user, contract=s.contract)
    assert new.generation == 2 and new.previous == s.contract and s.contract.next_generation == new
    assert new.phase == Phase.PREALABLE
    assert set(new.communes.values_list("code", flat=True)) == {c.code for c in s.communes}
    assert new.signatories.count() == 3 and not new.signatories.filter(date_signature__isnull=False).exists()
    assert new.instances.get().members.get().personne == "Mme la Présidente"
    copies = list(FicheAction.objects.filter(contract=new))
    assert [c.titre for c in copies] == ["Maison de santé de Balleroy"]
    assert copies[0].statut == FicheStatut.BROUILLON and copies[0].pilote_organisation == running.pilote_organisation
    assert copies[0].axe.contract == new
    assert new.steps.count() >= 8
    with pytest.raises(DomainError, match="déjà été renouvelé"):
        services.contract_renew(actor=s.ars_user, contract=s.contract)


def test_renewal_refused_while_running(setup):
    s = setup(Phase.MISE_EN_OEUVRE)
    with pytest.raises(DomainError, match="pendant l'évaluation finale ou après la clôture"):
        services.contract_renew(actor=s.coordinateur, contract=s.contract)


@pytest.mark.parametrize("name,content", [("a.pdf", PDF), ("a.docx", DOCX), ("a.xlsx", XLSX), ("a.odt", ODT),
                                          ("a.png", PNG), ("a.jpg", JPEG), ("A.JPEG", JPEG)])
def test_accepted_types_are_sniffed(name, content):
    checked = uploads.check_upload(upload(name, content))
    assert checked.size == len(content) and checked.extension == "." + name.rsplit(".", 1)[1].lower()


@pytest.mark.parametrize("name,content,message", [
    ("rapport.pdf", EXE, "ne correspond pas à son extension « .pdf »"),
    ("tableau.xlsx", DOCX, "ne correspond pas à son extension « .xlsx »"),
    ("texte.odt", ODS, "ne correspond pas à son extension « .odt »"),
    ("photo.png", JPEG, "ne correspond pas"),
    ("script.exe", EXE, "Ce type de fichier n'est pas accepté"),
    ("vide.pdf", b"", "Le fichier est vide"),
    ("../../etc/passwd.pdf", PDF, "Le nom du fichier n'est pas valide"),
    ("..\\x.pdf", PDF, "Le nom du fichier n'est pas valide"),
    (".cache.pdf", PDF, "Le nom du fichier n'est pas valide"),
    ("a\x00b.pdf", PDF, "Le nom du fichier n'est pas valide"),
])
def test_bad_uploads_refused(name, content, message):
    f = upload("x.pdf", content)
    f._name = name  # bypass Django's own basename clean-up: the check must stand on its own
    with pytest.raises(DomainError) as exc:
        uploads.check_upload(f)
    assert message in exc.value.message and exc.value.field == "fichier"


def test_too_large_refused_and_nothing_stored(setup, settings):
    s = setup(Phase.PREALABLE)
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(DomainError, match="trop volumineux"):
        services.document_upload(
            actor=s.coordinateur, contract=s.contract, type=DocumentType.AUTRE, titre="Gros",
            fichier=upload("gros.pdf", PDF + b"0" * 2000))
    assert not Document.objects.exists()
    assert not default_storage.exists(f"contrats/{s.contract.pk}") or \
        default_storage.listdir(f"contrats/{s.contract.pk}") == ([], [])


def test_signed_document_superseded_never_deleted(setup):
    s = setup(Phase.DIAGNOSTIC)
    v1 = s.upload(DocumentType.CONTRAT_SIGNE)
    with pytest.raises(DomainError, match="jamais supprimé"):
        services.document_delete(actor=s.coordinateur, document=v1)
    v2 = services.document_upload(actor=s.coordinateur, contract=s.contract, type=DocumentType.AUTRE,
                                  titre="Contrat signé (corrigé)", fichier=upload("v2.pdf"), supersedes=v1)
    assert v2.type == DocumentType.CONTRAT_SIGNE and v2.version_doc == 2
    assert list(Document.objects.current().filter(type=DocumentType.CONTRAT_SIGNE)) == [v2]
    assert default_storage.exists(v1.fichier.name) and "v2" not in v2.fichier.name
    with pytest.raises(DomainError, match="déjà été remplacé"):
        services.document_upload(actor=s.coordinateur, contract=s.contract, type=DocumentType.AUTRE, titre="v3",
                                 fichier=upload("v3.pdf"), supersedes=v1)


def test_unsigned_document_can_be_deleted(setup, django_capture_on_commit_callbacks):
    s = setup(Phase.DIAGNOSTIC)
    doc = s.upload(DocumentType.COMPTE_RENDU)
    name = doc.fichier.name
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(actor=s.coordinateur, document=doc)
    assert not Document.objects.exists() and not default_storage.exists(name)


def test_copil_yearly_review_marks_evaluation_step_done(setup):
    s = setup(Phase.MISE_EN_OEUVRE, date_signature=dt.date(2024, 3, 15))
    copil = services.instance_create(actor=s.coordinateur, contract=s.contract, type=InstanceType.COPIL, nom="COPIL")
    cotech = services.instance_create(actor=s.coordinateur, contract=s.contract, type=InstanceType.COTECH,
                                      nom="COTECH")
    with pytest.raises(DomainError, match="Seul le comité de pilotage"):
        services.meeting_create(actor=s.coordinateur, contract=s.contract, instance=cotech,
                                date=dt.date(2025, 11, 20), revue_annuelle=True)
    services.meeting_create(actor=s.coordinateur, contract=s.contract, instance=copil, date=dt.date(2025, 11, 20),
                            lieu="Bayeux", revue_annuelle=True, fichier=upload("cr.pdf"))
    step = s.contract.steps.get(annee=2025)
    assert step.statut == "realisee" and step.date_realisee == dt.date(2025, 11, 20)
    assert s.contract.steps.get(annee=2026).statut == "a_venir"
    assert s.contract.documents.get().type == DocumentType.COMPTE_RENDU


def test_a_meeting_that_fails_after_its_minutes_upload_leaves_no_file(setup, settings, monkeypatch):
    """The minutes are written to disk before the meeting row: a later failure rolls the rows back and
    must remove the file too (nothing stored on failure)."""
    from pathlib import Path

    s = setup(Phase.MISE_EN_OEUVRE, date_signature=dt.date(2024, 3, 15))
    copil = services.instance_create(actor=s.coordinateur, contract=s.contract, type=InstanceType.COPIL, nom="COPIL")

    def broken_history(*, obj, **kwargs):
        if obj.__class__.__name__ == "Meeting":
            raise RuntimeError("base indisponible")

    monkeypatch.setattr(services.history, "record", broken_history)
    with pytest.raises(RuntimeError):
        services.meeting_create(actor=s.coordinateur, contract=s.contract, instance=copil,
                                date=dt.date(2025, 11, 20), fichier=upload("cr.pdf"))
    assert not Document.objects.exists() and not s.contract.meetings.exists()
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []


def test_avenant_increments_plan_version(setup):
    s = setup(Phase.MISE_EN_OEUVRE)
    signatories = s.add_signatories()
    fiche = s.add_fiche(statut=FicheStatut.BROUILLON)  # written after signature: an avenant adds it
    doc = s.upload(DocumentType.AVENANT)
    a1 = services.avenant_create(actor=s.coordinateur, contract=s.contract, date=dt.date(2025, 5, 12),
                                 objet="Ajout d'une fiche santé mentale",
                                 changes=[{"kind": "ajout", "fiche": fiche}], signataires=signatories, document=doc)
    a2 = services.avenant_create(actor=s.coordinateur, contract=s.contract, date=dt.date(2026, 1, 9),
                                 objet="Retrait", changes=[{"kind": "retrait", "description": "Fiche 2.1"}],
                                 signataires=signatories)
    s.contract.refresh_from_db()
    assert (a1.numero, a2.numero, a2.plan_version, s.contract.plan_version) == (1, 2, 3, 3)
    assert a1.signataires.count() == 3
    with pytest.raises(DomainError, match="au moins une modification"):
        services.avenant_create(actor=s.coordinateur, contract=s.contract, date=dt.date(2026, 2, 1), objet="x",
                                changes=[])


def test_an_avenant_is_in_force_only_when_every_signatory_initialled_it(setup, client):
    s = setup(Phase.MISE_EN_OEUVRE)
    collectivite, ars, prefecture = s.add_signatories()
    partner = services.signatory_add(actor=s.coordinateur, contract=s.contract, role="partenaire",
                                     organisation=f.OrganisationFactory(nom="CPTS du Bessin"))
    a1 = services.avenant_create(actor=s.coordinateur, contract=s.contract, date=dt.date(2025, 5, 12),
                                 objet="Ajout", changes=[{"kind": "ajout", "description": "Fiche 3.1"}],
                                 signataires=[collectivite, ars])
    s.contract.refresh_from_db()
    # 2 of 3 initials: recorded, not in force; the plan keeps its version; the page names who is missing
    assert (a1.plan_version, s.contract.plan_version) == (2, 1)
    client.force_login(s.coordinateur)
    page = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    # « il manque le paraphe de Préfecture du Calvados » lacked its article: the names are listed instead
    assert "Avenant pas encore en vigueur. Paraphe manquant&nbsp;: Préfecture du Calvados." in page
    assert "version 1 (contrat initial)" in page
    # no second avenant while the first waits
    with pytest.raises(DomainError, match="L'avenant n°1 attend encore des paraphes"):
        services.avenant_create(actor=s.coordinateur, contract=s.contract, date=dt.date(2025, 6, 1), objet="x",
                                changes=[{"kind": "ajout", "description": "x"}])
    # a partner does not initial; the préfecture's initials put it in force
    with pytest.raises(DomainError, match="Seuls les signataires"):
        services.avenant_initials_add(actor=s.coordinateur, avenant=a1, signataires=[partner])
    response = client.post(reverse("contracts:avenant_initials", args=[s.contract.pk, a1.pk]),
                           {"signataires": [str(prefecture.pk)]})
    assert response.status_code == 302
    s.contract.refresh_from_db()
    assert s.contract.plan_version == 2 and a1.signataires.count() == 3
    page = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    assert "version 2 (avenant n°1 du 12/05/2025)" in page and "pas encore en vigueur" not in page
    entries = list(HistoryEntry.objects.filter(contract_id=s.contract.pk).order_by("id"))
    assert [e.action for e in entries[-2:]] == ["contrat_avenant_enregistre", "contrat_avenant_paraphe"]
    # « Avenant n°1 paraphé par <coordinator> » said the coordinator initialled it: he recorded the préfecture's
    created, initialled = history.lines(entries[-2:])
    assert created.sentence == f"Avenant n°1 enregistré par {s.coordinateur}"
    assert created.details == ["Signataires qui ont paraphé : Bayeux Intercom, ARS Normandie"]
    assert initialled.sentence == f"Paraphes de l'avenant n°1 enregistrés par {s.coordinateur}"
    assert initialled.details == ["Signataires qui ont paraphé : Préfecture du Calvados",
                                  "Version du plan d'action en vigueur : 1 → 2"]


def test_the_missing_initials_are_listed_without_a_broken_de(setup, client):
    s = setup(Phase.MISE_EN_OEUVRE)
    collectivite, ars, prefecture = s.add_signatories()
    services.avenant_create(actor=s.coordinateur, contract=s.contract, date=dt.date(2025, 5, 12), objet="Ajout",
                            changes=[{"kind": "ajout", "description": "Fiche 3.1"}], signataires=[collectivite])
    client.force_login(s.coordinateur)
    page = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    assert "Avenant pas encore en vigueur. Paraphes manquants&nbsp;: ARS Normandie, Préfecture du Calvados." in page
    assert "paraphes de ARS" not in page and "il manque" not in page


def test_avenant_refused_before_signature(setup):
    s = setup(Phase.DIAGNOSTIC)
    with pytest.raises(DomainError, match="contrat signé et en cours"):
        services.avenant_create(actor=s.coordinateur, contract=s.contract, date=dt.date(2025, 5, 12), objet="x",
                                changes=[{"kind": "ajout", "description": "x"}])


def test_contract_deletion_removes_its_versioned_documents(setup):
    s = setup(Phase.MISE_EN_OEUVRE)
    v1 = s.upload(DocumentType.CONTRAT_SIGNE)
    services.document_upload(actor=s.coordinateur, contract=s.contract, type=DocumentType.AUTRE, titre="v2",
                             fichier=upload("v2.pdf"), supersedes=v1)
    copil = services.instance_create(actor=s.coordinateur, contract=s.contract, type=InstanceType.COPIL, nom="COPIL")
    services.meeting_create(actor=s.coordinateur, contract=s.contract, instance=copil, date=dt.date(2025, 3, 1),
                            fichier=upload("cr.pdf"))
    s.contract.delete()
    assert not Document.objects.exists()


def test_partners_commitments_on_the_contract_page_in_history_and_in_the_activity_report(setup, client):
    from reports.data import _year_in_brief

    s = setup(Phase.MISE_EN_OEUVRE)
    collectivite, ars, prefecture = s.add_signatories()
    client.force_login(s.coordinateur)
    url = reverse("contracts:signatory_commitments", args=[s.contract.pk, ars.pk])
    form_page = client.get(url)
    assert form_page.status_code == 200
    # the organisation's name is free text: the wording must not need its article (« Engagements de ARS … »)
    assert f"Engagements du signataire {ars.organisation}" in form_page.content.decode()
    response = client.post(url, {"moyens_droit_commun": "Mise à disposition d'une chargée de prévention",
                                 "financement": "Appels à projets prévention : 30 000 € par an", "ingenierie": ""})
    assert response.status_code == 302
    page = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    assert "<strong>Financement :</strong> Appels à projets prévention : 30 000 € par an" in page
    assert "Ingénierie :" not in page  # an empty commitment is not listed
    line = HistoryEntry.objects.filter(action="contrat_signataire_engagements", contract_id=s.contract.pk).get()
    assert line.actor == s.coordinateur
    from cls_portal.core.history import sentence
    assert sentence(line).startswith(f"Engagements du signataire {ars.organisation} (")
    client.post(url, {"moyens_droit_commun": "Mise à disposition d'une chargée de prévention",
                      "financement": "Appels à projets prévention : 30 000 € par an", "ingenierie": ""})
    assert HistoryEntry.objects.filter(action="contrat_signataire_engagements").count() == 1  # unchanged: nothing
    brief = _year_in_brief(s.contract, 2025)
    assert brief["commitments"] == [{"organisation": str(ars.organisation), "engagements": [
        ("Moyens de droit commun", "Mise à disposition d'une chargée de prévention"),
        ("Financement", "Appels à projets prévention : 30 000 € par an")]}]
    # another tenant's signatory: 404
    other = services.signatory_add(actor=s.coordinateur, contract=s.contract, organisation=prefecture.organisation,
                                   role="partenaire")
    assert client.get(reverse("contracts:signatory_commitments", args=[s.contract.pk + 999, other.pk])
                      ).status_code == 404


def test_the_final_evaluation_method_is_set_out_with_history_and_concurrency(setup, client):
    s = setup(Phase.MISE_EN_OEUVRE)
    client.force_login(s.coordinateur)
    url = reverse("contracts:evaluation_method", args=[s.contract.pk])
    assert client.get(url).status_code == 200
    body = {"version": s.contract.version, "evaluation_questions": "Le CLS a-t-il réduit le renoncement aux soins ?",
            "evaluation_evaluateurs": "COPIL, avec l'appui de l'ORS", "evaluation_calendrier": "Dernière année"}
    assert client.post(url, body).status_code == 302
    page = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    assert "Le CLS a-t-il réduit le renoncement aux soins ?" in page.replace("&#x27;", "'")
    line = HistoryEntry.objects.get(action="contrat_evaluation_methode", contract_id=s.contract.pk)
    assert line.actor == s.coordinateur
    # the same form posted again from the old version: someone saved since, nothing lost, nothing written
    response = client.post(url, {**body, "evaluation_calendrier": "Autre"})
    assert response.status_code == 200
    assert HistoryEntry.objects.filter(action="contrat_evaluation_methode").count() == 1


def test_closing_the_prealable_phase_and_its_meeting_types(setup, client):
    from contracts.enums import InstanceType

    s = setup(Phase.PREALABLE)
    client.force_login(s.coordinateur)
    url = reverse("contracts:prealable", args=[s.contract.pk])
    body = {"version": s.contract.version, "specificites_locales": "Territoire rural, population âgée",
            "dispositifs_existants": "CLSM depuis 2019 ; CPTS du Bessin",
            "benefices_attendus": "Coordonner les acteurs"}
    assert client.post(url, body).status_code == 302
    page = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    assert "CLSM depuis 2019 ; CPTS du Bessin" in page and "Coordonner les acteurs" in page
    assert HistoryEntry.objects.filter(action="contrat_prealable_bilan", contract_id=s.contract.pk).count() == 1
    conseil = services.instance_create(actor=s.coordinateur, contract=s.contract, type=InstanceType.CONSEIL,
                                       nom="Conseil communautaire")
    services.meeting_create(actor=s.coordinateur, contract=s.contract, instance=conseil, date=dt.date(2025, 2, 3),
                            ordre_du_jour="Présentation de la démarche de CLS par la délégation")
    page = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    assert "Présentation de la démarche de CLS par la délégation" in page


def test_the_coordinator_recruitment_with_the_ars(setup, client):
    s = setup(Phase.DIAGNOSTIC)
    url = reverse("contracts:recruitment", args=[s.contract.pk])
    client.force_login(s.coordinateur)
    assert client.get(url).status_code == 403  # the ARS's opinion is the délégation's
    services.document_upload(actor=s.coordinateur, contract=s.contract, type=DocumentType.FICHE_POSTE,
                             titre="Fiche de poste", fichier=upload("fiche.pdf"))
    mission = services.document_upload(actor=s.coordinateur, contract=s.contract, type=DocumentType.LETTRE_MISSION,
                                       titre="Lettre de mission", fichier=upload("mission.pdf"))
    with pytest.raises(DomainError):  # an official document is never deleted, only superseded
        services.document_delete(actor=s.coordinateur, document=mission)
    client.force_login(s.ars_user)
    body = {"version": s.contract.version, "recrutement_avis_ars": "Avis favorable sur la candidature retenue",
            "recrutement_prise_de_poste": "2025-09-01"}
    assert client.post(url, body).status_code == 302
    s.contract.refresh_from_db()
    assert s.contract.recrutement_prise_de_poste == dt.date(2025, 9, 1)
    page = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    assert "Avis favorable sur la candidature retenue" in page and "01/09/2025" in page
    assert "Fiche de poste</a>" in page and "Lettre de mission</a>" in page
    assert HistoryEntry.objects.filter(action="contrat_recrutement", actor=s.ars_user).count() == 1
    response = client.post(url, {**body, "version": s.contract.version, "recrutement_prise_de_poste": "31/12/9999"})
    assert response.status_code == 200  # an implausible date: a message next to the field, nothing saved
