from django.contrib import admin

from .models import Contract


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["nom", "collectivite", "ars", "phase", "generation", "date_signature"]
    list_select_related = ["collectivite", "ars"]
    list_filter = ["phase", "ars"]
    search_fields = ["nom"]
    raw_id_fields = ["communes", "epci", "previous", "referent", "collectivite"]
