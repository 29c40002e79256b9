"""Read-only admin: funding records change only through the services (history, rules, versions)."""

from django.contrib import admin

from .models import AnneeFinancement, BilanFinancier, Decision, DialogueGestion, RegleFinancement, Versement


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RegleFinancement)
class RegleFinancementAdmin(ReadOnlyAdmin):
    list_display = ["region", "valid_from", "taux", "plafond_annuel", "cout_reference", "etp_minimum", "part_egale"]
    list_filter = ["region"]


@admin.register(AnneeFinancement)
class AnneeFinancementAdmin(ReadOnlyAdmin):
    list_display = ["contract", "annee", "statut", "etp", "mois_pourvus", "demande_ars", "montant_accorde",
                    "total_verse", "montant_a_reverser"]
    list_filter = ["statut", "annee"]
    list_select_related = ["contract"]


for model in (Decision, Versement, BilanFinancier, DialogueGestion):
    admin.site.register(model, ReadOnlyAdmin)
