"""Django admin for administrators only (organisations, users, covenant, verwerkingsregister)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from doorbraak import policy
from doorbraak.policy import Capability

from .models import Covenant, CovenantGrant, Organisation, Purpose, User


def _admin_has_permission(request):
    return (
        request.user.is_active
        and request.user.is_staff
        and policy.has(request.user, Capability.PARTNERS_MANAGE)
    )


admin.site.has_permission = _admin_has_permission
admin.site.site_header = "Doorbraak beheer"


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "code"]


@admin.register(User)
class DoorbraakUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    fieldsets = UserAdmin.fieldsets + (("Doorbraak", {"fields": ("organisation", "role")}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("Doorbraak", {"fields": ("organisation", "role")}),)

    def has_change_permission(self, request, obj=None):
        return _admin_has_permission(request)

    has_add_permission = has_view_permission = lambda self, request, obj=None: (
        _admin_has_permission(request)
    )  # noqa: E731


class CovenantGrantInline(admin.TabularInline):
    model = CovenantGrant
    extra = 1


@admin.register(Covenant)
class CovenantAdmin(admin.ModelAdmin):
    list_display = ["title", "reference", "valid_from", "valid_until"]
    inlines = [CovenantGrantInline]


@admin.register(Purpose)
class PurposeAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
