from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("contrat/<int:contract_pk>/", views.plan, name="plan"),
    path("contrat/<int:contract_pk>/bilan-indicateurs/", views.indicator_summary, name="indicator_summary"),
    path("contrat/<int:contract_pk>/plan-signe/", views.plan_record_signed, name="plan_record_signed"),
    path("contrat/<int:contract_pk>/soumettre/", views.plan_submit, name="plan_submit"),
    path("contrat/<int:contract_pk>/fiches/", views.fiche_list, name="fiche_list"),
    path("contrat/<int:contract_pk>/suivi/", views.followup_year, name="followup_year"),
    path("contrat/<int:contract_pk>/axes/nouveau/", views.axe_create, name="axe_create"),
    path("contrat/<int:contract_pk>/fiches/nouvelle/", views.fiche_create, name="fiche_create"),
    path("axes/<int:pk>/modifier/", views.axe_edit, name="axe_edit"),
    path("axes/<int:pk>/deplacer/", views.axe_move, name="axe_move"),
    path("fiches/<int:pk>/", views.fiche_detail, name="fiche_detail"),
    path("fiches/<int:pk>/modifier/", views.fiche_edit, name="fiche_edit"),
    path("fiches/<int:pk>/ressource/", views.fiche_resource, name="fiche_resource"),
    path("fiches/<int:pk>/statut/<slug:name>/", views.fiche_transition, name="fiche_transition"),
    path("fiches/<int:pk>/commentaire/", views.fiche_comment, name="fiche_comment"),
    path("fiches/<int:pk>/suivi/<int:annee>/", views.suivi_edit, name="suivi_edit"),
    path("jalons/<int:pk>/realisation/", views.jalon_done, name="jalon_done"),
    path("revue/", views.review_queue, name="review_queue"),
    path("mes-fiches/", views.my_sheets, name="my_sheets"),
]
