"""Monitoring's API: the protected tables of the dashboard (area and period as query
parameters). Keeps the old `tables` field ({title: [{label, count}]}, the category totals per
row) and adds the full tables."""

from __future__ import annotations

from datetime import date

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from doorbraak.api.permissions import HasCapability
from doorbraak.policy import Capability as C

from . import figures as F
from . import report as R


class MonitoringFigureTableSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField()
    header = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class MonitoringReportSerializer(serializers.Serializer):
    tables = serializers.DictField(child=serializers.ListField(child=serializers.DictField()))
    area = serializers.CharField()
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    made_at = serializers.DateTimeField()
    figures = MonitoringFigureTableSerializer(many=True)


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class MonitoringView(APIView):
    permission_classes = [HasCapability]
    capability = C.MONITORING_VIEW

    @extend_schema(responses=MonitoringReportSerializer)
    def get(self, request):
        area = request.query_params.get("area", "")
        if area not in dict(F.area_choices()):
            area = ""
        rep = R.build(
            area, _date(request.query_params.get("from")), _date(request.query_params.get("to"))
        )
        tables = list(rep.tables())
        legacy = {}
        for t in tables:
            legacy[t.title] = [{"label": r[0], "count": r[-1]} for r in t.rows]
        data = {
            "tables": legacy,
            "area": area,
            "period_from": rep.start,
            "period_to": rep.end,
            "made_at": rep.made_at,
            "figures": [
                {
                    "code": t.code,
                    "title": t.title,
                    "definition": t.definition,
                    "header": t.header,
                    "rows": t.rows,
                }
                for t in tables
            ],
        }
        return Response(MonitoringReportSerializer(data).data)


urlpatterns = [
    path("monitoring/", MonitoringView.as_view(), name="api_monitoring"),
]
