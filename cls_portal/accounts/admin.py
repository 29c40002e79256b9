from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import RoleMembership, User


class RoleMembershipInline(admin.TabularInline):
    model = RoleMembership
    extra = 0
    filter_horizontal = ["departements"]


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [RoleMembershipInline]
