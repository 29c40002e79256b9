"""The lifecycle box lists each prerequisite of the next transition with its state, before the coordinator
proposes; a refusal shows its reasons next to the button and keeps the comment typed (issue 15, item 2)."""

import datetime as dt
import re

from django.urls import reverse

from contracts.enums import DocumentType, Phase


def _box(html: str) -> str:
    start = html.index('id="cycle"')
    return re.sub(r"\s+", " ", html[start:html.index('id="perimetre"')]).replace("&#x27;", "'")


def test_prerequisites_are_listed_with_their_state(client, setup):
    s = setup(Phase.PREALABLE)
    s.upload(DocumentType.LETTRE_INTENTION, date_document=dt.date(2023, 5, 2))
    client.force_login(s.coordinateur)
    box = _box(client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode())
    assert "Prochaine étape : Sortir de la phase préalable" in box
    assert "2 conditions sur 3 restent à remplir avant de proposer ce changement" in box
    assert re.search(r"Fait</span> Lettre d'intention des élus déposée", box)
    assert re.search(r"Manquant</span> Date de la lettre d'intention renseignée", box)
    assert re.search(r"Manquant</span> Engagement de la collectivité confirmé", box)
    # Once everything is there, the box says so.
    s.ready_to_leave_prealable()
    box = _box(client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode())
    assert "Toutes les conditions sont remplies avant de proposer" in box and "Manquant</span>" not in box


def test_a_refusal_shows_its_reasons_next_to_the_button_and_keeps_the_comment(client, setup):
    s = setup(Phase.DIAGNOSTIC)
    s.add_fiche()
    client.force_login(s.coordinateur)
    r = client.post(reverse("contracts:transition_propose", args=[s.contract.pk, "signer"]),
                    {"comment": "Plan validé en COPIL le 3 juin"})
    # The contract page again, the form bound (as every refused form of the portal), not a redirect.
    assert r.status_code == 200
    box = _box(r.content.decode())
    form = box[box.index('action="/'):]
    assert "Plan validé en COPIL le 3 juin</textarea>" in form
    refusal = form[form.index('class="fr-alert fr-alert--error'):]
    assert "Proposition refusée :" in refusal
    for reason in ("Il manque des signataires obligatoires", "Le contrat signé doit être déposé"):
        assert reason in refusal, reason
    assert not s.contract.proposals.exists()
    # The reasons are for this visit only: the next one shows the box as it is.
    box = _box(client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode())
    assert "Proposition refusée :" not in box and "Plan validé en COPIL" not in box


def test_the_delegation_sees_what_validation_checks_again_and_its_refusal_reason_is_kept(client, setup):
    from contracts import services

    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    proposal = services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="engager")
    client.force_login(s.ars_user)
    url = reverse("contracts:detail", args=[s.contract.pk])
    box = _box(client.get(url).content.decode())
    assert "Conditions vérifiées à nouveau au moment de valider" in box
    assert box.count("Fait</span>") == 3
    r = client.post(reverse("contracts:proposal_decide", args=[s.contract.pk, proposal.pk]),
                    {"decision": "refuser", "comment": "  "})
    box = _box(r.content.decode())
    assert r.status_code == 200 and "Indiquez le motif du refus : il sera transmis au coordinateur." in box
    proposal.refresh_from_db()
    assert proposal.status == "en_attente"


def test_pilot_sees_the_prerequisites_without_a_button(client, setup):
    from cls_portal.accounts.models import Role
    from tests import factories as f

    s = setup(Phase.DIAGNOSTIC)
    pilot = f.with_role(f.UserFactory(username="pil"), Role.PILOTE)
    s.add_fiche(pilote_personne=pilot)
    client.force_login(pilot)
    # Issue 15: a pilot reads the contract's read-only summary (no internal documents), prerequisites included.
    page = client.get(reverse("contracts:detail", args=[s.contract.pk]), follow=True).content.decode()
    assert "Prochaine étape : Signature du contrat" in page and "Proposer :" not in page
    assert "cls-prerequisite--missing" in page
