"""Case-management API (/api/v1/careers/...). Serializers parse input, the actions decide and write
(atomic, audited), errors come back as application/problem+json with invalidParams."""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from doorbraak import policy
from doorbraak.api.base import PolicyView
from doorbraak.api.permissions import HasCapability
from doorbraak.limits import MAX_ID, TEXT_MAX
from doorbraak.partners.models import DataCategory
from doorbraak.policy import Capability as C

from . import access, actions, selectors
from .models import (
    EXIT_REASON_CHOICES,
    AlertKind,
    Case,
    CaseRecord,
    ContactKind,
    DecisionOutcome,
    ExitChoice,
    Intervention,
    MemberRole,
    RecordKind,
    RelationKind,
    Review,
    VogGuidance,
    ZrmDomain,
)


def _id(**kwargs):
    """An object id: a positive number the database can hold (else a clear 400, never a 500)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class ConcernIn(serializers.Serializer):
    given_names = serializers.CharField(max_length=120)
    surname_prefix = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    surname = serializers.CharField(max_length=120)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    bsn = serializers.CharField(max_length=9, required=False, allow_blank=True, default="")
    received_on = serializers.DateField()
    description = serializers.CharField(max_length=TEXT_MAX)
    family_case_id = _id(required=False, allow_null=True, default=None)


class DecisionIn(serializers.Serializer):
    decided_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    reasons = serializers.CharField(max_length=TEXT_MAX)
    legal_basis = serializers.CharField(max_length=TEXT_MAX)
    partner_ids = serializers.ListField(child=_id(), allow_empty=True, max_length=100)
    criteria_ids = serializers.ListField(child=_id(), required=False, default=list, max_length=100)
    criteria_text = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_MAX
    )
    review_due = serializers.DateField(required=False, allow_null=True, default=None)
    inclusion_end = serializers.DateField(required=False, allow_null=True, default=None)
    family_case_id = _id(required=False, allow_null=True, default=None)
    role = serializers.ChoiceField(
        choices=MemberRole.choices, required=False, default=MemberRole.SUBJECT
    )
    contact_cadence_days = serializers.IntegerField(
        required=False, default=14, min_value=1, max_value=90
    )


class ContactIn(serializers.Serializer):
    person_id = _id()
    contact_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)


class ReviewIn(serializers.Serializer):
    held_on = serializers.DateField()
    suitable = serializers.CharField(max_length=TEXT_MAX)
    necessary = serializers.CharField(max_length=TEXT_MAX)
    balanced = serializers.CharField(max_length=TEXT_MAX)
    outcome = serializers.ChoiceField(choices=Review.Outcome.choices)
    next_review_due = serializers.DateField(required=False, allow_null=True, default=None)
    exit_reason = serializers.ChoiceField(
        choices=EXIT_REASON_CHOICES,
        required=False,
        allow_blank=True,
        default="",
        help_text="At exit (required): why the case ends. Empty when the outcome is continue.",
    )
    enrolments = serializers.DictField(
        child=serializers.ChoiceField(choices=ExitChoice.choices),
        required=False,
        default=dict,
        help_text="At exit: for every open enrolment (id → end | handover) what becomes of it.",
    )
    actions = serializers.DictField(
        child=serializers.ChoiceField(choices=ExitChoice.choices),
        required=False,
        default=dict,
        help_text="At exit: for every open plan action (id → end | handover) what becomes of it.",
    )


class ZrmIn(serializers.Serializer):
    person_id = _id()
    assessed_on = serializers.DateField()
    version = serializers.CharField(max_length=20, required=False, default="ZRM 2017")
    assessor_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5),
        help_text="ZRM 2017 domain → 1..5: " + ", ".join(ZrmDomain.values),
    )


class GoalIn(serializers.Serializer):
    domain = serializers.ChoiceField(choices=ZrmDomain.choices)
    description = serializers.CharField(max_length=300)
    person_id = _id(required=False, allow_null=True, default=None)


class ActionIn(serializers.Serializer):
    goal_id = _id()
    description = serializers.CharField(max_length=300)
    organisation_id = _id()
    owner_name = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    person_id = _id(required=False, allow_null=True, default=None)


class RelationIn(serializers.Serializer):
    from_person_id = _id()
    kind = serializers.ChoiceField(choices=RelationKind.choices)
    recorded_on = serializers.DateField()
    to_person_id = _id(required=False, allow_null=True, default=None)
    to_given_names = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=120
    )
    to_surname = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class RecordIn(serializers.Serializer):
    category = serializers.ChoiceField(choices=DataCategory.choices)
    kind = serializers.ChoiceField(
        choices=RecordKind.choices, required=False, default=RecordKind.OTHER
    )
    occurred_on = serializers.DateField()
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)
    person_id = _id(required=False, allow_null=True, default=None)


class EnrolIn(serializers.Serializer):
    programme_id = _id()
    person_id = _id()
    requested_on = serializers.DateField()


class EnrolmentEventIn(serializers.Serializer):
    event = serializers.ChoiceField(choices=["attendance", "complete", "drop"])
    on = serializers.DateField()
    sessions_planned = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=1000
    )
    sessions_attended = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=1000
    )
    positive = serializers.BooleanField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class Created(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField(allow_null=True, required=False)
    status = serializers.CharField(required=False)


class _Write(APIView):
    permission_classes = [HasCapability]
    capability = C.CASES_VIEW
    input_class = None

    def call(self, request, pk, data):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, pk=None):
        ser = self.input_class(data=request.data)
        ser.is_valid(raise_exception=True)
        obj = self.call(request, pk, ser.validated_data)
        body = {"id": obj.pk, "case_id": getattr(obj, "case_id", None)}
        if hasattr(obj, "status"):
            body["status"] = obj.status
        return Response(body, status=status.HTTP_201_CREATED)


def _write_view(name, input_class, call, capability=C.CASES_VIEW):
    """A write endpoint: ``input_class`` parses the body, ``call`` does the action.

    Each view gets a ``post`` of its own to carry its schema: extend_schema marks the function
    it decorates, and on the shared ``_Write.post`` the last endpoint's body would win for all."""

    def post(self, request, pk=None):
        return _Write.post(self, request, pk)

    return type(
        name,
        (_Write,),
        {
            "input_class": input_class,
            "capability": capability,
            "call": lambda self, request, pk, d: call(request.user, pk, d),
            "post": extend_schema(request=input_class, responses={201: Created})(post),
        },
    )


