from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy

from . import oidc, views

app_name = "accounts"

_public = login_not_required

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.logout, name="logout"),
    path("", views.home, name="home"),
    path("mot-de-passe/oubli/", _public(views.PasswordResetView.as_view(
        template_name="accounts/password_reset_form.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"))), name="password_reset"),
    path("mot-de-passe/oubli/envoye/", _public(auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html")), name="password_reset_done"),
    path("mot-de-passe/nouveau/<uidb64>/<token>/", _public(auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"))), name="password_reset_confirm"),
    path("mot-de-passe/nouveau/termine/", _public(auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html")), name="password_reset_complete"),
    # ProConnect (OpenID Connect): the redirection to the provider and its answer.
    path("proconnect/connexion/", _public(oidc.RequestView.as_view()), name="proconnect_login"),
    path("proconnect/retour/", _public(oidc.CallbackView.as_view()), name="proconnect_callback"),
    # Invitations
    path("personnes/inviter/", views.invitations, name="invitations"),
    path("personnes/invitations/<int:pk>/renvoyer/", views.invitation_resend, name="invitation_resend"),
    path("personnes/invitations/<int:pk>/revoquer/", views.invitation_revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
