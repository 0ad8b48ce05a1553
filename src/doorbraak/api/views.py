"""The monitoring figures in the API (moves to the monitoring app). Every other API view lives in
its app's ``api.py``; the toolkit here is ``base``, ``problems``, ``permissions``, ``authentication``
and ``docs``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from doorbraak.policy import Capability as C
from doorbraak.web.home import monitoring_figures

from . import serializers as s
from .base import PolicyView


class MonitoringView(PolicyView, APIView):
    capability = C.MONITORING_VIEW

    @extend_schema(responses=s.MonitoringSerializer)
    def get(self, request):
        return Response(monitoring_figures())
