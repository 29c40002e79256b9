"""The Django admin of the portal: with `ADMIN_REQUIRE_OTP` (on in production), signing in to the admin takes
a second factor (django-otp, a TOTP device registered for the account) and every admin page requires a
session verified by it. Read per request, so the setting can be switched without touching the URLs."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class PortalAdminSite(AdminSite):
    site_header = "Administration du portail CLS"
    site_title = "Portail CLS"

    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.ADMIN_REQUIRE_OTP else None

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.ADMIN_REQUIRE_OTP else None

    def has_permission(self, request):
        if settings.ADMIN_REQUIRE_OTP and not request.user.is_verified():
            return False
        return super().has_permission(request)
