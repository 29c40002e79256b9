from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("cls/<int:pk>/", views.contract_reports, name="contract"),
    path("cls/<int:pk>/demander/", views.report_request, name="request"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/relancer/", views.report_retry, name="retry"),
    path("<int:pk>/publier/", views.report_publish, name="publish"),
    path("<int:pk>/ressource/", views.report_resource, name="resource"),
    path("<int:pk>/telecharger/", views.report_download, name="download"),
    path("campagnes/", views.campaigns, name="campaigns"),
    path("campagnes/<int:pk>/", views.campaign_detail, name="campaign"),
]
