from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("", views.resource_list, name="list"),
    path("nouvelle/", views.resource_create, name="create"),
    path("<int:pk>/", views.resource_detail, name="detail"),
    path("<int:pk>/modifier/", views.resource_edit, name="edit"),
    path("<int:pk>/nouvelle-version/", views.version_add, name="version_add"),
    path("<int:pk>/archiver/", views.resource_archive, name="archive"),
    path("<int:pk>/versions/<int:version_pk>/telecharger/", views.version_download, name="download"),
]
