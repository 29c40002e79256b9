"""ProConnect sign-in (OpenID Connect, mozilla-django-oidc).

An identity from ProConnect is matched by its e-mail (verified by the provider, compared without case) to an
existing account, or to a pending invitation, which it then accepts. Nobody gets an account, let alone a
role, out of nothing: an unknown address is refused with a French message on the login page. Signing out
of the portal also ends the ProConnect session (`provider_logout_url`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from cls_portal.core.errors import DomainError

from . import services

UNKNOWN = ("Aucun compte du portail ni aucune invitation en cours ne correspond à l'adresse {email}. "
           "Demandez une invitation à votre délégation départementale ou au coordinateur de votre CLS.")
UNVERIFIED = "ProConnect n'a pas confirmé votre adresse électronique : la connexion est refusée."
AMBIGUOUS = ("Plusieurs comptes utilisent l'adresse {email} : connectez-vous avec votre identifiant et "
             "votre mot de passe, et signalez-le à votre délégation.")


class ProConnectBackend(OIDCAuthenticationBackend):
    def _refuse(self, message: str):
        if getattr(self, "request", None) is not None:
            messages.error(self.request, message)
        return None

    def verify_claims(self, claims):
        return bool(claims.get("email"))

    def filter_users_by_claims(self, claims):
        return list(services.users_with_email(claims.get("email", "")).filter(is_active=True)[:2])

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        email = services.normalize_email(claims.get("email", ""))
        if not email:
            return self._refuse(UNVERIFIED)
        # ProConnect vouches for the addresses of its identity providers; a provider that says otherwise is
        # believed (setting PROCONNECT_REQUIRE_EMAIL_VERIFIED: refuse unless `email_verified` is true).
        if claims.get("email_verified") is False or (
                settings.PROCONNECT_REQUIRE_EMAIL_VERIFIED and claims.get("email_verified") is not True):
            return self._refuse(UNVERIFIED)
        users = self.filter_users_by_claims(claims)
        if len(users) > 1:
            return self._refuse(AMBIGUOUS.format(email=email))
        invitation = services.pending_invitation_for(email)
        user = users[0] if users else None
        if invitation is not None:
            try:
                user = services.invitation_accept(
                    token=invitation.token, user=user, email=email, external=True,
                    first_name=claims.get("given_name", ""), last_name=claims.get("usual_name", "")
                    or claims.get("family_name", ""))
            except DomainError as err:
                return self._refuse(err.message)
        if user is None:
            latest = services.latest_invitation_for(email)  # expired, revoked or used: say which
            return self._refuse(services.invitation_problem(latest) if latest else UNKNOWN.format(email=email))
        return user


class RequestView(OIDCAuthenticationRequestView):
    """To the provider; without ProConnect configured, back to the login page with the reason."""

    def get(self, request):
        if not settings.PROCONNECT_ENABLED:
            messages.error(request, "La connexion avec ProConnect n'est pas activée sur ce portail.")
            return redirect("accounts:login")
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer. A refusal lands on the login page, which shows why (messages)."""

    @property
    def failure_url(self):
        return reverse("accounts:login")


def provider_logout_url(request) -> str:
    """OIDC_OP_LOGOUT_URL_METHOD: end the ProConnect session too (RP-initiated logout), then come back to
    the login page. Without a ProConnect session, the portal's own logout only."""
    id_token = request.session.get("oidc_id_token")
    back = request.build_absolute_uri(reverse("accounts:login"))
    if not id_token or not settings.OIDC_OP_LOGOUT_ENDPOINT:
        return back
    query = urlencode({"id_token_hint": id_token, "post_logout_redirect_uri": back, "state": "deconnexion"})
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}"
