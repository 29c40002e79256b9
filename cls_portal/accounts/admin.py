from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Invitation, RoleMembership, User


class RoleMembershipInline(admin.TabularInline):
    model = RoleMembership
    extra = 0
    filter_horizontal = ["departements"]


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [RoleMembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """For audit only: invitations are sent, resent and revoked from the portal's pages."""

    list_display = ["email", "role", "contract", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email"]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):
        return False
