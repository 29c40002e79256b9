from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("", views.home, name="home"),
    path("export/", views.export, name="export"),
    path("regles/", views.rules_list, name="rules"),
    path("regles/nouvelle/", views.rule_create, name="rule_create"),
    path("cls/<int:contract_pk>/", views.contract_funding, name="contract"),
    path("cls/<int:contract_pk>/demande/", views.year_create, name="year_create"),
    path("cls/<int:contract_pk>/dialogue/", views.dialogue, name="dialogue"),
    path("cls/<int:contract_pk>/engagement/", views.engagement, name="engagement"),
    path("annee/<int:pk>/modifier/", views.year_edit, name="year_edit"),
    path("annee/<int:pk>/instruction/", views.year_instruct, name="year_instruct"),
    path("annee/<int:pk>/decision/", views.year_decide, name="year_decide"),
    path("annee/<int:pk>/versement/", views.year_payment, name="year_payment"),
    path("annee/<int:pk>/bilan/", views.year_statement, name="year_statement"),
    path("decision/<int:pk>/document/", views.decision_document, name="decision_document"),
]
