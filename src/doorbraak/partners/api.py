"""API of the partners app: who am I (/api/v1/me/) and the organisations."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from doorbraak import policy
from doorbraak.api.base import PolicyView
from doorbraak.policy import Capability as C

from . import actions
from .models import Organisation, OrganisationKind


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    organisation = serializers.CharField(allow_null=True)
    role = serializers.CharField()
    capabilities = serializers.ListField(child=serializers.CharField())


class OrganisationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)

    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "kind", "parent", "active"]


class MeView(PolicyView, APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        u = request.user
        caps = sorted(policy.capabilities_of(u.role))
        return Response(
            MeSerializer(
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
    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.all()

    def perform_create(self, serializer):
        serializer.instance = actions.do_save_organisation(
            self.request.user, None, **serializer.validated_data
        )


urlpatterns = [
    path("me/", MeView.as_view(), name="api_me"),
    path("organisations/", OrganisationList.as_view(), name="api_organisations"),
]
