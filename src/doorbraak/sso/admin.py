from django.contrib import admin

from doorbraak import policy
from doorbraak.policy import Capability

from .models import SsoGroupMapping, SsoIdentity


def _admin_has_permission(request) -> bool:
    """As the rest of the Django admin (partners/admin.py): administrators only."""
    user = request.user
    return user.is_active and user.is_staff and policy.has(user, Capability.PARTNERS_MANAGE)


class _AdministratorsOnly:
    def has_view_permission(self, request, obj=None):
        return _admin_has_permission(request)

    def has_change_permission(self, request, obj=None):
        return _admin_has_permission(request)

    def has_add_permission(self, request):
        return _admin_has_permission(request)

    def has_delete_permission(self, request, obj=None):
        return _admin_has_permission(request)

    def has_module_permission(self, request):
        return _admin_has_permission(request)


@admin.register(SsoGroupMapping)
class SsoGroupMappingAdmin(_AdministratorsOnly, admin.ModelAdmin):
    list_display = ["group", "role", "organisation"]
    list_filter = ["role", "organisation"]


@admin.register(SsoIdentity)
class SsoIdentityAdmin(_AdministratorsOnly, admin.ModelAdmin):
    list_display = ["user", "issuer", "subject", "last_login_at"]
    readonly_fields = ["user", "issuer", "subject", "created_at", "last_login_at"]

    def has_add_permission(self, request):
        return False
