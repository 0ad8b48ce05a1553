"""The only door to the risk picture's objects: each function checks the policy and audits the
read. Results are about premises and companies, never about persons; an officer appears only as
a fact behind a company indicator (a record key: the company's KvK number)."""

from __future__ import annotations

from django.http import Http404

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.partners.models import DataCategory
from doorbraak.policy import Capability as C

from . import selectors
from .models import ObjectType

CATEGORIES = [DataCategory.PREMISES]


def purpose_of(user) -> str:
    return policy.register_purpose(user)


def require_view(user, object_type: str = "risk", object_id: object = "") -> None:
    if not policy.has(user, C.RISK_VIEW):
        policy.deny(
            user,
            "role may not view the risk picture",
            object_type=object_type,
            object_id=object_id,
            purpose=purpose_of(user),
        )


def require_manage(user, object_type: str = "risk_rule_set", object_id: object = "") -> None:
    if not policy.has(user, C.RULESETS_MANAGE):
        policy.deny(
            user,
            "role may not manage rule sets",
            object_type=object_type,
            object_id=object_id,
            purpose=policy.PURPOSE_RISK_ANALYSIS,
        )


def get_run_for_user(user, pk):
    require_view(user, "risk_run", pk)
    run = selectors.get_run(pk)
    if run is None:
        raise Http404
    return run


def run_for_user(user, pk=None):
    """The run asked for, or the latest finished one (None if there is none yet)."""
    require_view(user, "risk_run", pk or "")
    if pk:
        return get_run_for_user(user, pk)
    return selectors.latest_run()


def get_result_for_user(user, run, object_type: str, object_id: str, *, purpose: str = ""):
    """One object's result in a run (None: no indicator fired there), audited as a read."""
    if object_type not in ObjectType.values:
        raise Http404
    require_view(user, object_type, object_id)
    result = selectors.result_for(run, object_type, object_id)
    audit.record(
        AuditAction.READ,
        user=user,
        purpose=purpose or purpose_of(user),
        object_type=f"risk_{object_type}",
        object_id=object_id,
        categories=CATEGORIES,
        detail={"run": run.pk if run else None, "score": result.score if result else None},
    )
    return result


def audit_list(user, rows, *, purpose: str = "", export: str = "") -> None:
    """A page or export of the ranked list: one entry naming every object shown."""
    ids = [f"{r.object_type}:{r.object_id}" for r in rows]
    if export:
        audit.record(
            AuditAction.EXPORT,
            user=user,
            purpose=purpose or purpose_of(user),
            object_type="risk_results",
            object_id=f"{len(ids)} objecten",
            categories=CATEGORIES,
            detail={"format": export, "ids": ids[:500]},
        )
        return
    policy.audit_list_read(user, "risk_result", ids, purpose or purpose_of(user), CATEGORIES)


def get_rule_set_for_user(user, pk):
    require_view(user, "risk_rule_set", pk)
    rule_set = selectors.get_rule_set(pk)
    if rule_set is None:
        raise Http404
    return rule_set
