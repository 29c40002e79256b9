"""What an avenant may list, and dates that cannot be true.

Found in review: the avenant form offered every sheet in its three lists, so one avenant could add, modify and
retire the same sheet, or « add » a sheet validated at signature; a document dated 2030 and an avenant signed in
the future were accepted.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.enums import FicheStatut
from cls_portal.core.errors import DomainError
from contracts import selectors, services
from contracts.enums import DocumentType, InstanceType, Phase
from contracts.models import Avenant, Document
from tests.contracts.files import upload


def _text(response):
    text = response.content.decode().replace("&#x27;", "'").replace("\u202f", " ")
    return re.sub(r"(?<!«)\xa0(?!»)", " ", text)  # numbers' separators as plain spaces, guillemets' kept


@pytest.fixture
def signed(setup):
    s = setup(Phase.MISE_EN_OEUVRE)
    s.signatories = s.add_signatories()
    s.sheets = {statut: s.add_fiche(statut=statut, titre=f"Fiche {statut}") for statut in FicheStatut.values}
    return s


def _post(client, s, **data):
    return client.post(reverse("contracts:avenant_add", args=[s.contract.pk]),
                       {"date": "2026-05-12", "objet": "Révision du plan", **data})


def test_each_list_offers_only_the_sheets_where_that_change_makes_sense(client, signed):
    s = signed
    options = selectors.avenant_sheet_options(s.contract)
    statuses = {kind: {f.statut for f in sheets} for kind, sheets in options.items()}
    assert statuses == {
        "ajout": {FicheStatut.BROUILLON, FicheStatut.SOUMISE, FicheStatut.A_MODIFIER},
        "modification": {FicheStatut.VALIDEE, FicheStatut.EN_COURS, FicheStatut.REPORTEE},
        "retrait": {FicheStatut.VALIDEE, FicheStatut.EN_COURS, FicheStatut.REPORTEE},
    }
    # a sheet an earlier avenant already adds is not offered to add again
    services.avenant_create(actor=s.coordinateur, contract=s.contract, date=dt.date(2025, 5, 12), objet="Ajout",
                            changes=[{"kind": "ajout", "fiche": s.sheets[FicheStatut.SOUMISE]}],
                            signataires=s.signatories)
    assert s.sheets[FicheStatut.SOUMISE] not in selectors.avenant_sheet_options(s.contract)["ajout"]
    # the form shows it: a done sheet is in no list, a validated one is not among the additions
    client.force_login(s.coordinateur)
    html = _text(client.get(reverse("contracts:avenant_add", args=[s.contract.pk])))
    assert "Fiche realisee" not in html and "Fiche abandonnee" not in html
    assert "Une fiche figure dans une seule des trois listes." in html
    assert html.count("Fiche validee") == 2 and html.count("Fiche brouillon") == 1


def test_the_form_refuses_a_sheet_in_two_lists(client, signed):
    s = signed
    validee = s.sheets[FicheStatut.VALIDEE]
    client.force_login(s.coordinateur)
    response = _post(client, s, modifications=[validee.pk], retraits=[validee.pk])
    assert response.status_code == 200 and not Avenant.objects.exists()
    assert (f"Une fiche ne figure qu'une fois dans un avenant : {validee} est déjà cochée dans « Fiches modifiées »."
            in _text(response))
    assert response.context["form"].errors == {"retraits": [
        f"Une fiche ne figure qu'une fois dans un avenant : {validee} est déjà cochée dans « Fiches modifiées »."]}
    # a validated sheet cannot be « added »: not a choice of that list
    response = _post(client, s, ajouts=[validee.pk])
    assert "ajouts" in response.context["form"].errors and not Avenant.objects.exists()


def test_the_service_refuses_a_sheet_twice_or_out_of_place(signed):
    s = signed

    def create(*changes):
        return services.avenant_create(actor=s.coordinateur, contract=s.contract, date=dt.date(2025, 5, 12),
                                       objet="x", changes=list(changes), signataires=s.signatories)

    validee, realisee = s.sheets[FicheStatut.VALIDEE], s.sheets[FicheStatut.REALISEE]
    brouillon = s.sheets[FicheStatut.BROUILLON]
    with pytest.raises(DomainError, match="Une fiche ne figure qu'une fois dans un avenant") as err:
        create({"kind": "modification", "fiche": validee}, {"kind": "retrait", "fiche": validee})
    assert err.value.field == "retraits"
    with pytest.raises(DomainError, match="fait déjà partie du plan signé") as err:
        create({"kind": "ajout", "fiche": validee})
    assert err.value.field == "ajouts"
    with pytest.raises(DomainError, match="est réalisée : un avenant ne la modifie ni ne la retire plus") as err:
        create({"kind": "retrait", "fiche": realisee})
    assert err.value.field == "retraits"
    with pytest.raises(DomainError, match="n'est pas validée") as err:
        create({"kind": "modification", "fiche": brouillon})
    assert err.value.field == "modifications"
    assert not Avenant.objects.exists()
    create({"kind": "ajout", "fiche": brouillon}, {"kind": "modification", "fiche": validee})
    with pytest.raises(DomainError, match="déjà ajoutée au plan par un avenant précédent"):
        create({"kind": "ajout", "fiche": brouillon})


def test_a_document_dated_in_the_future_is_refused(client, setup):
    s = setup(Phase.MISE_EN_OEUVRE)
    today = timezone.localdate()
    client.force_login(s.coordinateur)
    url = reverse("contracts:document_upload", args=[s.contract.pk])
    response = client.post(url, {"type": DocumentType.AUTRE, "titre": "Compte rendu", "date_document": "2030-01-15",
                                 "fichier": upload()})
    message = f"Un document ne peut pas être daté d'un jour à venir (aujourd'hui : {today:%d/%m/%Y})."
    assert response.status_code == 200 and response.context["form"].errors == {"date_document": [message]}
    assert not Document.objects.exists()
    # the date picker offers no later day
    assert f'max="{today.isoformat()}"' in client.get(url).content.decode()
    with pytest.raises(DomainError) as err:
        services.document_upload(actor=s.coordinateur, contract=s.contract, type=DocumentType.AUTRE, titre="x",
                                 fichier=upload(), date_document=today + dt.timedelta(days=1))
    assert (err.value.field, err.value.message) == ("date_document", message)
    # today is fine
    assert client.post(url, {"type": DocumentType.AUTRE, "titre": "Compte rendu", "date_document": today.isoformat(),
                             "fichier": upload()}).status_code == 302


def test_minutes_of_a_meeting_to_come_are_refused_next_to_the_file(client, setup):
    s = setup(Phase.MISE_EN_OEUVRE)
    copil = services.instance_create(actor=s.coordinateur, contract=s.contract, type=InstanceType.COPIL, nom="COPIL")
    client.force_login(s.coordinateur)
    later = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(reverse("contracts:meeting_add", args=[s.contract.pk]), {
        "instance": copil.pk, "date": later.isoformat(), "lieu": "Bayeux", "fichier": upload("cr.pdf")})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["fichier"]
    assert "Le compte rendu se dépose une fois la réunion tenue" in _text(response)
    assert not Document.objects.exists() and not s.contract.meetings.exists()
    # a meeting to come, without minutes, is planned as before
    assert client.post(reverse("contracts:meeting_add", args=[s.contract.pk]), {
        "instance": copil.pk, "date": later.isoformat(), "lieu": "Bayeux"}).status_code == 302


def test_an_avenant_is_dated_the_day_it_was_signed(client, signed):
    s = signed
    today = timezone.localdate()
    validee = s.sheets[FicheStatut.VALIDEE]
    client.force_login(s.coordinateur)
    response = _post(client, s, date=(today + dt.timedelta(days=1)).isoformat(), modifications=[validee.pk])
    assert response.context["form"].errors == {"date": [
        f"Un avenant est daté du jour de sa signature, pas d'un jour à venir (aujourd'hui : {today:%d/%m/%Y}) : "
        "enregistrez-le une fois signé."]}
    with pytest.raises(DomainError, match="pas d'un jour à venir") as err:
        services.avenant_create(actor=s.coordinateur, contract=s.contract, date=dt.date(2030, 1, 1), objet="x",
                                changes=[{"kind": "modification", "fiche": validee}])
    assert err.value.field == "date"
    # nor before the contract was signed (15/03/2024)
    response = _post(client, s, date="2024-03-14", modifications=[validee.pk])
    assert response.context["form"].errors == {"date": [
        "Un avenant suit la signature du contrat (15/03/2024) : il ne peut pas être daté d'avant."]}
    assert not Avenant.objects.exists()
    assert _post(client, s, date="2024-03-15", modifications=[validee.pk]).status_code == 302
