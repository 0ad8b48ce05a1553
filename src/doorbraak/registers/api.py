"""API of the registers: premises, companies and persons (pseudonymised unless revealed)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from doorbraak.api.base import PolicyView
from doorbraak.policy import Capability as C
from doorbraak.web.display import person_label

from . import access, selectors
from .models import Company, Premises


class PremisesSerializer(serializers.ModelSerializer):
    address = serializers.CharField(read_only=True)

    class Meta:
        model = Premises
        fields = [
            "id",
            "bag_id",
            "address",
            "postcode",
            "wijk",
            "area",
            "use",
            "floor_area",
            "lat",
            "lon",
        ]


class CompanySerializer(serializers.ModelSerializer):
    class Meta:
        model = Company
        fields = [
            "id",
            "kvk_number",
            "name",
            "trade_name",
            "legal_form",
            "sbi_code",
            "sbi_description",
            "registered_on",
            "establishment",
        ]


class PersonPseudonymSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    pseudonym = serializers.CharField()
    name = serializers.CharField(allow_null=True, help_text="Only when revealed with a purpose.")
    functions = serializers.ListField(child=serializers.DictField())


class PremisesList(PolicyView, generics.ListAPIView):
    capability = C.REGISTERS_VIEW
    serializer_class = PremisesSerializer

    def get_queryset(self):
        p = self.request.query_params
        return selectors.premises_search(
            p.get("wijk", ""), p.get("area", ""), p.get("use", ""), p.get("q", "")
        )


class PremisesDetail(PolicyView, generics.RetrieveAPIView):
    capability = C.REGISTERS_VIEW
    serializer_class = PremisesSerializer
    queryset = Premises.objects.all()

    def get_object(self):
        return access.get_premises_for_user(self.request.user, self.kwargs["pk"])


class CompanyList(PolicyView, generics.ListAPIView):
    capability = C.REGISTERS_VIEW
    serializer_class = CompanySerializer

    def get_queryset(self):
        p = self.request.query_params
        return selectors.company_search(
            p.get("wijk", ""), p.get("area", ""), p.get("sbi", ""), p.get("q", "")
        )


class CompanyDetail(PolicyView, generics.RetrieveAPIView):
    capability = C.REGISTERS_VIEW
    serializer_class = CompanySerializer
    queryset = Company.objects.all()

    def get_object(self):
        return access.get_company_for_user(self.request.user, self.kwargs["pk"])


class PersonDetail(PolicyView, APIView):
    capability = C.REGISTER_PERSONS

    @extend_schema(responses=PersonPseudonymSerializer)
    def get(self, request, pk: int):
        person, revealed = access.get_person_for_user(
            request.user, pk, session=request.session, via="api"
        )
        label = person_label(request.user, person, request.session)
        functions = [
            {"company": f.company.kvk_number, "role": f.role, "since": f.since.isoformat()}
            for f in person.functions.select_related("company")
        ]
        return Response(
            PersonPseudonymSerializer(
                {
                    "id": person.pk,
                    "pseudonym": person.pseudonym,
                    "name": label if revealed else None,
                    "functions": functions,
                }
            ).data
        )


urlpatterns = [
    path("premises/", PremisesList.as_view(), name="api_premises"),
    path("premises/<int:pk>/", PremisesDetail.as_view(), name="api_premises_detail"),
    path("companies/", CompanyList.as_view(), name="api_companies"),
    path("companies/<int:pk>/", CompanyDetail.as_view(), name="api_company"),
    path("persons/<int:pk>/", PersonDetail.as_view(), name="api_person"),
]
