from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("<int:pk>/personnes/", views.people, name="people"),
    path("<int:pk>/personnes/contacts/<int:contact_pk>/inviter/", views.pending_invite, name="pending_invite"),
    path("<int:pk>/personnes/transmettre/", views.hand_over, name="hand_over"),
    path("<int:pk>/personnes/roles/<int:membership_pk>/retirer/", views.role_remove, name="role_remove"),
    path("<int:pk>/personnes/coordination/<int:user_pk>/retirer/", views.coordinator_remove,
         name="coordinator_remove"),
]