ConcernCreate = _write_view(
    "ConcernCreate",
    ConcernIn,
    lambda u, pk, d: actions.do_report_concern(u, **d),
    C.CONCERNS_REPORT,
)
DecisionCreate = _write_view(
    "DecisionCreate", DecisionIn, lambda u, pk, d: actions.do_decide(u, pk, **d), C.CASES_MANAGE
)
ContactCreate = _write_view(
    "ContactCreate",
    ContactIn,
    lambda u, pk, d: actions.do_log_contact(u, pk, person_id=d.pop("person_id"), **d),
)
ReviewCreate = _write_view(
    "ReviewCreate", ReviewIn, lambda u, pk, d: actions.do_review(u, pk, **d), C.CASES_MANAGE
)
ZrmCreate = _write_view(
    "ZrmCreate",
    ZrmIn,
    lambda u, pk, d: actions.do_add_zrm(u, pk, person_id=d.pop("person_id"), **d),
)
GoalCreate = _write_view(
    "GoalCreate", GoalIn, lambda u, pk, d: actions.do_add_goal(u, pk, **d), C.CASES_MANAGE
)
ActionCreate = _write_view(
    "ActionCreate",
    ActionIn,
    lambda u, pk, d: actions.do_add_action(u, d.pop("goal_id"), case_id=pk, **d),
)
RelationCreate = _write_view(
    "RelationCreate", RelationIn, lambda u, pk, d: actions.do_add_relation(u, pk, **d)
)
RecordCreate = _write_view(
    "CareersRecordCreate", RecordIn, lambda u, pk, d: actions.do_add_case_record(u, pk, **d)
)
EnrolCreate = _write_view(
    "EnrolCreate", EnrolIn, lambda u, pk, d: actions.do_enrol(u, pk, **d), C.CASES_MANAGE
)
EnrolmentEvent = _write_view(
    "EnrolmentEvent",
    EnrolmentEventIn,
    lambda u, pk, d: actions.do_update_enrolment(u, pk, **d),
    C.CASES_MANAGE,
)


