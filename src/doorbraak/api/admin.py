"""API tokens in the Django admin: seen and revoked there; issued with `doorbraak api_token issue`
(the token is shown once, on the command line)."""

from django.contrib import admin, messages

from doorbraak import policy
from doorbraak.policy import Capability

from .actions import revoke_token
from .models import ApiToken


def _admin_has_permission(request) -> bool:
    """As the rest of the Django admin (partners/admin.py): administrators only."""
    user = request.user
    return user.is_active and user.is_staff and policy.has(user, Capability.PARTNERS_MANAGE)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "user",
        "organisation",
        "covenant",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["organisation", "covenant"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return _admin_has_permission(request)

    def has_view_permission(self, request, obj=None):
        return _admin_has_permission(request)

    @admin.action(description="Intrekken")
    def revoke(self, request, queryset):
        for token in queryset:
            revoke_token(token, revoked_by=request.user.get_username())
        messages.success(request, f"{queryset.count()} API-sleutel(s) ingetrokken.")
