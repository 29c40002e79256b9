from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("cls_portal.accounts.urls")),
    path("cls/", include("contracts.urls")),
    path("cls/", include("people.urls")),  # a contract's people, invitations, roles (/cls/<pk>/personnes/)
    path("", include("cls_portal.accounts.legal_urls")),  # mentions légales, données personnelles, accessibilité…
    path("rapports/", include("reports.urls")),
    path("diagnostics/", include("diagnostics.urls")),
    path("plan-action/", include("actions.urls")),
    path("financements/", include("funding.urls")),
    path("region/", include("regional.urls")),  # regional dashboard, lists and exports
    path("region/", include("imports.urls")),  # XLSX imports (the action plan: /region/cls/<pk>/import-plan/)
    path("annuaire/", include("directory.urls")),  # the public directory (no login)
    path("ressources/", include("resources.urls")),  # the regional library of resources for coordinators
    path("reseau/", include("network.urls")),  # the regional network of coordinators: directory, events
    path("notifications/", include("cls_portal.notifications.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "cls_portal.core.error_views.bad_request"
handler403 = "cls_portal.core.error_views.permission_denied"
handler404 = "cls_portal.core.error_views.page_not_found"
handler500 = "cls_portal.core.error_views.server_error"
