from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login

from doorbraak import policy


def page(capability: str | None = None):
    """Login (with second factor where needed) and, optionally, one capability from the policy."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if capability is not None:
                policy.require(
                    user, capability, object_type="page", object_id=request.resolver_match.url_name
                )
            return view(request, *args, **kwargs)

        wrapper.capability = capability
        return wrapper

    return decorate
