"""API views: parse input, ask the policy layer, call one action or selector, serialize."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from doorbraak import policy
from doorbraak.audit import selectors as audit_selectors
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.careers import actions as case_actions
from doorbraak.partners.models import DataCategory, Organisation
from doorbraak.policy import Capability as C
from doorbraak.privacy.models import ProcessingActivity
from doorbraak.registers import selectors as registers
from doorbraak.registers.models import Company, Person, Premises
from doorbraak.web.display import person_label
from doorbraak.web.home import monitoring_figures

from . import serializers as s
from .permissions import HasCapability


class PolicyView:
    permission_classes = [HasCapability]
    capability: str | None = None


class MeView(PolicyView, APIView):
    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        u = request.user
        caps = sorted(policy.ROLE_CAPABILITIES.get(u.role, frozenset()))
        return Response(
            s.MeSerializer(
                {
                    "username": u.username,
                    "organisation": u.organisation.code if u.organisation else None,
                    "role": u.role,
                    "capabilities": caps,
                }
            ).data
        )


class OrganisationList(PolicyView, generics.ListCreateAPIView):
    capability = C.PARTNERS_MANAGE
    serializer_class = s.OrganisationSerializer
    queryset = Organisation.objects.all()

    def perform_create(self, serializer):
        with transaction.atomic():
            org = serializer.save()
            audit.record(
                AuditAction.CREATE,
                user=self.request.user,
                purpose=policy.PURPOSE_MANAGEMENT,
                object_type="organisation",
                object_id=org.pk,
            )


class CaseList(PolicyView, generics.ListAPIView):
    capability = C.CASES_VIEW
    serializer_class = s.CaseListSerializer

    def get_queryset(self):
        return policy.visible_cases(self.request.user).order_by("-opened_on", "id")


class CaseDetail(PolicyView, APIView):
    capability = C.CASES_VIEW

    @extend_schema(responses=s.CaseDetailSerializer)
    def get(self, request, pk: int):
        case, categories = policy.get_case_for_user(request.user, pk)
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
            "subject": label,
            "visible_categories": sorted(categories),
            "records": [
                r for r in case.records.select_related("organisation") if r.category in categories
            ],
        }
        return Response(s.CaseDetailSerializer(data).data)


class CaseRecordCreate(PolicyView, APIView):
    capability = C.CASES_VIEW

    @extend_schema(request=s.CaseRecordCreateSerializer, responses={201: s.CaseRecordSerializer})
    def post(self, request, pk: int):
        ser = s.CaseRecordCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        record = case_actions.do_add_case_record(request.user, pk, **ser.validated_data)
        return Response(s.CaseRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class PremisesList(PolicyView, generics.ListAPIView):
    capability = C.REGISTERS_VIEW
    serializer_class = s.PremisesSerializer

    def get_queryset(self):
        p = self.request.query_params
        return registers.premises_search(
            p.get("wijk", ""), p.get("area", ""), p.get("use", ""), p.get("q", "")
        )


class PremisesDetail(PolicyView, generics.RetrieveAPIView):
    capability = C.REGISTERS_VIEW
    serializer_class = s.PremisesSerializer
    queryset = Premises.objects.all()


class CompanyList(PolicyView, generics.ListAPIView):
    capability = C.REGISTERS_VIEW
    serializer_class = s.CompanySerializer

    def get_queryset(self):
        p = self.request.query_params
        return registers.company_search(
            p.get("wijk", ""), p.get("area", ""), p.get("sbi", ""), p.get("q", "")
        )


class CompanyDetail(PolicyView, generics.RetrieveAPIView):
    capability = C.REGISTERS_VIEW
    serializer_class = s.CompanySerializer
    queryset = Company.objects.all()


class PersonDetail(PolicyView, APIView):
    capability = C.REGISTER_PERSONS

    @extend_schema(responses=s.PersonPseudonymSerializer)
    def get(self, request, pk: int):
        person = get_object_or_404(Person, pk=pk)
        label = person_label(request.user, person, request.session)
        revealed = policy.shows_identity(request.user, person, request.session)
        audit.record(
            AuditAction.READ,
            user=request.user,
            purpose=policy.register_purpose(request.user),
            object_type="person",
            object_id=person.pk,
            categories=[DataCategory.IDENTITY] if revealed else [],
            detail={"pseudonymised": not revealed, "via": "api"},
        )
        functions = [
            {"company": f.company.kvk_number, "role": f.role, "since": f.since.isoformat()}
            for f in person.functions.select_related("company")
        ]
        return Response(
            s.PersonPseudonymSerializer(
                {
                    "id": person.pk,
                    "pseudonym": person.pseudonym,
                    "name": label if revealed else None,
                    "functions": functions,
                }
            ).data
        )


class ProcessingActivityList(PolicyView, generics.ListCreateAPIView):
    serializer_class = s.ProcessingActivitySerializer
    queryset = ProcessingActivity.objects.select_related("controller", "purpose")

    @property
    def capability(self):
        return C.PRIVACY_MANAGE if self.request.method == "POST" else C.LEGAL_VIEW

    def perform_create(self, serializer):
        with transaction.atomic():
            activity = serializer.save()
            audit.record(
                AuditAction.CREATE,
                user=self.request.user,
                purpose=policy.PURPOSE_PRIVACY,
                object_type="processing_activity",
                object_id=activity.pk,
            )


class AuditEntryList(PolicyView, generics.ListAPIView):
    capability = C.AUDIT_VIEW
    serializer_class = s.AuditEntrySerializer

    def get_queryset(self):
        form, qs = audit_selectors.search(self.request.query_params)
        if form.is_bound and not form.is_valid():
            from rest_framework.exceptions import ValidationError

            raise ValidationError(form.errors)
        return qs


class AuditChainVerify(PolicyView, APIView):
    capability = C.AUDIT_VIEW

    @extend_schema(responses=s.ChainReportSerializer)
    def get(self, request):
        report = audit.verify_chain()
        return Response(s.ChainReportSerializer(report.__dict__).data)


class MonitoringView(PolicyView, APIView):
    capability = C.MONITORING_VIEW

    @extend_schema(responses=s.MonitoringSerializer)
    def get(self, request):
        return Response(monitoring_figures())