class Dossier(APIView):
    """Everything of a case the caller may see (need-to-know per data category); audited read."""

    permission_classes = [HasCapability]
    capability = C.CASES_VIEW

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        case, categories = access.get_case_for_user(request.user, pk)
        d = selectors.dossier(request.user, case, categories)
        see = lambda part: policy.CASE_PART_CATEGORIES[part] in categories  # noqa: E731
        label = lambda p: selectors.person_label(p, categories)  # noqa: E731
        body = {
            "id": case.pk,
            "reference": case.reference,
            "kind": case.kind,
            "status": case.status,
            "opened_on": case.opened_on,
            "closed_on": case.closed_on,
            "exit_reason": case.exit_reason,
            "next_review_due": case.next_review_due,
            "inclusion_end": case.inclusion_end,
            "contact_cadence_days": case.contact_cadence_days,
            "visible_categories": sorted(categories),
            "members": [
                {
                    "person_id": m["person"].pk,
                    "name": m["label"],
                    "role": m["role"],
                    "since": m["since"],
                }
                for m in d["members"]
            ],
            "records": [
                {
                    "id": r.pk,
                    "kind": r.kind,
                    "category": r.category,
                    "organisation": r.organisation.code,
                    "occurred_on": r.occurred_on,
                    "title": r.title,
                    "text": r.text,
                }
                for r in d["records"]
            ],
            "goals": [
                {
                    "id": g["goal"].pk,
                    "domain": g["goal"].domain,
                    "description": g["goal"].description,
                    "actions": [
                        {
                            "id": a.pk,
                            "description": a.description,
                            "organisation": a.organisation.code,
                            "owner_name": a.owner_name,
                            "due_on": a.due_on,
                            "status": a.status,
                        }
                        for a in g["actions"]
                    ],
                }
                for g in d["goals"]
            ],
        }
        if see("decisions"):
            body["decisions"] = [
                {
                    "id": x.pk,
                    "decided_on": x.decided_on,
                    "outcome": x.outcome,
                    "reasons": x.reasons,
                    "legal_basis": x.legal_basis,
                    "criteria": [c.code for c in x.criteria.all()],
                    "criteria_text": x.criteria_text,
                    "partners": [p.code for p in x.partners.all()],
                    "review_due": x.review_due,
                    "inclusion_end": x.inclusion_end,
                }
                for x in d["decisions"]
            ]
        if see("reviews"):
            body["reviews"] = [
                {
                    "held_on": r.held_on,
                    "suitable": r.suitable,
                    "necessary": r.necessary,
                    "balanced": r.balanced,
                    "outcome": r.outcome,
                    "next_review_due": r.next_review_due,
                }
                for r in d["reviews"]
            ]
        if see("zrm"):
            body["zrm"] = [
                {
                    "person": a.person_id,
                    "assessed_on": a.assessed_on,
                    "version": a.version,
                    "assessor": a.assessor_name,
                    "scores": a.scores,
                }
                for a in case.zrm_assessments.all()
            ]
        if see("contacts"):
            body["contacts"] = [
                {
                    "person": label(c.person),
                    "contact_on": c.contact_on,
                    "kind": c.kind,
                    "organisation": c.organisation.code,
                    "note": c.note,
                }
                for c in d["contacts"]
            ]
        if see("enrolments"):
            body["enrolments"] = [
                {
                    "id": e.pk,
                    "programme": e.programme.name,
                    "status": e.status,
                    "requested_on": e.requested_on,
                    "started_on": e.started_on,
                    "ended_on": e.ended_on,
                    "job_status": e.job_status,
                }
                for e in d["enrolments"]
            ]
        if see("relations"):
            body["relations"] = [
                {
                    "from": label(r.from_person),
                    "to": label(r.to_person),
                    "kind": r.kind,
                    "source": r.source.code,
                    "recorded_on": r.recorded_on,
                }
                for r in d["relations"]
            ]
        if d["manager"]:
            body["alerts"] = [
                {"id": a.pk, "kind": a.kind, "created_on": a.created_on, "message": a.message}
                for a in d["alerts"]
            ]
        return Response(body)


class AlertOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.CharField(help_text="The case's reference.")
    case_id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=AlertKind.choices)
    created_on = serializers.DateField()
    message = serializers.CharField()


class Alerts(APIView):
    """The open alerts of the caller's cases (a list)."""

    permission_classes = [HasCapability]
    capability = C.CASES_MANAGE

    @extend_schema(responses={200: AlertOut(many=True)})
    def get(self, request):
        return Response(
            [
                {
                    "id": a.pk,
                    "case": a.case.reference,
                    "case_id": a.case_id,
                    "kind": a.kind,
                    "created_on": a.created_on,
                    "message": a.message,
                }
                for a in selectors.director_alerts(request.user)
            ]
        )


class Catalogue(APIView):
    permission_classes = [HasCapability]
    capability = C.CASES_VIEW

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(
            {
                "interventions": [
                    {
                        "id": i.pk,
                        "name": i.name,
                        "provider": i.provider,
                        "recognition": i.recognition,
                        "type": i.type,
                        "in_detention": i.in_detention,
                    }
                    for i in Intervention.objects.all()
                ],
                "programmes": [
                    {
                        "id": p.pk,
                        "name": p.name,
                        "intervention": p.intervention.name,
                        "capacity": p.capacity,
                        "active": p.active,
                        "waiting": p.waiting,
                        "has_job_guarantee": p.has_job_guarantee,
                    }
                    for p in selectors.programme_rows()
                ],
                "vog_guidance": [
                    {
                        "id": v.pk,
                        "job": v.job,
                        "needs_vog": v.needs_vog,
                        "screening_profile": v.screening_profile,
                        "functieaspecten": v.functieaspecten,
                        "verified": v.verified,
                    }
                    for v in VogGuidance.objects.all()
                ],
            }
        )


