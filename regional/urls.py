from django.urls import path

from . import views

app_name = "regional"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("a-traiter/", views.work_list, name="work"),
    path("qpv/", views.qpv_list, name="qpv"),
    path("champs/", views.champ_list, name="champs"),
    path("contrats/", views.contract_list, name="contracts"),
    path("contrats/export/", views.contract_export, name="contracts_export"),
    path("fiches/", views.fiche_list, name="fiches"),
    path("fiches/export/", views.fiche_export, name="fiches_export"),
    path("indicateurs/", views.indicateur_list, name="indicateurs"),
    path("indicateurs/export/", views.indicateur_export, name="indicateurs_export"),
]
