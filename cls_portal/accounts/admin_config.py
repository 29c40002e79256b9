"""The admin app with the portal's site (second factor in production): see admin_site.py. Its own module,
importable while the app registry loads."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "cls_portal.accounts.admin_site.PortalAdminSite"