class Outcomes(APIView):
    """Aggregates only; counts under 5 as "<5"."""

    permission_classes = [HasCapability]
    capability = C.MONITORING_VIEW

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        today = timezone.localdate()
        programmes = [
            {
                "programme": r["programme"].name,
                "figures": {k: v for k, v in r["figures"].items() if not k.startswith("_")},
                "comparison": r["comparison"],
            }
            for r in selectors.programme_outcomes(today)
        ]
        return Response({"programmes": programmes, "persons": selectors.person_outcomes(today)})


# --- the case list, case and case records (/api/v1/cases/...) --------------------------


class CaseListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "reference", "kind", "status", "opened_on", "closed_on"]


class CaseRecordSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code", read_only=True)

    class Meta:
        model = CaseRecord
        fields = ["id", "category", "organisation", "occurred_on", "title", "text"]


class CaseRecordCreateSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=DataCategory.choices)
    occurred_on = serializers.DateField()
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)


class CaseDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    exit_reason = serializers.CharField(
        allow_blank=True,
        help_text="Why the case ended (ExitReason); empty while the case is open.",
    )
    subject = serializers.CharField(
        help_text="Name where the identity category is allowed, else the pseudonym."
    )
    visible_categories = serializers.ListField(child=serializers.CharField())
    records = CaseRecordSerializer(many=True)


class CaseList(PolicyView, generics.ListAPIView):
    capability = C.CASES_VIEW
    serializer_class = CaseListSerializer

    def get_queryset(self):
        return access.visible_cases(self.request.user).order_by("-opened_on", "id")


class CaseDetail(PolicyView, APIView):
    capability = C.CASES_VIEW

    @extend_schema(responses=CaseDetailSerializer)
    def get(self, request, pk: int):
        case, categories = access.get_case_for_user(request.user, pk)
        subject = case.subject
        if subject is None:
            label = ""
        elif DataCategory.IDENTITY in categories and not subject.anonymised:
            label = subject.full_name
        else:
            label = subject.pseudonym
        data = {
            "id": case.pk,
            "reference": case.reference,
            "kind": case.kind,
            "status": case.status,
            "opened_on": case.opened_on,
            "closed_on": case.closed_on,
            "exit_reason": case.exit_reason,
            "subject": label,
            "visible_categories": sorted(categories),
            "records": [
                r for r in case.records.select_related("organisation") if r.category in categories
            ],
        }
        return Response(CaseDetailSerializer(data).data)


class CaseRecordCreate(PolicyView, APIView):
    capability = C.CASES_VIEW

    @extend_schema(request=CaseRecordCreateSerializer, responses={201: CaseRecordSerializer})
    def post(self, request, pk: int):
        ser = CaseRecordCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        record = actions.do_add_case_record(request.user, pk, **ser.validated_data)
        return Response(CaseRecordSerializer(record).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("cases/", CaseList.as_view(), name="api_cases"),
    path("cases/<int:pk>/", CaseDetail.as_view(), name="api_case"),
    path("cases/<int:pk>/records/", CaseRecordCreate.as_view(), name="api_case_records"),
    path("careers/concerns/", ConcernCreate.as_view(), name="api_concerns"),
    path(
        "careers/concerns/<int:pk>/decision/", DecisionCreate.as_view(), name="api_concern_decision"
    ),
    path("careers/cases/<int:pk>/", Dossier.as_view(), name="api_dossier"),
    path("careers/cases/<int:pk>/contacts/", ContactCreate.as_view(), name="api_contacts"),
    path("careers/cases/<int:pk>/reviews/", ReviewCreate.as_view(), name="api_reviews"),
    path("careers/cases/<int:pk>/zrm/", ZrmCreate.as_view(), name="api_zrm"),
    path("careers/cases/<int:pk>/goals/", GoalCreate.as_view(), name="api_goals"),
    path("careers/cases/<int:pk>/actions/", ActionCreate.as_view(), name="api_actions"),
    path("careers/cases/<int:pk>/relations/", RelationCreate.as_view(), name="api_relations"),
    path("careers/cases/<int:pk>/records/", RecordCreate.as_view(), name="api_careers_records"),
    path("careers/cases/<int:pk>/enrolments/", EnrolCreate.as_view(), name="api_enrolments"),
    path(
        "careers/enrolments/<int:pk>/events/", EnrolmentEvent.as_view(), name="api_enrolment_events"
    ),
    path("careers/alerts/", Alerts.as_view(), name="api_alerts"),
    path("careers/catalogue/", Catalogue.as_view(), name="api_catalogue"),
    path("careers/outcomes/", Outcomes.as_view(), name="api_outcomes"),
]
