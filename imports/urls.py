from django.urls import path

from . import views

app_name = "imports"

# Under /region/cls/<pk>/ where the plan import has always lived (bookmarks keep working).
urlpatterns = [
    path("cls/import/", views.contracts_import_upload, name="contracts"),
    path("cls/import/confirmer/", views.contracts_import_confirm, name="contracts_confirm"),
    path("cls/import/modele.xlsx", views.contracts_import_template, name="contracts_template"),
    path("cls/<int:contract_pk>/import-plan/", views.plan_import_upload, name="plan"),
    path("cls/<int:contract_pk>/import-plan/confirmer/", views.plan_import_confirm, name="plan_confirm"),
    path("cls/<int:contract_pk>/import-plan/modele.xlsx", views.plan_import_template, name="plan_template"),
]
