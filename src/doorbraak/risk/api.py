"""Risk picture API (/api/v1/risk/...): runs, results per area, one object's result. For
analysts and enforcement officers (RISK_VIEW). Premises and companies only: no person is ever
scored or listed (an officer is at most a record key behind a company indicator: its KvK number)."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from doorbraak.api.permissions import HasCapability
from doorbraak.policy import Capability as C

from . import access, display, selectors
from .models import ObjectType, RiskResult, RiskRun


class SourceRecordSerializer(serializers.Serializer):
    source = serializers.CharField()
    record = serializers.CharField()
    row = serializers.IntegerField()


class IndicatorSerializer(serializers.Serializer):
    id = serializers.CharField()
    level = serializers.CharField(required=False)
    value = serializers.FloatField(allow_null=True)
    weight = serializers.FloatField()
    via = serializers.ListField(child=serializers.CharField(), required=False)
    sources = SourceRecordSerializer(many=True)


class RunSerializer(serializers.ModelSerializer):
    rule_set = serializers.IntegerField(source="rule_set_id")

    class Meta:
        model = RiskRun
        fields = [
            "id",
            "rule_set",
            "rules_version",
            "rules_sha256",
            "as_of",
            "status",
            "counts",
            "not_evaluated",
            "snapshot",
            "snapshot_removed_at",
            "results_sha256",
            "code_version",
            "created_at",
            "finished_at",
        ]


class RunDetailSerializer(RunSerializer):
    class Meta(RunSerializer.Meta):
        fields = [*RunSerializer.Meta.fields, "parameters"]


class ResultSerializer(serializers.ModelSerializer):
    run = serializers.IntegerField(source="run_id")
    indicators = IndicatorSerializer(many=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = RiskResult
        fields = [
            "run",
            "object_type",
            "object_id",
            "label",
            "score",
            "rank",
            "wijk",
            "area",
            "sbi_code",
            "indicators",
            "url",
        ]

    def get_url(self, r) -> str:
        return display.object_url(r.object_type, r.object_id)


class _RiskView:
    permission_classes = [HasCapability]
    capability = C.RISK_VIEW


class RunList(_RiskView, generics.ListAPIView):
    serializer_class = RunSerializer

    def get_queryset(self):
        return selectors.runs().order_by("-created_at", "-id")


class RunDetail(_RiskView, APIView):
    @extend_schema(responses=RunDetailSerializer)
    def get(self, request, pk: int):
        run = access.get_run_for_user(request.user, pk)
        return Response(RunDetailSerializer(run).data)


def _float(text):
    if text in (None, ""):
        return None
    try:
        return float(str(text).replace(",", "."))
    except ValueError:
        raise serializers.ValidationError({"min_score": "geen getal"}) from None


class RunResults(_RiskView, generics.ListAPIView):
    """The ranked list of a run: ?area= (utrecht, a wijk or a focus area), object_type=,
    sector= (SBI prefix), indicator= (id), min_score=."""

    serializer_class = ResultSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("area", OpenApiTypes.STR),
            OpenApiParameter("object_type", OpenApiTypes.STR, enum=ObjectType.values),
            OpenApiParameter("sector", OpenApiTypes.STR),
            OpenApiParameter("indicator", OpenApiTypes.STR),
            OpenApiParameter("min_score", OpenApiTypes.NUMBER),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        run = access.get_run_for_user(self.request.user, self.kwargs["pk"])
        p = self.request.query_params
        area = p.get("area") or None
        if area and selectors.get_area(area) is None:
            raise serializers.ValidationError({"area": "onbekend gebied"})
        object_type = p.get("object_type") or None
        if object_type and object_type not in ObjectType.values:
            raise serializers.ValidationError({"object_type": "premises of company"})
        return selectors.results(
            run,
            area,
            object_type,
            (p.get("sector") or "")[:6] or None,
            (p.get("indicator") or "")[:60] or None,
            _float(p.get("min_score")),
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        page = getattr(self, "_page", None)
        if page is not None:
            access.audit_list(request.user, page)
        return response

    def paginate_queryset(self, queryset):
        self._page = super().paginate_queryset(queryset)
        return self._page


class ObjectResultOut(serializers.Serializer):
    run = serializers.IntegerField()
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    score = serializers.FloatField()
    rank = serializers.IntegerField(allow_null=True)
    indicators = IndicatorSerializer(many=True)


class ObjectResult(_RiskView, APIView):
    """One premises (BAG id) or company (KvK number) in a run (?run=, default the latest):
    score 0 and no indicators when nothing fires there."""

    @extend_schema(
        parameters=[OpenApiParameter("run", OpenApiTypes.INT)], responses=ObjectResultOut
    )
    def get(self, request, object_type: str, object_id: str):
        if object_type not in ObjectType.values:
            raise Http404
        pk = request.query_params.get("run")
        if pk is not None and not str(pk).isdigit():
            raise serializers.ValidationError({"run": "geen run-id"})
        run = access.run_for_user(request.user, pk)
        if run is None:
            raise Http404
        result = access.get_result_for_user(request.user, run, object_type, object_id)
        if result is None and display.subject(object_type, object_id) is None:
            raise Http404
        return Response(
            ObjectResultOut(
                {
                    "run": run.pk,
                    "object_type": object_type,
                    "object_id": object_id,
                    "score": result.score if result else 0.0,
                    "rank": result.rank if result else None,
                    "indicators": result.indicators if result else [],
                }
            ).data
        )


urlpatterns = [
    path("risk/runs/", RunList.as_view(), name="api_risk_runs"),
    path("risk/runs/<int:pk>/", RunDetail.as_view(), name="api_risk_run"),
    path("risk/runs/<int:pk>/results/", RunResults.as_view(), name="api_risk_results"),
    path(
        "risk/objects/<str:object_type>/<str:object_id>/",
        ObjectResult.as_view(),
        name="api_risk_object",
    ),
]
