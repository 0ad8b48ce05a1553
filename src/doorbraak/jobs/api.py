"""API: `/api/v1/jobs/` (my jobs; ?all=1 for supervisors) and `/api/v1/jobs/<id>/`."""

from __future__ import annotations

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import access, progress
from .models import Job


class JobSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    requested_by = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    result_file_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "requested_by",
            "progress",
            "progress_note",
            "summary",
            "error",
            "result_url",
            "result_file_url",
            "attempts",
            "max_attempts",
            "scheduled_for",
            "created_at",
            "started_at",
            "finished_at",
            "url",
        ]

    def to_representation(self, job):
        return super().to_representation(progress.overlay(job))  # a running job's latest figure

    def get_url(self, job) -> str:
        return reverse("job_detail", kwargs={"pk": job.pk})

    def get_result_file_url(self, job) -> str:
        return reverse("job_result", kwargs={"pk": job.pk}) if job.result_file else ""


class JobDetailSerializer(JobSerializer):
    result = serializers.SerializerMethodField()

    class Meta(JobSerializer.Meta):
        fields = [*JobSerializer.Meta.fields, "result"]

    def get_result(self, job) -> dict:
        return self.context.get("data") or {}


class JobList(generics.ListAPIView):
    serializer_class = JobSerializer

    def get_queryset(self):
        return access.visible_jobs(
            self.request.user, everyone=self.request.query_params.get("all") == "1"
        )


class JobDetail(APIView):
    @extend_schema(responses=JobDetailSerializer)
    def get(self, request, pk: int):
        job = access.get_job_for_user(request.user, pk)
        # While the job runs (the status page polls this) there is no result data to read.
        data = access.result_data(request.user, job) if job.finished else {}
        return Response(JobDetailSerializer(job, context={"data": data}).data)


urlpatterns = [
    path("jobs/", JobList.as_view(), name="api_jobs"),
    path("jobs/<int:pk>/", JobDetail.as_view(), name="api_job"),
]
