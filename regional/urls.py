from django.urls import include, path

from . import views

app_name = "regional"

private = [
    path("", views.dashboard, name="dashboard"),
    path("contrats/", views.contract_list, name="contracts"),
    path("contrats/export/", views.contract_export, name="contracts_export"),
    path("fiches/", views.fiche_list, name="fiches"),
    path("fiches/export/", views.fiche_export, name="fiches_export"),
    path("indicateurs/", views.indicateur_list, name="indicateurs"),
    path("indicateurs/export/", views.indicateur_export, name="indicateurs_export"),
    path("cls/<int:contract_pk>/import-plan/", views.plan_import_upload, name="plan_import"),
    path("cls/<int:contract_pk>/import-plan/confirmer/", views.plan_import_confirm, name="plan_import_confirm"),
    path("cls/<int:contract_pk>/import-plan/modele.xlsx", views.plan_import_template, name="plan_import_template"),
]

public = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.directory_contract, name="directory_contract"),
    path("rapports/<int:pk>/", views.directory_report, name="directory_report"),
]

notifications = [
    path("", views.notification_list, name="notifications"),
    path("preferences/", views.email_preferences, name="email_preferences"),
]

urlpatterns = [
    path("region/", include(private)),
    path("annuaire/", include(public)),
    path("notifications/", include(notifications)),
]
