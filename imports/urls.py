from django.urls import path

from . import views

app_name = "imports"

# Under /region/cls/<pk>/ where the plan import has always lived (bookmarks keep working).
urlpatterns = [
    path("cls/<int:contract_pk>/import-plan/", views.plan_import_upload, name="plan"),
    path("cls/<int:contract_pk>/import-plan/confirmer/", views.plan_import_confirm, name="plan_confirm"),
    path("cls/<int:contract_pk>/import-plan/modele.xlsx", views.plan_import_template, name="plan_template"),
]
