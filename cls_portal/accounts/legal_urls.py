from django.urls import path

from . import legal

app_name = "legal"

urlpatterns = [
    path("mentions-legales/", legal.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", legal.personal_data, name="personal_data"),
    path("accessibilite/", legal.accessibility, name="accessibility"),
    path("plan-du-site/", legal.site_map, name="site_map"),
    path("aide/", legal.help_page, name="help"),
]
