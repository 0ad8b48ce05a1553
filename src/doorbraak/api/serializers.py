"""The monitoring figures' contract (moves to the monitoring app with the view)."""

from __future__ import annotations

from rest_framework import serializers


class MonitoringSerializer(serializers.Serializer):
    tables = serializers.DictField(child=serializers.ListField(child=serializers.DictField()))
