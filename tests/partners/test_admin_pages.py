"""Administrators manage users, organisations and the covenant in the application: every page
and write for the administrator only (others are refused and the refusal audited), every write
audited, bad input a clear 400 that saves nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from doorbraak.audit.models import AuditEntry
from doorbraak.partners.models import CovenantGrant, Organisation, Role, User
from tests.conftest import login

ROLES = [
    "case_director",
    "partner_professional",
    "analyst",
    "enforcement_officer",
    "lawyer",
    "policy_staff",
    "privacy_officer",
]
NEW_USER = {
    "username": "nieuwe.collega",
    "first_name": "Noor",
    "last_name": "Jansen",
    "email": "noor@example.org",
    "role": Role.CASE_DIRECTOR,
    "password": "een-lang-beginwachtwoord-2026",
}


def _pages(world):
    user, org = world.users["school"], world.orgs["school"]
    return {
        "user_list": ("get", reverse("user_list"), {}),
        "user_create": ("get", reverse("user_create"), {}),
        "user_edit": ("get", reverse("user_edit", kwargs={"pk": user.pk}), {}),
        "organisation_list": ("get", reverse("organisation_list"), {}),
        "organisation_create": ("get", reverse("organisation_create"), {}),
        "organisation_edit": ("get", reverse("organisation_edit", kwargs={"pk": org.pk}), {}),
        "organisation_covenant": (
            "get",
            reverse("organisation_covenant", kwargs={"pk": org.pk}),
            {},
        ),
        "post user_create": ("post", reverse("user_create"), {**NEW_USER, "organisation": org.pk}),
        "post user_edit": (
            "post",
            reverse("user_edit", kwargs={"pk": user.pk}),
            {
                "username": "mentor",
                "first_name": "X",
                "last_name": "Y",
                "organisation": org.pk,
                "role": Role.CASE_DIRECTOR,
            },
        ),
        "post user_set_active": (
            "post",
            reverse("user_set_active", kwargs={"pk": user.pk}),
            {"active": "0"},
        ),
        "post user_reset_second_factor": (
            "post",
            reverse("user_reset_second_factor", kwargs={"pk": user.pk}),
            {},
        ),
        "post organisation_create": (
            "post",
            reverse("organisation_create"),
            {"code": "nieuw", "name": "Nieuw", "kind": "care", "active": "on"},
        ),
        "post organisation_covenant": (
            "post",
            reverse("organisation_covenant", kwargs={"pk": org.pk}),
            {"g-health-1": "on"},
        ),
        "covenant_create": ("get", reverse("covenant_create"), {}),
        "covenant_edit": ("get", reverse("covenant_edit", kwargs={"pk": _covenant().pk}), {}),
        "post covenant_create": ("post", reverse("covenant_create"), COVENANT),
        "post covenant_edit": (
            "post",
            reverse("covenant_edit", kwargs={"pk": _covenant().pk}),
            COVENANT,
        ),
    }


COVENANT = {
    "title": "Convenant Zorg- en Veiligheidshuis 2027",
    "reference": "ZVH-2027",
    "legal_basis": "AVG art. 6 lid 1 sub e; Wpg art. 16",
    "valid_from": "2027-01-01",
    "valid_until": "",
}


def _covenant():
    from doorbraak.partners.models import Covenant

    return Covenant.objects.first()


PAGE_NAMES = [
    "user_list",
    "user_create",
    "user_edit",
    "organisation_list",
    "organisation_create",
    "organisation_edit",
    "organisation_covenant",
    "post user_create",
    "post user_edit",
    "post user_set_active",
    "post user_reset_second_factor",
    "post organisation_create",
    "post organisation_covenant",
    "covenant_create",
    "covenant_edit",
    "post covenant_create",
    "post covenant_edit",
]


def _covenants():
    from doorbraak.partners.models import Covenant

    return list(Covenant.objects.values_list("title", "valid_from", "valid_until").order_by("pk"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_only_the_administrator_reaches_the_admin_pages(client, world, role, name):
    login(client, world.users[role])
    method, url, data = _pages(world)[name]
    before = (
        User.objects.count(),
        Organisation.objects.count(),
        CovenantGrant.objects.count(),
        TOTPDevice.objects.count(),
        User.objects.filter(is_active=True).count(),
        _covenants(),
    )
    denials = AuditEntry.objects.filter(action="deny").count()
    response = getattr(client, method)(url, data)
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="deny").count() == denials + 1
    after = (
        User.objects.count(),
        Organisation.objects.count(),
        CovenantGrant.objects.count(),
        TOTPDevice.objects.count(),
        User.objects.filter(is_active=True).count(),
        _covenants(),
    )
    assert after == before
    assert User.objects.get(pk=world.users["school"].pk).role == Role.PARTNER_PROFESSIONAL


@pytest.mark.parametrize("name", [n for n in PAGE_NAMES if not n.startswith("post")])
def test_administrator_sees_each_page(client, world, name):
    login(client, world.users["administrator"])
    _method, url, _data = _pages(world)[name]
    assert client.get(url).status_code == 200


def test_anonymous_is_sent_to_login(client, world):
    for name in PAGE_NAMES:
        method, url, data = _pages(world)[name]
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), (
            name
        )


def _admin(client, world):
    return login(client, world.users["administrator"])


def _last(object_type):
    return AuditEntry.objects.filter(object_type=object_type).last()


def test_create_user_is_audited_and_the_user_can_log_in_and_set_up_a_second_factor(client, world):
    _admin(client, world)
    response = client.post(
        reverse("user_create"), {**NEW_USER, "organisation": world.orgs["oov"].pk}
    )
    user = User.objects.get(username="nieuwe.collega")
    assert response.status_code == 302 and response["Location"] == reverse(
        "user_edit", kwargs={"pk": user.pk}
    )
    assert (
        user.role == Role.CASE_DIRECTOR
        and user.organisation == world.orgs["oov"]
        and not user.is_staff
    )
    entry = _last("user")
    assert entry.action == "create" and entry.username == "beheer" and entry.purpose == "beheer"
    assert entry.object_id == str(user.pk) and "password" not in str(entry.detail)
    client.logout()
    login_page = client.post(
        reverse("login"), {"username": "nieuwe.collega", "password": NEW_USER["password"]}
    )
    assert login_page.status_code == 302 and login_page["Location"] == reverse("otp_setup")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "kort"}, "password"),
        ({"username": "regisseur"}, "username"),
        ({"username": "met spatie"}, "username"),
        ({"role": "superuser"}, "role"),
        ({"organisation": 999999}, "organisation"),
        ({"email": "geen-adres"}, "email"),
        ({"first_name": "x" * 151}, "first_name"),
    ],
)
def test_bad_user_input_is_400_and_saves_nothing(client, world, change, field):
    _admin(client, world)
    before = User.objects.count()
    entries = AuditEntry.objects.count()
    response = client.post(
        reverse("user_create"), {**NEW_USER, "organisation": world.orgs["oov"].pk, **change}
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert User.objects.count() == before and AuditEntry.objects.count() == entries


def test_edit_user_changes_role_and_organisation_audited_with_the_fields(client, world):
    _admin(client, world)
    mentor = world.users["school"]
    response = client.post(
        reverse("user_edit", kwargs={"pk": mentor.pk}),
        {
            "username": "mentor",
            "first_name": "Mila",
            "last_name": "de Boer",
            "email": mentor.email,
            "organisation": world.orgs["oov"].pk,
            "role": Role.CASE_DIRECTOR,
        },
    )
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.role == Role.CASE_DIRECTOR and mentor.organisation == world.orgs["oov"]
    entry = _last("user")
    assert entry.action == "update" and entry.detail["changed"] == [
        "first_name",
        "last_name",
        "organisation",
        "role",
    ]


def test_administrator_cannot_demote_or_deactivate_themselves(client, world):
    _admin(client, world)
    me = world.users["administrator"]
    response = client.post(
        reverse("user_edit", kwargs={"pk": me.pk}),
        {
            "username": me.username,
            "first_name": "a",
            "last_name": "b",
            "organisation": me.organisation_id,
            "role": Role.ANALYST,
        },
    )
    assert response.status_code == 400
    client.post(reverse("user_set_active", kwargs={"pk": me.pk}), {"active": "0"})
    me.refresh_from_db()
    assert me.role == Role.ADMINISTRATOR and me.is_active


def test_deactivate_logs_the_user_out_and_blocks_login(client, world):
    from django.test import Client

    mentor = world.users["school"]
    theirs = login(Client(), mentor)
    assert theirs.get(reverse("case_list")).status_code == 200
    _admin(client, world)
    assert (
        client.post(
            reverse("user_set_active", kwargs={"pk": mentor.pk}), {"active": "0"}
        ).status_code
        == 302
    )
    mentor.refresh_from_db()
    assert not mentor.is_active
    assert theirs.get(reverse("case_list")).status_code == 302  # session ended: back to login
    entry = _last("user")
    assert entry.detail["changed"] == ["is_active"] and entry.detail["is_active"] is False
    client.post(reverse("user_set_active", kwargs={"pk": mentor.pk}), {"active": "1"})
    mentor.refresh_from_db()
    assert mentor.is_active


def test_reset_second_factor_removes_the_device_and_ends_sessions(client, world):
    from django.test import Client

    mentor = world.users["school"]
    theirs = login(Client(), mentor)
    assert TOTPDevice.objects.filter(user=mentor).exists()
    _admin(client, world)
    assert (
        client.post(reverse("user_reset_second_factor", kwargs={"pk": mentor.pk})).status_code
        == 302
    )
    assert not TOTPDevice.objects.filter(user=mentor).exists()
    assert theirs.get(reverse("case_list")).status_code == 302
    entry = _last("user")
    assert entry.detail["changed"] == ["second_factor"] and entry.detail["devices_removed"] == 1


def test_organisation_create_and_edit_are_audited(client, world):
    _admin(client, world)
    response = client.post(
        reverse("organisation_create"),
        {
            "code": "buurtteam-noord",
            "name": "Buurtteam Noord",
            "kind": "care",
            "parent": "",
            "active": "on",
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(code="buurtteam-noord")
    assert _last("organisation").action == "create"
    client.post(
        reverse("organisation_edit", kwargs={"pk": org.pk}),
        {
            "code": "buurtteam-noord",
            "name": "Buurtteam Utrecht Noord",
            "kind": "care",
            "parent": world.orgs["oov"].pk,
        },
    )
    org.refresh_from_db()
    assert (
        org.name == "Buurtteam Utrecht Noord" and not org.active and org.parent == world.orgs["oov"]
    )
    assert _last("organisation").detail["changed"] == ["active", "name", "parent"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "gemeente-oov"}, "code"),
        ({"code": "Met Spaties"}, "code"),
        ({"kind": "sekte"}, "kind"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_organisation_is_400(client, world, data, field):
    _admin(client, world)
    before = Organisation.objects.count()
    response = client.post(
        reverse("organisation_create"), {"code": "nieuw", "name": "N", "kind": "care", **data}
    )
    assert response.status_code == 400 and field in response.context["form"].errors
    assert Organisation.objects.count() == before


def test_organisation_cannot_be_part_of_itself(client, world):
    _admin(client, world)
    oov, ict = world.orgs["oov"], world.orgs["ict"]
    ict.parent = oov
    ict.save()
    response = client.post(
        reverse("organisation_edit", kwargs={"pk": oov.pk}),
        {"code": oov.code, "name": oov.name, "kind": oov.kind, "parent": ict.pk, "active": "on"},
    )
    assert response.status_code == 400
    oov.refresh_from_db()
    assert oov.parent is None


def test_covenant_grants_are_set_per_category_and_purpose_and_take_effect(client, world):
    from doorbraak import policy
    from doorbraak.partners.models import Purpose

    school = world.orgs["school"]
    mentor = world.users["school"]
    case_work = Purpose.objects.get(code="casusaanpak")
    assert policy.granted_categories(mentor, "casusaanpak") == {"identity", "education"}
    _admin(client, world)
    page = client.get(reverse("organisation_covenant", kwargs={"pk": school.pk})).content.decode()
    assert f'name="g-education-{case_work.pk}" checked' in page
    response = client.post(
        reverse("organisation_covenant", kwargs={"pk": school.pk}),
        {f"g-identity-{case_work.pk}": "on", f"g-care-{case_work.pk}": "on"},
    )
    assert response.status_code == 302
    assert policy.granted_categories(mentor, "casusaanpak") == {"identity", "care"}
    entries = AuditEntry.objects.filter(object_type="covenant_grant").order_by("id")
    assert [(e.action, e.detail["category"]) for e in entries] == [
        ("create", "care"),
        ("delete", "education"),
    ]
    assert all(e.detail["organisation"] == "school" and e.purpose == "beheer" for e in entries)


def test_admin_home_links_to_the_pages_not_the_django_admin(client, world):
    _admin(client, world)
    page = client.get(reverse("home")).content.decode()
    assert reverse("user_create") in page and reverse("admin:index") not in page
    assert "Procesregisseur" in page and "case_director" not in page


def test_deactivated_organisation_sees_nothing_under_the_covenant(client, world):
    from doorbraak import policy

    mentor, school = world.users["school"], world.orgs["school"]
    assert policy.granted_categories(mentor, "casusaanpak")
    _admin(client, world)
    client.post(
        reverse("organisation_edit", kwargs={"pk": school.pk}),
        {"code": school.code, "name": school.name, "kind": school.kind},
    )  # "active" unticked
    school.refresh_from_db()
    assert not school.active
    assert policy.granted_categories(mentor, "casusaanpak") == frozenset()


def test_covenant_create_and_edit_are_audited_and_shown(client, world):
    from doorbraak.partners.models import Covenant

    _admin(client, world)
    assert client.post(reverse("covenant_create"), COVENANT).status_code == 302
    covenant = Covenant.objects.get(reference="ZVH-2027")
    assert covenant.valid_until is None and _last("covenant").action == "create"
    client.post(
        reverse("covenant_edit", kwargs={"pk": covenant.pk}),
        {**COVENANT, "valid_until": "2030-12-31"},
    )
    covenant.refresh_from_db()
    assert str(covenant.valid_until) == "2030-12-31" and _last("covenant").detail["changed"] == [
        "valid_until"
    ]
    page = client.get(reverse("covenant")).content.decode()
    assert reverse("covenant_edit", kwargs={"pk": covenant.pk}) in page
    login(client, world.users["lawyer"])
    assert reverse("covenant_create") not in client.get(reverse("covenant")).content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"valid_from": "31-02-2027"}, "valid_from"),
        ({"valid_until": "2026-01-01"}, "valid_until"),
        ({"title": ""}, "title"),
        ({"legal_basis": ""}, "legal_basis"),
    ],
)
def test_bad_covenant_is_400(client, world, data, field):
    from doorbraak.partners.models import Covenant

    _admin(client, world)
    before = Covenant.objects.count()
    response = client.post(reverse("covenant_create"), {**COVENANT, **data})
    assert response.status_code == 400 and field in response.context["form"].errors
    assert Covenant.objects.count() == before
