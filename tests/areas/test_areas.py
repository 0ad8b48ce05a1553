"""Municipality and areas as data: Utrecht loaded from a fixture, selectors for filters and
policy, an administrator adds or edits a focus area (audited), others are refused."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from doorbraak import policy
from doorbraak.areas import selectors
from doorbraak.areas.models import Area, AreaKind
from doorbraak.audit.models import AuditEntry
from doorbraak.demo import geography
from tests.conftest import login

OUTLINE = {
    "type": "Polygon",
    "coordinates": [[[5.10, 52.08], [5.11, 52.08], [5.11, 52.09], [5.10, 52.09], [5.10, 52.08]]],
}


@pytest.fixture
def utrecht(db):
    call_command("loaddata", "utrecht", verbosity=0)


def test_the_fixture_holds_the_city_ten_wijken_and_two_focus_areas(utrecht):
    town = selectors.city()
    assert (town.code, town.name, town.parent) == ("utrecht", "Utrecht", None)
    assert {a.code for a in selectors.wijken()} == set(geography.WIJKEN)
    assert [a.code for a in selectors.focus_areas()] == ["amsterdamsestraatweg", "nieuw_overvecht"]
    assert all(a.parent == town for a in selectors.wijken()) and all(
        a.parent == town for a in selectors.focus_areas()
    )
    for area in Area.objects.all():
        area.full_clean()  # every outline valid
    call_command("loaddata", "utrecht", verbosity=0)  # again: updated, not doubled
    assert Area.objects.count() == 13


def test_each_demo_district_lies_in_its_own_wijk_only_and_in_the_city(utrecht):
    town = selectors.city()
    for code, district in geography.WIJKEN.items():
        inside = [a.code for a in selectors.areas_at(district.lat, district.lon, AreaKind.WIJK)]
        assert inside == [code], (code, inside)
        assert town.contains(district.lat, district.lon)
        assert selectors.wijk_at(district.lat, district.lon).code == code
    nieuw_overvecht = selectors.get_area("nieuw_overvecht")
    assert nieuw_overvecht.contains(geography.NIEUW_OVERVECHT.lat, geography.NIEUW_OVERVECHT.lon)
    assert (
        selectors.wijk_at(geography.NIEUW_OVERVECHT.lat, geography.NIEUW_OVERVECHT.lon).code
        == "overvecht"
    )
    street = selectors.get_area("amsterdamsestraatweg")
    for number in (1, 2, 250, 501, 998, 1000):
        assert street.contains(*geography.asw_position(number)), number
    assert not street.contains(
        geography.WIJKEN["binnenstad"].lat, geography.WIJKEN["binnenstad"].lon
    )


def test_filters_choices_and_the_enforcement_areas_come_from_the_rows(utrecht):
    assert selectors.premises_filter("overvecht") == {"wijk": "overvecht"}
    assert selectors.premises_filter("nieuw_overvecht", prefix="establishment__") == {
        "establishment__area": "nieuw_overvecht"
    }
    assert selectors.premises_filter("utrecht") == {}
    with pytest.raises(Area.DoesNotExist):
        selectors.premises_filter("atlantis")
    choices = selectors.area_choices()
    assert choices[:2] == [
        ("amsterdamsestraatweg", "Amsterdamsestraatweg"),
        ("nieuw_overvecht", "Bedrijventerrein Nieuw Overvecht"),
    ]
    assert len(choices) == 13 and choices[-1] == ("utrecht", "Utrecht")
    assert ("leidsche_rijn", "Leidsche Rijn") in choices

    assert policy.enforcement_areas() == {"nieuw_overvecht", "amsterdamsestraatweg"}
    Area.objects.filter(code="amsterdamsestraatweg").update(active=False)
    Area.objects.create(
        kind=AreaKind.FOCUS_AREA,
        code="lombok",
        name="Lombok",
        parent=selectors.city(),
        geometry=json.dumps(OUTLINE),
    )
    assert policy.enforcement_areas() == {"nieuw_overvecht", "lombok"}
    assert selectors.wijk_codes()["vleuten_de_meern"] == "vleuten_de_meern"
    assert selectors.wijk_codes()["vleuten-de meern"] == "vleuten_de_meern"


def test_the_model_checks_kind_parent_and_outline(utrecht):
    from django.core.exceptions import ValidationError

    wijk = selectors.get_area("west")
    bad = Area(kind=AreaKind.FOCUS_AREA, code="x", name="X", parent=wijk, geometry="")
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert set(exc.value.message_dict) == {"parent", "geometry"}
    with pytest.raises(ValidationError):
        Area(kind=AreaKind.CITY, code="y", name="Y", parent=selectors.city()).full_clean()


def _admin_pages(area):
    return [
        ("get", reverse("area_list"), {}),
        ("get", reverse("focus_area_create"), {}),
        ("get", reverse("focus_area_edit", args=[area.pk]), {}),
        (
            "post",
            reverse("focus_area_create"),
            {"code": "z", "name": "Z", "geometry": json.dumps(OUTLINE)},
        ),
    ]


@pytest.mark.parametrize(
    "role",
    [
        "case_director",
        "partner_professional",
        "analyst",
        "enforcement_officer",
        "lawyer",
        "policy_staff",
        "privacy_officer",
    ],
)
def test_only_the_administrator_manages_areas(client, world, role):
    area = selectors.get_area("nieuw_overvecht")
    login(client, world.users[role])
    for method, url, data in _admin_pages(area):
        assert getattr(client, method)(url, data).status_code == 403, (role, url)
    assert not Area.objects.filter(code="z").exists()
    assert AuditEntry.objects.filter(
        action="deny", object_id__in=["area_list", "focus_area_create"]
    ).exists()


def test_the_administrator_adds_a_focus_area_by_pasting_and_by_upload(client, world):
    admin = world.users["administrator"]
    login(client, admin)
    page = client.get(reverse("area_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bedrijventerrein Nieuw Overvecht" in text and "Leidsche Rijn" in text

    response = client.post(
        reverse("focus_area_create"),
        {
            "code": "lombok",
            "name": "Kanaalstraat Lombok",
            "geometry": json.dumps(OUTLINE),
            "active": "on",
        },
    )
    assert response.status_code == 302
    lombok = selectors.get_area("lombok")
    assert (lombok.kind, lombok.parent, lombok.active) == (
        AreaKind.FOCUS_AREA,
        selectors.city(),
        True,
    )
    assert lombok.contains(52.085, 5.105)
    entry = AuditEntry.objects.get(object_type="area", object_id=str(lombok.pk), action="create")
    assert entry.username == admin.username and entry.purpose == policy.PURPOSE_MANAGEMENT
    assert "lombok" in policy.enforcement_areas()

    feature = {"type": "Feature", "properties": {}, "geometry": OUTLINE}
    upload = SimpleUploadedFile(
        "zuilen.geojson", json.dumps(feature).encode(), "application/geo+json"
    )
    response = client.post(
        reverse("focus_area_create"), {"code": "zuilen", "name": "Zuilen", "geometry_file": upload}
    )
    assert response.status_code == 302
    zuilen = selectors.get_area("zuilen")
    assert json.loads(zuilen.geometry) == OUTLINE and zuilen.active is False  # box left unticked


def test_bad_input_is_a_clear_400_that_saves_nothing(client, world):
    login(client, world.users["administrator"])
    before = Area.objects.count()
    cases = [
        (
            {
                "code": "open",
                "name": "Open",
                "geometry": json.dumps(
                    {"type": "Polygon", "coordinates": [OUTLINE["coordinates"][0][:-1]]}
                ),
            },
            "gesloten",
        ),
        ({"code": "leeg", "name": "Leeg", "geometry": ""}, "Geef de omtrek"),
        ({"code": "west", "name": "Dubbel", "geometry": json.dumps(OUTLINE)}, "al in gebruik"),
        ({"code": "Geen Slug!", "name": "X", "geometry": json.dumps(OUTLINE)}, "code"),
    ]
    for data, message in cases:
        response = client.post(reverse("focus_area_create"), data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), (message, data)
    upload = SimpleUploadedFile("x.geojson", b"{kapot", "application/geo+json")
    response = client.post(
        reverse("focus_area_create"), {"code": "kapot", "name": "K", "geometry_file": upload}
    )
    assert response.status_code == 400 and "Geen geldige JSON" in response.content.decode()
    assert Area.objects.count() == before


def test_editing_keeps_the_code_and_is_audited_and_wijken_are_not_edited_here(client, world):
    admin = world.users["administrator"]
    login(client, admin)
    area = selectors.get_area("amsterdamsestraatweg")
    response = client.post(
        reverse("focus_area_edit", args=[area.pk]),
        {
            "code": "iets_anders",
            "name": "Amsterdamsestraatweg (Zuilen)",
            "geometry": json.dumps(OUTLINE),
        },
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.code == "amsterdamsestraatweg"  # the code field is fixed once made
    assert (area.name, area.active) == ("Amsterdamsestraatweg (Zuilen)", False)
    entry = AuditEntry.objects.get(object_type="area", object_id=str(area.pk), action="update")
    assert entry.detail["changed"] == ["active", "geometry", "name"]
    assert "amsterdamsestraatweg" not in policy.enforcement_areas()
    wijk = selectors.get_area("west")
    assert client.get(reverse("focus_area_edit", args=[wijk.pk])).status_code == 404
