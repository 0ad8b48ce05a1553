"""API of the privacy app: the processing register (verwerkingsregister)."""

from __future__ import annotations

from django.urls import path
from rest_framework import generics, serializers

from doorbraak.api.base import PolicyView
from doorbraak.limits import TEXT_MAX
from doorbraak.partners.models import DataCategory, Organisation, Purpose
from doorbraak.policy import Capability as C

from . import actions
from .models import ProcessingActivity


class ProcessingActivitySerializer(serializers.ModelSerializer):
    data_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices), allow_empty=False
    )
    controller = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all()
    )
    purpose = serializers.SlugRelatedField(slug_field="code", queryset=Purpose.objects.all())
    retention_days = serializers.IntegerField(min_value=1, max_value=36500)

    class Meta:
        model = ProcessingActivity
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "controller",
            "purpose",
            "legal_basis",
            "data_categories",
            "retention_days",
            "retention_action",
            "retention_trigger",
            "recipients",
            "refreshed_on",
        ]
        extra_kwargs = {
            "legal_basis": {"max_length": TEXT_MAX},
            "recipients": {"max_length": TEXT_MAX},
        }


class ProcessingActivityList(PolicyView, generics.ListCreateAPIView):
    serializer_class = ProcessingActivitySerializer
    queryset = ProcessingActivity.objects.select_related("controller", "purpose")

    @property
    def capability(self):
        return C.PRIVACY_MANAGE if self.request.method == "POST" else C.LEGAL_VIEW

    def perform_create(self, serializer):
        serializer.instance = actions.do_create_processing_activity(
            self.request.user, **serializer.validated_data
        )


urlpatterns = [
    path(
        "processing-activities/",
        ProcessingActivityList.as_view(),
        name="api_processing_activities",
    ),
]
