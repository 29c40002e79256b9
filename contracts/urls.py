from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("mon-cls/", views.my_cls, name="my_cls"),
    path("tableau-de-bord/", views.delegation_dashboard, name="delegation_dashboard"),
    path("nouveau/", views.contract_create, name="create"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/nouvelle/", views.organisation_create, name="organisation_create"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/identite/", views.contract_edit, name="edit"),
    path("<int:pk>/perimetre/", views.perimeter_edit, name="perimeter"),
    path("<int:pk>/referent/", views.referent_edit, name="referent"),
    path("<int:pk>/retroplanning/", views.retroplanning, name="retroplanning"),
    path("<int:pk>/phase/<slug:name>/proposer/", views.transition_propose, name="transition_propose"),
    path("<int:pk>/phase/<slug:name>/decider/", views.transition_fire, name="transition_fire"),
    path("<int:pk>/propositions/<int:proposal_pk>/decision/", views.proposal_decide, name="proposal_decide"),
    path("<int:pk>/renouveler/", views.contract_renew, name="renew"),
    path("<int:pk>/documents/deposer/", views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:doc_pk>/telecharger/", views.document_download, name="document_download"),
    path("<int:pk>/documents/<int:doc_pk>/supprimer/", views.document_delete, name="document_delete"),
    path("<int:pk>/signataires/ajouter/", views.signatory_add, name="signatory_add"),
    path("<int:pk>/signataires/<int:signatory_pk>/retirer/", views.signatory_remove, name="signatory_remove"),
    path("<int:pk>/evaluation/", views.evaluation_method, name="evaluation_method"),
    path("<int:pk>/prealable/", views.prealable, name="prealable"),
    path("<int:pk>/recrutement/", views.recruitment, name="recruitment"),
    path("<int:pk>/signataires/<int:signatory_pk>/engagements/", views.signatory_commitments,
         name="signatory_commitments"),
    path("<int:pk>/etapes/ajouter/", views.step_add, name="step_add"),
    path("<int:pk>/etapes/<int:step_pk>/", views.step_edit, name="step_edit"),
    path("<int:pk>/etapes/<int:step_pk>/supprimer/", views.step_delete, name="step_delete"),
    path("<int:pk>/etapes/<int:step_pk>/deplacer/", views.step_move, name="step_move"),
    path("<int:pk>/instances/ajouter/", views.instance_add, name="instance_add"),
    path("<int:pk>/instances/<int:instance_pk>/membres/ajouter/", views.member_add, name="member_add"),
    path("<int:pk>/reunions/ajouter/", views.meeting_add, name="meeting_add"),
    path("<int:pk>/avenants/ajouter/", views.avenant_add, name="avenant_add"),
    path("<int:pk>/avenants/<int:avenant_pk>/paraphes/", views.avenant_initials, name="avenant_initials"),
]
