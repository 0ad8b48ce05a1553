from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from doorbraak import policy


class VerifiedUser(BasePermission):
    """Logged in, with a second factor where the role needs one."""

    message = _("Log in (met uw verificatiecode) om de API te gebruiken.")

    def has_permission(self, request, view):
        return policy.is_verified(request.user)


class HasCapability(BasePermission):
    """The view's `capability` from the policy layer; a denial is audited by the policy."""

    def has_permission(self, request, view):
        if not policy.is_verified(request.user):
            return False
        capability = getattr(view, "capability", None)
        if capability is not None:
            policy.require(
                request.user, capability, object_type="api", object_id=view.__class__.__name__
            )
        return True
