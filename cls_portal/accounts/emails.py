"""The invitation e-mail: its text (absolute links from `SITE_URL`) and its sending, once per link."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cls_portal.notifications import mail

from .models import Invitation, User


def invitation_link(invitation: Invitation) -> str:
    return mail.absolute_url(reverse("accounts:invitation_accept", kwargs={"token": invitation.token}))


def invitation_email_send(*, invitation_id: int, token: str) -> bool:
    """Send the e-mail of a pending invitation whose link is still `token`, unless already sent. Marks it
    sent only after the SMTP server accepted. Returns True when sent now."""
    invitation = (Invitation.objects.pending().select_related("invited_by", "contract", "organisation", "region")
                  .filter(pk=invitation_id, token=token, sent_at__isnull=True).first())
    if invitation is None:
        return False
    body = render_to_string("accounts/invitation_email.txt", {
        "invitation": invitation, "link": invitation_link(invitation),
        "login_url": mail.absolute_url(reverse("accounts:login")),
        "expires": timezone.localtime(invitation.expires_at),
        "sender": invitation.sender_name(), "scope": invitation.scope_text(),
        # Someone already on the portal (a délégation agent named référent of an imported contract) signs in
        # and accepts: "choose a password" would be refused for his address.
        "has_account": User.objects.filter(email__iexact=invitation.email).exists(),
    })
    mail.send(to=invitation.email, subject="[Portail CLS] Invitation : " + invitation.get_role_display(), body=body)
    Invitation.objects.filter(pk=invitation.pk, token=token, sent_at__isnull=True).update(sent_at=timezone.now())
    return True
