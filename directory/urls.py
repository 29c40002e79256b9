from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.directory, name="index"),
    path("<int:pk>/", views.directory_contract, name="contract"),
    path("<int:pk>/synthese/", views.summary, name="summary"),
    path("rapports/<int:pk>/", views.directory_report, name="report"),
]
