"""Contract pages: content, filters, export, uploads through HTTP, downloads, concurrency, query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from actions.enums import FicheStatut
from cls_portal.accounts.models import Role
from cls_portal.accounts.selectors import start_page_for
from contracts import services
from contracts.enums import DocumentType, InstanceType, Phase
from contracts.models import Document
from tests import factories as f
from tests.contracts.files import EXE, PDF, upload
from tests.queries import assert_snapshot_queries


def _text(response):
    return response.content.decode().replace("\u202f", " ").replace("\xa0", " ")


def test_start_pages(setup):
    s = setup(Phase.PREALABLE)
    assert start_page_for(s.coordinateur) == reverse("contracts:my_cls")
    assert start_page_for(s.ars_user) == reverse("contracts:delegation_dashboard")


def test_contract_page_shows_every_section(client, setup):
    s = setup(Phase.MISE_EN_OEUVRE, date_signature=dt.date(2024, 3, 15))
    signatories = s.add_signatories()
    fiche = s.add_fiche()
    new_sheet = s.add_fiche(statut=FicheStatut.SOUMISE)
    copil = services.instance_create(actor=s.coordinateur, contract=s.contract, type=InstanceType.COPIL,
                                     nom="COPIL du CLS du Bessin")
    services.member_add(actor=s.coordinateur, instance=copil, personne="M. le Maire", role="Président")
    services.meeting_create(actor=s.coordinateur, contract=s.contract, instance=copil, date=dt.date(2025, 6, 3),
                            lieu="Salle du conseil, Bayeux", revue_annuelle=True)
    services.avenant_create(actor=s.coordinateur, contract=s.contract, date=dt.date(2025, 5, 12), objet="Ajout",
                            changes=[{"kind": "ajout", "fiche": new_sheet}], signataires=signatories)
    services.avenant_create(actor=s.coordinateur, contract=s.contract, date=dt.date(2026, 2, 9), objet="Retrait",
                            changes=[{"kind": "retrait", "fiche": fiche}], signataires=signatories)
    client.force_login(s.coordinateur)
    html = _text(client.get(reverse("contracts:detail", args=[s.contract.pk])))
    for text in ["15 000 habitants", "Préfecture du Calvados", "COPIL du CLS du Bessin", "M. le Maire",
                 "Salle du conseil, Bayeux", "version 3 (avenant n°2 du 09/02/2026)",
                 "Version 2 : Avenant n°1 du 12/05/2025",
                 "Évaluation continue 2025", "Historique", "avenant n°2", "Ouvrir l&#x27;évaluation finale"]:
        assert text in html, text
    # « une coordination du CLS identifiée par tous »: the délégation reads who coordinates it.
    client.force_login(s.ars_user)
    name = s.coordinateur.get_full_name()
    assert name.strip() and name in _text(client.get(reverse("contracts:detail", args=[s.contract.pk])))


def test_timeline_shows_proposal_and_validation(client, setup):
    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    client.force_login(s.coordinateur)
    url = reverse("contracts:detail", args=[s.contract.pk])
    r = client.post(reverse("contracts:transition_propose", args=[s.contract.pk, "engager"]),
                    {"comment": "Lettre reçue le 2 mai"})
    assert r.status_code == 302
    client.force_login(s.ars_user)
    proposal = s.contract.proposals.get()
    html = client.get(url).content.decode()
    assert "Valider la proposition" in html and "Lettre reçue le 2 mai" in html
    client.post(reverse("contracts:proposal_decide", args=[s.contract.pk, proposal.pk]),
                {"decision": "valider", "comment": "Engagement acté"})
    html = client.get(url).content.decode()
    assert "Proposition : Sortir de la phase préalable" in html
    assert "Proposition validée : Sortir de la phase préalable" in html
    assert "Changement de phase : Phase préalable → Diagnostic" in html


def test_refused_guard_reason_is_shown(client, setup):
    s = setup(Phase.PREALABLE)
    client.force_login(s.coordinateur)
    r = client.post(reverse("contracts:transition_propose", args=[s.contract.pk, "engager"]), follow=True)
    assert "La lettre d&#x27;intention des élus doit être déposée" in r.content.decode()
    assert not s.contract.proposals.exists()


def test_delegation_cannot_propose_and_coordinator_cannot_validate(client, setup):
    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    client.force_login(s.ars_user)
    assert client.post(reverse("contracts:transition_propose", args=[s.contract.pk, "engager"])).status_code == 403
    proposal = services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="engager")
    client.force_login(s.coordinateur)
    r = client.post(reverse("contracts:proposal_decide", args=[s.contract.pk, proposal.pk]), {"decision": "valider"})
    assert r.status_code == 403
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.PREALABLE


def test_upload_disguised_file_refused_in_french_nothing_stored(client, setup, settings):
    s = setup(Phase.PREALABLE)
    client.force_login(s.coordinateur)
    url = reverse("contracts:document_upload", args=[s.contract.pk])
    r = client.post(url, {"type": DocumentType.LETTRE_INTENTION, "titre": "Lettre",
                          "fichier": upload("lettre.pdf", EXE)})
    assert r.status_code == 200
    assert "ne correspond pas à son extension" in r.content.decode()
    settings.UPLOAD_MAX_BYTES = 100
    r = client.post(url, {"type": DocumentType.LETTRE_INTENTION, "titre": "Lettre",
                          "fichier": upload("lettre.pdf", PDF + b" " * 200)})
    assert "trop volumineux" in r.content.decode()
    assert not Document.objects.exists()
    settings.UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    r = client.post(url, {"type": DocumentType.LETTRE_INTENTION, "titre": "Lettre", "fichier": upload("lettre.pdf")})
    assert r.status_code == 302 and Document.objects.get().nom_original == "lettre.pdf"


def test_download_goes_through_permission_checked_view(client, setup):
    s = setup(Phase.PREALABLE)
    doc = s.upload(DocumentType.LETTRE_INTENTION, name="lettre-des-elus.pdf")
    url = reverse("contracts:document_download", args=[s.contract.pk, doc.pk])
    client.force_login(s.coordinateur)
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert 'filename="lettre-des-elus.pdf"' in r["Content-Disposition"]
    # The stored file is not reachable by a guessable public URL.
    assert client.get("/media-non-public/" + doc.fichier.name).status_code == 404
    stranger = f.with_role(f.UserFactory(username="autre"), Role.COORDINATEUR)
    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_identity_concurrent_edit_detected(client, setup):
    s = setup(Phase.PREALABLE)
    client.force_login(s.coordinateur)
    url = reverse("contracts:edit", args=[s.contract.pk])
    base = {"nom": "CLS de Bayeux Intercom", "prs": "PRS Normandie 2023-2028", "referent": s.ars_user.pk,
            "nb_qpv": 0, "duree_annees": 5, "date_debut_prealable": "2023-01-10", "version": s.contract.version}
    assert client.post(url, {**base, "prs": "PRS Normandie 2023-2028"}).status_code == 302
    r = client.post(url, {**base, "nom": "Nom concurrent"})  # started from the old version
    assert r.status_code == 200 and "modifiée par une autre personne" in r.content.decode()
    s.contract.refresh_from_db()
    assert s.contract.nom == "CLS de Bayeux Intercom" and s.contract.prs == "PRS Normandie 2023-2028"
    r = client.post(url, {**base, "duree_annees": 7, "version": s.contract.version})
    assert "La durée d&#x27;un CLS est de 3 à 5 ans" in r.content.decode()
    html = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    assert "Identité du contrat modifiée par" in html and "PRS mis en œuvre : PRS Normandie 2023-2028" in html


def test_perimeter_from_epci_then_commune_by_commune(client, setup):
    s = setup(Phase.PREALABLE)
    other_epci = f.EPCIFactory(nom="Isigny-Omaha Intercom")
    extra = [f.CommuneFactory(departement=s.dep, epci=other_epci, population=p) for p in (2500, 700)]
    client.force_login(s.coordinateur)
    url = reverse("contracts:perimeter", args=[s.contract.pk])
    r = client.post(url, {"form": "epci", "epci": other_epci.pk, "version": s.contract.version})
    assert r.status_code == 302
    s.contract.refresh_from_db()
    assert set(s.contract.communes.all()) == set(extra) and s.contract.epci == other_epci
    r = client.post(url, {"form": "communes", "garder": [extra[0].code], "ajouter": s.communes[0].code,
                          "version": s.contract.version})
    assert r.status_code == 302
    html = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    assert "15 500 habitants" in html.replace("\u202f", " ").replace("\xa0", " ")
    s.contract.refresh_from_db()
    r = client.post(url, {"form": "communes", "ajouter": "99999 abc", "version": s.contract.version})
    assert "Codes INSEE non valides : ABC" in r.content.decode()
    r = client.post(url, {"form": "communes", "ajouter": "99998", "version": s.contract.version})
    assert "Codes de communes inconnus : 99998" in r.content.decode()


def test_meeting_form_marks_review(client, setup):
    s = setup(Phase.MISE_EN_OEUVRE, date_signature=dt.date(2024, 3, 15))
    copil = services.instance_create(actor=s.coordinateur, contract=s.contract, type=InstanceType.COPIL, nom="COPIL")
    client.force_login(s.coordinateur)
    r = client.post(reverse("contracts:meeting_add", args=[s.contract.pk]), {
        "instance": copil.pk, "date": "2026-06-30", "lieu": "Bayeux", "revue_annuelle": "on",
        "fichier": upload("cr.pdf")})
    assert r.status_code == 302
    assert s.contract.steps.get(annee=2026).statut == "realisee"


def test_avenant_form(client, setup):
    s = setup(Phase.MISE_EN_OEUVRE)
    fiche = s.add_fiche()
    sig = s.add_signatories()[0]
    client.force_login(s.coordinateur)
    r = client.post(reverse("contracts:avenant_add", args=[s.contract.pk]), {
        "date": "2025-05-12", "objet": "Révision", "modifications": [fiche.pk], "signataires": [sig.pk],
        "autres": "Calendrier de l'axe 2 décalé"})
    assert r.status_code == 302
    a = s.contract.avenants.get()
    assert a.numero == 1 and a.changes.count() == 2 and list(a.signataires.all()) == [sig]


def _many_contracts(s, n):
    for i in range(n):
        c = f.ContractFactory(nom=f"CLS n°{i:03d}", ars=s.delegation.ars, delegations=[s.delegation],
                              communes=s.communes, coordinators=[s.coordinateur])
        services.steps_create_defaults(contract=c)


@pytest.mark.parametrize("url_name", ["contracts:list", "contracts:delegation_dashboard", "contracts:my_cls"])
def test_query_counts_do_not_grow(client, setup, snapshot, url_name):
    s = setup(Phase.MISE_EN_OEUVRE)
    region_user = f.with_role(f.UserFactory(username="region"), Role.REGION, region=s.region)
    user = {"contracts:list": region_user, "contracts:delegation_dashboard": s.ars_user,
            "contracts:my_cls": s.coordinateur}[url_name]
    client.force_login(user)
    counts = []
    for n in (10, 90):
        _many_contracts(s, n)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            r = client.get(reverse(url_name) + "?tri=-echeance")
        assert r.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with assert_snapshot_queries(snapshot):
        client.get(reverse(url_name))


def test_contract_page_query_count_pinned(client, setup):
    """The same number of queries with one or many of everything the page lists, and no more than 19."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    s = setup(Phase.MISE_EN_OEUVRE)
    client.force_login(s.coordinateur)
    url = reverse("contracts:detail", args=[s.contract.pk])

    def add(n):
        copil = services.instance_create(actor=s.coordinateur, contract=s.contract, type=InstanceType.COPIL,
                                         nom=f"COPIL {n}")
        for i in range(n):
            services.member_add(actor=s.coordinateur, instance=copil, personne=f"Membre {i}")
            services.meeting_create(actor=s.coordinateur, contract=s.contract, instance=copil,
                                    date=dt.date(2025, 1 + i, 3), fichier=upload(f"cr{n}-{i}.pdf"))
            s.upload(DocumentType.AUTRE, name=f"annexe{n}-{i}.pdf")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    s.add_signatories(roles=["collectivite"])
    add(1)
    _many_contracts(s, 5)
    few = count()
    s.add_signatories(roles=["ars", "prefecture"])
    add(6)
    _many_contracts(s, 20)
    # 17, the main menu's count of the coordinator's work list (one query) and the sheets each meeting worked on
    assert count() == few <= 19


