"""Monitoring's door. Monitoring holds no personal data: every number it hands out is an
aggregate protected by disclosure control. Access is by capability (policy.ROLE_CAPABILITIES);
a denial is audited by policy.deny."""

from __future__ import annotations

from doorbraak import policy
from doorbraak.policy import Capability as C


def require_view(user, object_id: str = "monitoring") -> None:
    policy.require(user, C.MONITORING_VIEW, object_type="monitoring", object_id=object_id)


def require_report(user, object_id: str = "monitoring_report") -> None:
    policy.require(user, C.MONITORING_REPORT, object_type="monitoring", object_id=object_id)


def require_prevention(user, object_id: str = "prevention") -> None:
    policy.require(user, C.PREVENTION_REGISTER, object_type="prevention", object_id=object_id)


def may_write_texts(user) -> bool:
    return policy.has(user, C.MONITORING_REPORT)


def may_register_prevention(user) -> bool:
    return policy.has(user, C.PREVENTION_REGISTER)
