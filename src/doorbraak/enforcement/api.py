"""Enforcement API (/api/v1/enforcement/...): actions and decisions. Serializers parse input, the
actions decide and write (atomic, audited); errors come back as application/problem+json."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from doorbraak.api.permissions import HasCapability
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.limits import MAX_ID, TEXT_MAX
from doorbraak.partners.models import User
from doorbraak.policy import Capability as C

from . import access, actions, selectors
from .models import (
    Action,
    ActionType,
    BibobOutcome,
    Decision,
    DecisionType,
    Irregularity,
    LegalBasis,
    ObjectionOutcome,
    ObjectType,
    Outcome,
)


class ActionOut(serializers.ModelSerializer):
    object_id = serializers.CharField(read_only=True)
    bag_id = serializers.CharField(source="premises.bag_id", read_only=True)
    kvk_number = serializers.CharField(source="company.kvk_number", read_only=True, default=None)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "object_type",
            "object_id",
            "bag_id",
            "kvk_number",
            "area_code",
            "action_type",
            "reason",
            "planned_on",
            "planned_by",
            "assigned_to",
            "rule_set_version",
            "fired_indicators",
            "score_at_planning",
            "carried_out_on",
            "outcome",
            "irregularities",
            "findings_note",
            "bibob_outcome",
            "status",
        ]


class ActionIn(serializers.Serializer):
    class Meta:
        ref_name = "EnforcementActionIn"  # careers has an ActionIn: one name, one component

    object_type = serializers.ChoiceField(choices=ObjectType.choices)
    object_id = serializers.CharField(max_length=16)
    action_type = serializers.ChoiceField(choices=ActionType.choices)
    reason = serializers.CharField(max_length=TEXT_MAX)
    assigned_to = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )


class FindingsIn(serializers.Serializer):
    carried_out_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    irregularities = serializers.ListField(
        child=serializers.ChoiceField(choices=Irregularity.choices),
        required=False,
        default=list,
        max_length=len(Irregularity.choices),
    )
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    bibob_outcome = serializers.ChoiceField(
        choices=BibobOutcome.choices, required=False, allow_blank=True, default=""
    )


def _audit_list(user, object_type: str, ids) -> None:
    ids = [str(i) for i in ids]
    if ids:
        audit.record(
            AuditAction.READ,
            user=user,
            purpose=access.PURPOSE,
            object_type=object_type,
            object_id=f"{len(ids)} objecten",
            categories=access.CATEGORIES,
            detail={"ids": ids[:500]},
        )


class ActionList(generics.ListCreateAPIView):
    """Actions in the caller's areas (GET, filters status=open|done, action_type); plan one (POST)."""

    permission_classes = [HasCapability]
    capability = C.ENFORCEMENT_VIEW
    serializer_class = ActionOut

    def get_queryset(self):
        p = self.request.query_params
        return selectors.actions_for(
            access.visible_actions(self.request.user),
            status=p.get("status", "all"),
            action_type=p.get("action_type", "")
            if p.get("action_type") in ActionType.values
            else "",
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        _audit_list(request.user, "enforcement_action", [a["id"] for a in response.data["results"]])
        return response

    @extend_schema(request=ActionIn, responses={201: ActionOut})
    def post(self, request, *args, **kwargs):
        access.require_capability(request.user, C.ENFORCEMENT_PLAN, "api", "ActionList")
        ser = ActionIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        assignee = (
            User.objects.filter(pk=d.get("assigned_to")).first() if d.get("assigned_to") else None
        )
        action = actions.plan_action(
            request.user,
            object_type=d["object_type"],
            object_id=d["object_id"],
            action_type=d["action_type"],
            reason=d["reason"],
            assigned_to=assignee,
        )
        return Response(ActionOut(action).data, status=status.HTTP_201_CREATED)


class ActionDetail(APIView):
    permission_classes = [HasCapability]
    capability = C.ENFORCEMENT_VIEW

    @extend_schema(responses=ActionOut)
    def get(self, request, pk: int):
        return Response(ActionOut(access.get_action_for_user(request.user, pk)).data)


class ActionFindings(APIView):
    """Record (or correct) what an action found."""

    permission_classes = [HasCapability]
    capability = C.ENFORCEMENT_PLAN

    @extend_schema(request=FindingsIn, responses=ActionOut)
    def post(self, request, pk: int):
        action = access.get_action_for_user(request.user, pk)
        ser = FindingsIn(data=request.data)
        ser.is_valid(raise_exception=True)
        action = actions.record_findings(request.user, action, **ser.validated_data)
        return Response(ActionOut(action).data)


class ObjectionOut(serializers.Serializer):
    id = serializers.IntegerField()
    received_on = serializers.DateField()
    in_time = serializers.BooleanField()
    outcome = serializers.ChoiceField(choices=ObjectionOutcome.choices, allow_blank=True)
    outcome_on = serializers.DateField(allow_null=True)


class DecisionOut(serializers.ModelSerializer):
    bag_id = serializers.CharField(source="premises.bag_id", read_only=True)
    kvk_number = serializers.CharField(source="company.kvk_number", read_only=True, default=None)
    escalation_step = serializers.SerializerMethodField()
    objections = ObjectionOut(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "object_type",
            "bag_id",
            "kvk_number",
            "area_code",
            "action",
            "decision_type",
            "legal_basis",
            "legal_basis_detail",
            "summary",
            "escalation_step",
            "closure_months",
            "proportionality_suitable",
            "proportionality_necessary",
            "proportionality_balanced",
            "status",
            "proposed_by",
            "proposed_on",
            "approved_by",
            "approved_on",
            "decision_date",
            "announced_on",
            "objection_deadline",
            "objections",
        ]

    def get_escalation_step(self, obj) -> dict | None:
        s = obj.escalation_step
        if s is None:
            return None
        return {"premises_kind": s.premises_kind, "number": s.number, "months": s.months}


class DecisionIn(serializers.Serializer):
    class Meta:
        ref_name = "EnforcementDecisionIn"  # careers has a DecisionIn

    object_type = serializers.ChoiceField(choices=ObjectType.choices)
    object_id = serializers.CharField(max_length=16)
    decision_type = serializers.ChoiceField(choices=DecisionType.choices)
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    legal_basis_detail = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    summary = serializers.CharField(max_length=TEXT_MAX)
    action_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    closure_months = serializers.IntegerField(min_value=1, max_value=120, required=False)
    proportionality_suitable = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )
    proportionality_necessary = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )
    proportionality_balanced = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )


