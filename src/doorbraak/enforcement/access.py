"""The only door to enforcement's objects. Capabilities come from `doorbraak.policy`; on top of
them: an enforcement officer works in their own areas (UserArea, by default all focus areas), a
lawyer sees every decision and the actions behind them. Every read is audited under the purpose
handhaving; every refusal goes through `policy.deny` (an audited 403)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.partners.models import DataCategory
from doorbraak.policy import Capability as C
from doorbraak.registers.models import Company, Premises

from .models import Action, Decision, UserArea

PURPOSE = policy.PURPOSE_ENFORCEMENT
CATEGORIES = [DataCategory.PREMISES]


def role_may(user, capability: str) -> bool:
    """Whether the user's role carries the capability (for a user who is not the one logged in,
    such as the officer an action is assigned to)."""
    return policy.user_role_has(user, capability)


def user_areas_of(user) -> frozenset[str]:
    """The area codes (focus areas or wijken) an officer works in: their UserArea rows, or all
    focus areas when they have none (the default)."""
    codes = frozenset(UserArea.objects.filter(user=user).values_list("area_code", flat=True))
    return codes or policy.enforcement_areas()


def user_areas(user) -> frozenset[str] | None:
    """The areas an officer (a role that plans actions) is restricted to; None: no area
    restriction (roles that see enforcement without planning it, such as lawyers)."""
    if not role_may(user, C.ENFORCEMENT_PLAN):
        return None
    return user_areas_of(user)


def _area_q(areas: frozenset[str], prefix: str = "") -> Q:
    return Q(**{f"{prefix}area__in": areas}) | Q(**{f"{prefix}wijk__in": areas})


def in_user_areas(user, premises: Premises) -> bool:
    areas = user_areas(user)
    return areas is None or premises.area in areas or premises.wijk in areas


def visible_actions(user) -> QuerySet:
    if not policy.has(user, C.ENFORCEMENT_VIEW):
        return Action.objects.none()
    qs = Action.objects.all()
    areas = user_areas(user)
    if areas is not None:
        qs = qs.filter(_area_q(areas, "premises__"))
    return qs


def visible_decisions(user) -> QuerySet:
    if not policy.has(user, C.ENFORCEMENT_VIEW):
        return Decision.objects.none()
    qs = Decision.objects.all()
    areas = user_areas(user)
    if areas is not None:
        qs = qs.filter(_area_q(areas, "premises__"))
    return qs


def _deny(user, reason: str, object_type: str, object_id) -> None:
    policy.deny(user, reason, object_type=object_type, object_id=object_id, purpose=PURPOSE)


def _read(user, object_type: str, object_id, **detail) -> None:
    audit.record(
        AuditAction.READ,
        user=user,
        purpose=PURPOSE,
        object_type=object_type,
        object_id=object_id,
        categories=CATEGORIES,
        detail=detail or None,
    )


def require_area(user, premises: Premises, object_type: str, object_id) -> None:
    if not in_user_areas(user, premises):
        _deny(user, "outside the officer's areas", object_type, object_id)


def get_action_for_user(user, pk, purpose: str = PURPOSE) -> Action:
    if not policy.has(user, C.ENFORCEMENT_VIEW):
        _deny(user, "role may not view enforcement", "enforcement_action", pk)
    action = (
        Action.objects.select_related("premises", "company", "planned_by", "assigned_to")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404
    require_area(user, action.premises, "enforcement_action", pk)
    _read(user, "enforcement_action", action.pk)
    return action


def get_decision_for_user(user, pk, purpose: str = PURPOSE) -> Decision:
    if not policy.has(user, C.ENFORCEMENT_VIEW):
        _deny(user, "role may not view enforcement", "enforcement_decision", pk)
    decision = (
        Decision.objects.select_related(
            "premises", "company", "proposed_by", "approved_by", "escalation_step"
        )
        .filter(pk=pk)
        .first()
    )
    if decision is None:
        raise Http404
    require_area(user, decision.premises, "enforcement_decision", pk)
    _read(user, "enforcement_decision", decision.pk)
    return decision


def get_premises_for_user(user, bag_id: str, purpose: str = PURPOSE) -> Premises:
    """A premises for its ledger (or to plan an action on it): audited read."""
    if not policy.has(user, C.ENFORCEMENT_VIEW):
        _deny(user, "role may not view enforcement", "enforcement_ledger", bag_id)
    premises = Premises.objects.filter(bag_id=bag_id).first()
    if premises is None:
        raise Http404
    require_area(user, premises, "enforcement_ledger", bag_id)
    _read(user, "enforcement_ledger", bag_id, about="premises")
    return premises


def get_company_for_user(user, kvk_number: str, purpose: str = PURPOSE) -> Company:
    if not policy.has(user, C.ENFORCEMENT_VIEW):
        _deny(user, "role may not view enforcement", "enforcement_ledger", kvk_number)
    company = Company.objects.select_related("establishment").filter(kvk_number=kvk_number).first()
    if company is None:
        raise Http404
    require_area(user, company.establishment, "enforcement_ledger", kvk_number)
    _read(user, "enforcement_ledger", kvk_number, about="company")
    return company


def may_plan(user, premises: Premises) -> bool:
    return policy.has(user, C.ENFORCEMENT_PLAN) and in_user_areas(user, premises)


def require_plan(user, premises: Premises, object_id) -> None:
    if not policy.has(user, C.ENFORCEMENT_PLAN):
        _deny(user, "role may not plan enforcement actions", "enforcement_action", object_id)
    require_area(user, premises, "enforcement_action", object_id)


def require_capability(user, capability: str, object_type: str, object_id="") -> None:
    if not policy.has(user, capability):
        _deny(user, f"missing capability {capability}", object_type, object_id)
