"""Changes through the Django admin (where SSO group mappings are kept) land in the audit chain,
and a change that fails leaves neither the change nor an entry."""

from __future__ import annotations

from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.partners.models import Role
from doorbraak.sso.models import SsoGroupMapping
from tests.conftest import login


def _admin_entries():
    return AuditEntry.objects.filter(detail__via="django-admin").order_by("pk")


def test_sso_group_mapping_add_change_delete_are_audited(client, world):
    admin = world.users["administrator"]
    login(client, admin)
    riec = world.orgs["riec"]
    add = reverse("admin:sso_ssogroupmapping_add")
    r = client.post(
        add, {"group": "GG-Doorbraak-Analisten", "role": Role.ANALYST, "organisation": riec.pk}
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    mapping = SsoGroupMapping.objects.get(group="GG-Doorbraak-Analisten")
    created = _admin_entries().get()
    assert (created.action, created.username, created.role) == ("create", "beheer", "administrator")
    assert (created.object_type, created.object_id) == ("sso.ssogroupmapping", str(mapping.pk))

    change = reverse("admin:sso_ssogroupmapping_change", args=[mapping.pk])
    r = client.post(
        change, {"group": mapping.group, "role": Role.CASE_DIRECTOR, "organisation": riec.pk}
    )
    assert r.status_code == 302
    updated = _admin_entries().last()
    assert updated.action == "update" and "rol" in updated.detail["change"].lower()

    delete = reverse("admin:sso_ssogroupmapping_delete", args=[mapping.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not SsoGroupMapping.objects.exists()
    assert list(_admin_entries().values_list("action", flat=True)) == [
        "create",
        "update",
        "delete",
    ]


def test_invalid_admin_change_writes_nothing(client, world):
    login(client, world.users["administrator"])
    r = client.post(reverse("admin:sso_ssogroupmapping_add"), {"group": "", "role": "nonsense"})
    assert r.status_code == 200  # the form again, with its errors
    assert not SsoGroupMapping.objects.exists()
    assert not _admin_entries().exists()


def test_non_administrators_cannot_use_the_admin(client, world):
    login(client, world.users["analyst"])
    r = client.post(
        reverse("admin:sso_ssogroupmapping_add"),
        {"group": "GG-X", "role": Role.ADMINISTRATOR, "organisation": world.orgs["riec"].pk},
    )
    assert r.status_code in (302, 403)
    assert not SsoGroupMapping.objects.exists()
    assert not _admin_entries().exists()
