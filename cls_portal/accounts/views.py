from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cls_portal.core.errors import DomainError, apply_domain_error
from cls_portal.core.permissions import require

from . import oidc, permissions, selectors, services
from .forms import AcceptInvitationForm, InvitationForm, LoginForm, RateLimitedPasswordResetForm


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # Django's LoginView names the site after the request's host: the portal keeps its own name.
        return {**super().get_context_data(**kwargs), "proconnect_enabled": settings.PROCONNECT_ENABLED,
                "site_name": settings.SITE_NAME}


@login_not_required
def home(request):
    """Each role lands on its own starting page; an anonymous visitor on the public directory, where the
    header's "Se connecter" leads agents to the login page (issue 15: the directory is findable)."""
    if not request.user.is_authenticated:
        return redirect("directory:index")  # by name: accounts does not import the directory app
    return redirect(selectors.start_page_for(request.user))


@require_POST
def logout(request):
    """Sign out of the portal, and of ProConnect when signed in through it (back to the login page)."""
    url = oidc.provider_logout_url(request)
    auth_logout(request)
    return redirect(url)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, with the form that limits requests per client and e-mails per address."""

    form_class = RateLimitedPasswordResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


# --- Invitations ---------------------------------------------------------------------------------------

def invitations(request):
    """Invite outside a contract (regional team, délégation staff) and follow the invitations one sent."""
    roles = permissions.roles_grantable(request.user)
    if not roles:
        require((False, "Vous ne pouvez pas inviter de personne hors d'un contrat : les invitations aux rôles "
                        "d'un CLS se font depuis la page « Personnes » du contrat."))
    regions, departements = selectors.invitation_scope_choices(request.user)
    form = InvitationForm(request.POST or None, roles=roles, regions=regions, departements=departements)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                actor=request.user, email=data["email"], role=data["role"], region=data.get("region"),
                departements=data["departements"], first_name=data["first_name"], last_name=data["last_name"])
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, f"Invitation envoyée à {invitation.email}.")
            return redirect("accounts:invitations")
    sent = selectors.invitations_managed_by(request.user).filter(contract__isnull=True)[:100]
    return render(request, "accounts/invitations.html", {
        "form": form, "invitations": sent, "title": "Inviter une personne",
        "breadcrumbs": [("Inviter une personne", None)],
    })


def _managed(request, pk):
    invitation = get_object_or_404(selectors.invitations_managed_by(request.user), pk=pk)
    require(permissions.can_manage_invitation(request.user, invitation))
    return invitation


def _back(request, invitation):
    nxt = request.POST.get("next", "")
    # A path of this site only: Django's own check (as its login view) refuses "/\\evil.example" and
    # "//evil.example"; the leading "/" refuses a bare word, which redirect() would read as a view name.
    if nxt.startswith("/") and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                                                require_https=request.is_secure()):
        return HttpResponseRedirect(nxt)
    return redirect("accounts:invitations")


@require_POST
def invitation_resend(request, pk):
    invitation = _managed(request, pk)
    try:
        services.invitation_resend(actor=request.user, invitation=invitation)
        messages.success(request, f"Invitation renvoyée à {invitation.email} : le nouveau lien vaut 7 jours.")
    except DomainError as err:
        messages.error(request, err.message)
    return _back(request, invitation)


@require_POST
def invitation_revoke(request, pk):
    invitation = _managed(request, pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
        messages.success(request, f"Invitation de {invitation.email} révoquée : son lien ne fonctionne plus.")
    except DomainError as err:
        messages.error(request, err.message)
    return _back(request, invitation)


@login_not_required
def invitation_accept(request, token):
    """The link of the e-mail. Signed in with the invited address: one button. Otherwise: set a password, or
    sign in with ProConnect. An expired, revoked or used invitation says so and creates nothing."""
    invitation = selectors.invitation_by_token(token)
    problem = services.invitation_problem(invitation)
    signed_in = request.user.is_authenticated
    form = None if (problem or signed_in) else AcceptInvitationForm(
        request.POST or None, initial={"first_name": invitation.first_name, "last_name": invitation.last_name})
    if request.method == "POST" and not problem:
        try:
            if signed_in:
                user = services.invitation_accept(token=token, user=request.user)
            elif form.is_valid():
                data = form.cleaned_data
                user = services.invitation_accept(token=token, password=data["password1"],
                                                  first_name=data["first_name"], last_name=data["last_name"])
                auth_login(request, user, backend="cls_portal.accounts.backends.UsernameOrEmailBackend")
            else:
                user = None
        except DomainError as err:
            if form is not None:
                apply_domain_error(form, err)
            else:
                messages.error(request, err.message)
            user = None
        if user is not None:
            scope = invitation.scope_text()
            messages.success(request, f"Bienvenue : vous avez désormais le rôle « {invitation.get_role_display()} »"
                                      + (f" {scope}" if scope else "") + " sur le portail.")
            return redirect("accounts:home")
    return render(request, "accounts/invitation_accept.html", {
        "invitation": invitation, "problem": problem, "form": form, "signed_in": signed_in,
        "has_account": bool(form is not None and services.users_with_email(invitation.email).exists()),
        "proconnect_enabled": settings.PROCONNECT_ENABLED, "title": "Invitation au portail",
        "proconnect_url": reverse("accounts:proconnect_login") + "?" + "next=" + reverse("accounts:home"),
    }, status=410 if problem and invitation is not None else 404 if invitation is None else 200)
