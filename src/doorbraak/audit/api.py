"""API of the audit log: search the entries, verify the hash chain."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from doorbraak.api.base import PolicyView
from doorbraak.policy import Capability as C

from . import selectors, services
from .models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "occurred_at",
            "username",
            "organisation",
            "role",
            "purpose",
            "action",
            "object_type",
            "object_id",
            "data_categories",
            "request_id",
            "ip_address",
            "method",
            "path",
            "detail",
            "prev_hash",
            "entry_hash",
        ]


class ChainReportSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    checked = serializers.IntegerField()
    first_bad_id = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    unchained = serializers.IntegerField(help_text="Entries stored but not yet in the chain.")
    chained_now = serializers.IntegerField(help_text="Entries this check chained before verifying.")


class AuditEntryList(PolicyView, generics.ListAPIView):
    capability = C.AUDIT_VIEW
    serializer_class = AuditEntrySerializer

    def get_queryset(self):
        form, qs = selectors.search(self.request.query_params)
        if form.is_bound and not form.is_valid():
            from rest_framework.exceptions import ValidationError

            raise ValidationError(form.errors)
        return qs


class AuditChainVerify(PolicyView, APIView):
    capability = C.AUDIT_VIEW

    @extend_schema(responses=ChainReportSerializer)
    def get(self, request):
        report = services.verify_chain()
        return Response(ChainReportSerializer(report.__dict__).data)


urlpatterns = [
    path("audit-entries/", AuditEntryList.as_view(), name="api_audit_entries"),
    path("audit-entries/verify/", AuditChainVerify.as_view(), name="api_audit_verify"),
]
