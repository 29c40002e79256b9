"""The forms of the lifecycle box (propose, change the phase at once, decide a proposal) behave like every form of
the portal: refused, the contract page comes back (200) with the form bound, each error under its field (DSFR
error state, `aria-describedby`), the prerequisites' reasons above the button, what was typed kept, and the page's
error summary and title saying it. Nothing changes on the contract."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.enums import Phase, ProposalStatus
from contracts.models import PhaseTransition


def _box(html: str) -> str:
    start = html.index('id="cycle"')
    return re.sub(r"\s+", " ", html[start:html.index('id="perimetre"')]).replace("&#x27;", "'")


def _group(box: str, field_id: str) -> str:
    """The input group of the field `field_id` (dsfr_crispy/_input_group.html: `div_<id>`)."""
    start = box.rindex("<div ", 0, box.index(f'id="div_{field_id}"'))
    depth, pos = 0, start
    for tag in re.finditer(r"<div[ >]|</div>", box[start:]):
        depth += -1 if tag.group() == "</div>" else 1
        if depth == 0:
            pos = start + tag.end()
            break
    return box[start:pos]


def _signing_without_coordinator(setup):
    s = setup(Phase.DIAGNOSTIC)
    s.ready_to_sign()
    s.contract.coordinators.clear()
    return s


def _tomorrow():
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def test_a_future_signature_date_is_refused_under_the_field_with_the_comment_kept(client, setup):
    s = _signing_without_coordinator(setup)
    client.force_login(s.ars_user)
    r = client.post(reverse("contracts:transition_fire", args=[s.contract.pk, "signer"]),
                    {"comment": "Signé en conseil communautaire.", "date_signature": _tomorrow()})
    assert r.status_code == 200
    html = r.content.decode()
    box = _box(html)
    date = _group(box, "cycle-signer-date_signature")
    assert "fr-input-group--error" in date
    assert 'aria-describedby="cycle-signer-date_signature-messages"' in date
    assert 'id="cycle-signer-date_signature-messages"' in date and "fr-error-text" in date
    assert f'value="{_tomorrow()}"' in date
    assert "Signé en conseil communautaire.</textarea>" in box
    assert "fr-input-group--error" not in _group(box, "cycle-signer-comment")
    # The page says it like any rejected form: « Erreur » in its title, a summary linking to the field.
    assert re.search(r"<title>Erreur : 1 champ à corriger", html)
    assert 'href="#cycle-signer-date_signature">Date de signature du contrat :' in html
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.DIAGNOSTIC and s.contract.date_signature is None
    assert not PhaseTransition.objects.filter(contract=s.contract).exists()


def test_a_malformed_signature_date_is_refused_under_the_field(client, setup):
    s = _signing_without_coordinator(setup)
    client.force_login(s.ars_user)
    r = client.post(reverse("contracts:transition_fire", args=[s.contract.pk, "signer"]),
                    {"comment": "", "date_signature": "31/02/2024"})
    assert r.status_code == 200
    date = _group(_box(r.content.decode()), "cycle-signer-date_signature")
    assert "fr-input-group--error" in date and "Saisissez une date valide." in date
    assert 'value="31/02/2024"' in date
    assert Phase(type(s.contract).objects.get(pk=s.contract.pk).phase) == Phase.DIAGNOSTIC


def test_a_valid_date_signs_and_goes_back_to_the_box(client, setup):
    s = _signing_without_coordinator(setup)
    client.force_login(s.ars_user)
    r = client.post(reverse("contracts:transition_fire", args=[s.contract.pk, "signer"]),
                    {"comment": "", "date_signature": "2024-06-12"})
    assert r.status_code == 302 and r.url.endswith("#cycle")
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.MISE_EN_OEUVRE and s.contract.date_signature == dt.date(2024, 6, 12)
    # What happened, not the button's label followed by « c'est fait ».
    messages = [str(m) for m in client.get(r.url).context["messages"]]
    assert messages == ["Changement de phase enregistré : « Mise en œuvre et évaluation »."]


def test_a_prerequisite_missing_is_listed_above_the_button_and_the_typed_values_kept(client, setup):
    s = setup(Phase.DIAGNOSTIC)
    s.add_fiche()
    s.contract.coordinators.clear()
    client.force_login(s.ars_user)
    r = client.post(reverse("contracts:transition_fire", args=[s.contract.pk, "signer"]),
                    {"comment": "Signature le 12 juin.", "date_signature": "2024-06-12"})
    assert r.status_code == 200
    box = _box(r.content.decode())
    form = box[box.index('action="/'):]
    refusal = form[form.index('id="cycle-signer-refus"'):]
    assert refusal.index("Changement de phase refusé :") < refusal.index("Il manque des signataires obligatoires")
    assert "Le contrat signé doit être déposé dans les documents du contrat." in refusal
    assert refusal.index("Le contrat signé doit être déposé") < refusal.index("</form>")
    assert "Signature le 12 juin.</textarea>" in form and 'value="2024-06-12"' in form
    # No field is wrong: the fields are not marked in error.
    assert "fr-input-group--error" not in form
    assert type(s.contract).objects.get(pk=s.contract.pk).phase == Phase.DIAGNOSTIC


def test_the_decision_on_a_signature_refuses_a_future_date_under_its_field(client, setup):
    s = setup(Phase.DIAGNOSTIC)
    s.ready_to_sign()
    proposal = services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="signer")
    client.force_login(s.ars_user)
    r = client.post(reverse("contracts:proposal_decide", args=[s.contract.pk, proposal.pk]),
                    {"decision": "valider", "comment": "Bon dossier.", "date_signature": _tomorrow()})
    assert r.status_code == 200
    box = _box(r.content.decode())
    date = _group(box, "decision-date_signature")
    assert "fr-input-group--error" in date and 'aria-describedby="decision-date_signature-messages"' in date
    assert f'value="{_tomorrow()}"' in date
    assert "Bon dossier.</textarea>" in box and "Valider la proposition" in box
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert type(s.contract).objects.get(pk=s.contract.pk).phase == Phase.DIAGNOSTIC


def test_a_refusal_without_reason_is_an_error_of_the_comment(client, setup):
    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    proposal = services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="engager")
    client.force_login(s.ars_user)
    r = client.post(reverse("contracts:proposal_decide", args=[s.contract.pk, proposal.pk]),
                    {"decision": "refuser", "comment": "  "})
    assert r.status_code == 200
    comment = _group(_box(r.content.decode()), "decision-comment")
    assert "fr-input-group--error" in comment and 'aria-describedby="decision-comment-messages"' in comment
    assert "Indiquez le motif du refus : il sera transmis au coordinateur." in comment
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_a_decision_posted_without_a_button_says_what_to_choose(client, setup):
    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    proposal = services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="engager")
    client.force_login(s.ars_user)
    r = client.post(reverse("contracts:proposal_decide", args=[s.contract.pk, proposal.pk]),
                    {"comment": "Vu."})
    assert r.status_code == 200
    box = _box(r.content.decode())
    assert "Décision impossible :" in box and "Choisissez de valider ou de refuser la proposition." in box
    assert "Vu.</textarea>" in box


def test_the_date_field_is_offered_only_for_the_signature(client, setup):
    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    s.contract.coordinators.clear()
    client.force_login(s.ars_user)
    box = _box(client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode())
    assert 'name="comment"' in box and 'name="date_signature"' not in box
