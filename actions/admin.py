from django.contrib import admin

from .models import Axe, FicheAction


@admin.register(Axe)
class AxeAdmin(admin.ModelAdmin):
    list_display = ["contract", "numero", "titre", "type"]
    list_select_related = ["contract"]


@admin.register(FicheAction)
class FicheActionAdmin(admin.ModelAdmin):
    list_display = ["titre", "contract", "axe", "numero", "statut"]
    list_select_related = ["contract", "axe"]
    list_filter = ["statut"]
    raw_id_fields = ["pilote_personne", "pilote_organisation", "copilotes_personnes"]