def test_filters_and_csv_export(client, setup):
    s = setup(Phase.MISE_EN_OEUVRE, date_signature=dt.date(2024, 3, 15))  # ends 14/03/2029
    f.ContractFactory(nom="CLS de Lisieux", ars=s.delegation.ars, delegations=[s.delegation], phase=Phase.DIAGNOSTIC,
                      date_signature=None, communes=s.communes)
    f.ContractFactory(nom="CLS de Vire", ars=s.delegation.ars, delegations=[s.delegation], generation=2,
                      date_signature=dt.date(2022, 1, 1), duree_annees=3, communes=s.communes)  # ends 2024
    region_user = f.with_role(f.UserFactory(username="region"), Role.REGION, region=s.region)
    client.force_login(region_user)
    url = reverse("contracts:list")

    def names(query):
        return [c.nom for c in client.get(url + query).context["page_obj"]]

    assert names("?phase=diagnostic") == ["CLS de Lisieux"]
    assert names("?generation=2") == ["CLS de Vire"]
    assert names("?annee_fin=2029") == ["CLS de Bayeux Intercom"]
    assert names("?annee_fin=2024") == ["CLS de Vire"]
    assert names(f"?departement={s.dep.pk}&tri=-nom") == ["CLS de Vire", "CLS de Lisieux", "CLS de Bayeux Intercom"]
    r = client.get(url + "?export=csv&phase=mise_en_oeuvre")
    body = b"".join(r.streaming_content).decode()
    assert r["Content-Type"].startswith("text/csv")
    lines = body.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("Contrat;Collectivité porteuse")
    assert len(lines) == 3 and "CLS de Vire" in body and "Lisieux" not in body
    assert "15000" in body


