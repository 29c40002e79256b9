from django.urls import path

from . import views

app_name = "imports"

# Under /region/cls/<pk>/ where the plan import has always lived (bookmarks keep working).
urlpatterns = [
    path("cls/import/", views.contracts_import_upload, name="contracts"),
    path("cls/import/confirmer/", views.contracts_import_confirm, name="contracts_confirm"),
    path("cls/import/modele.xlsx", views.contracts_import_template, name="contracts_template"),
    path("cls/import-valeurs/", views.values_import_upload, name="values"),
    path("cls/import-valeurs/confirmer/", views.values_import_confirm, name="values_confirm"),
    path("cls/import-valeurs/modele.xlsx", views.values_import_template, name="values_template"),
    path("cls/import-financements/", views.funding_import_upload, name="funding"),
    path("cls/import-financements/confirmer/", views.funding_import_confirm, name="funding_confirm"),
    path("cls/import-financements/modele.xlsx", views.funding_import_template, name="funding_template"),
    path("cls/<int:contract_pk>/import-plan/", views.plan_import_upload, name="plan"),
    path("cls/<int:contract_pk>/import-plan/confirmer/", views.plan_import_confirm, name="plan_confirm"),
    path("cls/<int:contract_pk>/import-plan/modele.xlsx", views.plan_import_template, name="plan_template"),
]