class DecisionList(generics.ListCreateAPIView):
    """Decisions the caller may see (GET, filter status); propose one (POST)."""

    permission_classes = [HasCapability]
    capability = C.ENFORCEMENT_VIEW
    serializer_class = DecisionOut

    def get_queryset(self):
        return selectors.decisions_for(
            access.visible_decisions(self.request.user),
            status=self.request.query_params.get("status", ""),
        ).prefetch_related("objections")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        _audit_list(
            request.user, "enforcement_decision", [d["id"] for d in response.data["results"]]
        )
        return response

    @extend_schema(request=DecisionIn, responses={201: DecisionOut})
    def post(self, request, *args, **kwargs):
        access.require_capability(request.user, C.DECISIONS_PROPOSE, "api", "DecisionList")
        ser = DecisionIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        action_id = d.pop("action_id", None)
        action = access.get_action_for_user(request.user, action_id) if action_id else None
        decision = actions.propose_decision(request.user, action=action, **d)
        return Response(DecisionOut(decision).data, status=status.HTTP_201_CREATED)


class DecisionDetail(APIView):
    permission_classes = [HasCapability]
    capability = C.ENFORCEMENT_VIEW

    @extend_schema(responses=DecisionOut)
    def get(self, request, pk: int):
        return Response(DecisionOut(access.get_decision_for_user(request.user, pk)).data)


class DecisionApprove(APIView):
    """The second pair of eyes (never the proposer: a 403, audited)."""

    permission_classes = [HasCapability]
    capability = C.DECISIONS_APPROVE

    @extend_schema(request=None, responses=DecisionOut)
    def post(self, request, pk: int):
        decision = access.get_decision_for_user(request.user, pk)
        return Response(DecisionOut(actions.approve_decision(request.user, decision)).data)


class IssueIn(serializers.Serializer):
    decision_date = serializers.DateField()
    announced_on = serializers.DateField()


class DecisionIssue(APIView):
    permission_classes = [HasCapability]
    capability = C.DECISIONS_PROPOSE

    @extend_schema(request=IssueIn, responses=DecisionOut)
    def post(self, request, pk: int):
        decision = access.get_decision_for_user(request.user, pk)
        ser = IssueIn(data=request.data)
        ser.is_valid(raise_exception=True)
        return Response(
            DecisionOut(actions.issue_decision(request.user, decision, **ser.validated_data)).data
        )


urlpatterns = [
    path("enforcement/actions/", ActionList.as_view(), name="api_enforcement_actions"),
    path("enforcement/actions/<int:pk>/", ActionDetail.as_view(), name="api_enforcement_action"),
    path(
        "enforcement/actions/<int:pk>/findings/",
        ActionFindings.as_view(),
        name="api_enforcement_findings",
    ),
    path("enforcement/decisions/", DecisionList.as_view(), name="api_enforcement_decisions"),
    path(
        "enforcement/decisions/<int:pk>/",
        DecisionDetail.as_view(),
        name="api_enforcement_decision",
    ),
    path(
        "enforcement/decisions/<int:pk>/approve/",
        DecisionApprove.as_view(),
        name="api_enforcement_decision_approve",
    ),
    path(
        "enforcement/decisions/<int:pk>/issue/",
        DecisionIssue.as_view(),
        name="api_enforcement_decision_issue",
    ),
]