def test_a_refused_instance_or_member_keeps_what_was_typed(client, setup):
    """The contract page's inline forms: refused, they come back with the input and the error next to the field."""
    s = setup(Phase.DIAGNOSTIC)
    client.force_login(s.coordinateur)
    r = client.post(reverse("contracts:instance_add", args=[s.contract.pk]),
                    {"type": "", "nom": "Comité des financeurs", "mission": "Arbitrer les budgets des fiches."})
    assert r.status_code == 200 and not s.contract.instances.filter(nom="Comité des financeurs").exists()
    html = r.content.decode()
    assert "Arbitrer les budgets des fiches." in html and 'value="Comité des financeurs"' in html
    assert r.context["form"].errors["type"]
    copil = services.instance_create(actor=s.coordinateur, contract=s.contract, type=InstanceType.COPIL, nom="COPIL")
    r = client.post(reverse("contracts:member_add", args=[s.contract.pk, copil.pk]),
                    {"personne": "", "role": "Médecin généraliste"})
    assert r.status_code == 200 and not copil.members.exists()
    assert 'value="Médecin généraliste"' in r.content.decode()
    assert r.context["form"].errors["personne"] == ["Indiquez une personne ou une organisation."]
    r = client.post(reverse("contracts:member_add", args=[s.contract.pk, copil.pk]),
                    {"personne": "Dr Claire Martin", "role": "Médecin généraliste"})
    assert r.status_code == 302 and r["Location"].endswith("#gouvernance")
    assert copil.members.get().personne == "Dr Claire Martin"


