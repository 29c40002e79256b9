from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("mes-coordonnees/", views.contact_edit, name="contact"),
    path("rencontres/", views.event_list, name="events"),
    path("rencontres/nouvelle/", views.event_create, name="event_create"),
    path("rencontres/<int:pk>/", views.event_detail, name="event_detail"),
    path("rencontres/<int:pk>/modifier/", views.event_edit, name="event_edit"),
    path("rencontres/<int:pk>/inviter/", views.event_invite, name="event_invite"),
    path("rencontres/<int:pk>/presences/", views.attendance, name="attendance"),
    path("actualites/", views.news_list, name="news"),
    path("actualites/nouvelle/", views.news_create, name="news_create"),
]
