from django.contrib import admin

from .models import ARS, EPCI, Commune, Delegation, Departement, Organisation, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "nom"]
    search_fields = ["nom", "code"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "region"]
    list_select_related = ["region"]
    search_fields = ["nom", "code"]


@admin.register(EPCI)
class EPCIAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "type"]
    search_fields = ["nom", "code"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "population", "departement", "epci"]
    list_select_related = ["departement", "epci"]
    search_fields = ["nom", "code"]
    list_filter = ["region"]


@admin.register(ARS)
class ARSAdmin(admin.ModelAdmin):
    list_display = ["nom", "email"]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["nom", "departement", "email"]
    list_select_related = ["departement"]
    list_editable = ["email"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "email"]
    list_filter = ["type"]
    search_fields = ["nom"]