def test_my_cls_names_a_meetings_place_after_lieu(client, world):
    """The place is free text: « le 30/12/2026 à Maison de santé », « à En visioconférence » read wrong."""
    from django.utils import timezone

    from contracts.models import Instance, Meeting

    contract = world.own.contract
    instance = Instance.objects.create(contract=contract, type=InstanceType.COPIL, nom="Comité de pilotage")
    Meeting.objects.create(contract=contract, instance=instance, lieu="En visioconférence",
                           date=timezone.localdate() + dt.timedelta(days=10))
    client.force_login(world.own.people["coordinateur"])
    html = client.get(reverse("contracts:my_cls")).content.decode()
    assert "— lieu : En visioconférence" in html and "à En visioconférence" not in html


def test_the_summary_names_a_held_meetings_place_after_lieu(client, world):
    """The read-only summary (elected officials, pilots) listed « Comité de pilotage le 12/03/2025 à En
    visioconférence »."""
    from contracts.models import Instance, Meeting

    contract = world.own.contract
    instance = Instance.objects.create(contract=contract, type=InstanceType.COPIL, nom="Comité de pilotage")
    Meeting.objects.create(contract=contract, instance=instance, lieu="En visioconférence",
                           date=dt.date(2025, 3, 12))
    client.force_login(world.own.people["elu"])
    html = client.get(reverse("directory:summary", args=[contract.pk])).content.decode()
    assert "le 12/03/2025 — lieu : En visioconférence" in html and "à En visioconférence" not in html
