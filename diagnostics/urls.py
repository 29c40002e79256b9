from django.urls import path

from . import views

app_name = "diagnostics"

urlpatterns = [
    path("", views.diagnostic_list, name="list"),
    path("cls/<int:contract_pk>/", views.diagnostic_contract, name="contract"),
    path("cls/<int:contract_pk>/commencer/", views.diagnostic_start, name="start"),
    path("<int:pk>/", views.diagnostic_detail, name="detail"),
    path("<int:pk>/preparation/", views.diagnostic_preparation, name="preparation"),
    path("<int:pk>/indicateurs/import/", views.diagnostic_import, name="import"),
    path("<int:pk>/indicateurs/export/", views.diagnostic_export, name="export"),
    path("<int:pk>/revue/<slug:action>/", views.diagnostic_transition, name="transition"),
    path("<int:pk>/nouvelle-version/", views.diagnostic_new_version, name="new_version"),
    path("<int:pk>/priorites/<int:priorite_pk>/axe/", views.priorite_create_axe, name="priorite_axe"),
    path("<int:pk>/synthese/", views.diagnostic_synthese, name="synthese"),
    path("<int:pk>/sections/<slug:section>/", views.diagnostic_section, name="section"),
]
