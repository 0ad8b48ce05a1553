"""The base of every API view: the permission is a capability the policy layer grants."""

from __future__ import annotations

from .permissions import HasCapability


class PolicyView:
    permission_classes = [HasCapability]
    capability: str | None = None
