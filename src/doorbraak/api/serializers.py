"""API contracts (kept apart from the models)."""

from __future__ import annotations

from rest_framework import serializers

from doorbraak.audit.models import AuditEntry
from doorbraak.careers.models import Case, CaseRecord
from doorbraak.limits import TEXT_MAX
from doorbraak.partners.models import DataCategory, Organisation, OrganisationKind, Purpose
from doorbraak.privacy.models import ProcessingActivity
from doorbraak.registers.models import Company, Premises


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


class CaseListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "reference", "kind", "status", "opened_on", "closed_on"]


class CaseRecordSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code", read_only=True)

    class Meta:
        model = CaseRecord
        fields = ["id", "category", "organisation", "occurred_on", "title", "text"]


class CaseRecordCreateSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=DataCategory.choices)
    occurred_on = serializers.DateField()
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)


class CaseDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    subject = serializers.CharField(
        help_text="Name where the identity category is allowed, else the pseudonym."
    )
    visible_categories = serializers.ListField(child=serializers.CharField())
    records = CaseRecordSerializer(many=True)


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


class MonitoringSerializer(serializers.Serializer):
    tables = serializers.DictField(child=serializers.ListField(child=serializers.DictField()))
