"""Issue 3: the intervention catalogue, programmes and the coach pool are kept in the application
by programme managers (not in code or the admin): allowed and denied, bad input, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.careers.models import Case, Coach, CoachMatch, Enrolment, Intervention, Programme
from doorbraak.policy import AccessDenied
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _intervention(**over):
    data = {
        "name": "Kapot Sterk",
        "provider": "Gemeente Utrecht",
        "type": "prevention",
        "recognition": "nieuw",
        "description": "Preventieprogramma op scholen.",
    }
    return {**data, **over}


def test_case_director_adds_and_edits_the_catalogue_through_the_pages(client, world):
    director = world.users["case_director"]
    login(client, director)
    response = client.post(reverse("intervention_create"), _intervention())
    assert response.status_code == 302 and response["Location"] == reverse("catalogue")
    item = Intervention.objects.get(name="Kapot Sterk")
    assert (item.type, item.recognition, item.in_detention) == ("prevention", "nieuw", False)

    response = client.post(
        reverse("intervention_edit", args=[item.pk]),
        _intervention(recognition="erkend", in_detention="on"),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.recognition == "erkend" and item.in_detention

    response = client.post(
        reverse("programme_create"),
        {"intervention": item.pk, "name": "Sport en dag Overvecht", "capacity": "10"},
    )
    assert response.status_code == 302
    programme = Programme.objects.get(name="Sport en dag Overvecht")
    assert (
        programme.owner == director and programme.capacity == 10
    )  # the creator owns the programme

    coach_org = world.orgs["politie"]
    response = client.post(
        reverse("coach_create"),
        {
            "name": "M. Credible",
            "kind": "credible_messenger",
            "organisation": coach_org.pk,
            "expertise": "Jongeren Overvecht",
            "max_cases": "3",
            "available": "on",
        },
    )
    assert response.status_code == 302
    coach = Coach.objects.get(name="M. Credible")
    assert coach.available and coach.max_cases == 3

    page = client.get(reverse("catalogue")).content.decode()
    for text in (
        "Kapot Sterk",
        "Sport en dag Overvecht",
        "M. Credible",
        reverse("intervention_edit", args=[item.pk]),
    ):
        assert text in page
    writes = AuditEntry.objects.filter(
        username=director.username,
        purpose="beheer",
        object_type__in=["intervention", "programme", "coach"],
    )
    assert sorted(writes.values_list("action", flat=True)) == [
        "create",
        "create",
        "create",
        "update",
    ]


@pytest.mark.parametrize("name", ["intervention_create", "programme_create", "coach_create"])
@pytest.mark.parametrize(
    "role", ["partner_professional", "analyst", "policy_staff", "administrator"]
)
def test_other_roles_cannot_edit_the_catalogue_and_the_denial_is_audited(client, world, name, role):
    login(client, world.users[role])
    before = AuditEntry.objects.filter(action="deny").count()
    response = client.post(reverse(name), {"name": "Iets"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="deny").count() == before + 1
    assert (
        not Intervention.objects.filter(name="Iets").exists()
        and not Coach.objects.filter(name="Iets").exists()
    )


@pytest.mark.parametrize(
    ("name", "data", "field"),
    [
        ("intervention_create", _intervention(name=""), "name"),
        ("intervention_create", _intervention(type="astrologie"), "type"),
        ("intervention_create", _intervention(recognition=""), "recognition"),
        ("programme_create", {"name": "P", "capacity": "0"}, "capacity"),
        ("programme_create", {"name": "P", "capacity": "tien"}, "capacity"),
        (
            "coach_create",
            {"name": "C", "kind": "job_coach", "expertise": "", "max_cases": "2"},
            "expertise",
        ),
    ],
)
def test_bad_catalogue_input_gets_a_clear_error_and_saves_nothing(client, world, name, data, field):
    login(client, world.users["case_director"])
    before = (Intervention.objects.count(), Programme.objects.count(), Coach.objects.count())
    response = client.post(reverse(name), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert (
        Intervention.objects.count(),
        Programme.objects.count(),
        Coach.objects.count(),
    ) == before


def test_programme_rules_owner_only_places_not_below_participants_and_unique_names(world):
    from doorbraak.careers import catalogue as cat

    for user in world.users.values():
        user.is_verified = lambda: True
    director = world.users["case_director"]
    other = type(director).objects.create(
        username="regisseur2", role=director.role, organisation=director.organisation
    )
    other.is_verified = lambda: True
    item = cat.do_save_intervention(director, **_intervention())
    programme = cat.do_save_programme(director, intervention=item, name="Stage", capacity=2)
    with pytest.raises(AccessDenied):
        cat.do_save_programme(other, programme.pk, intervention=item, name="Stage", capacity=5)
    case = Case.objects.filter(director=director).first() or world.cases["a"]
    Enrolment.objects.create(
        programme=programme,
        case=case,
        person_id=case.subject_id,
        requested_on="2026-01-01",
        status="active",
    )
    Enrolment.objects.create(
        programme=programme,
        case=case,
        person_id=case.subject_id,
        requested_on="2026-01-02",
        status="active",
    )
    with pytest.raises(ValidationError) as too_few:
        cat.do_save_programme(director, programme.pk, intervention=item, name="Stage", capacity=1)
    assert "capacity" in too_few.value.message_dict
    with pytest.raises(ValidationError) as dup:
        cat.do_save_programme(director, intervention=item, name="stage", capacity=3)
    assert "name" in dup.value.message_dict
    with pytest.raises(ValidationError) as guarantee:
        cat.do_save_programme(
            director,
            programme.pk,
            intervention=item,
            name="Stage",
            capacity=2,
            has_job_guarantee=True,
            no_reoffending_months=None,
        )
    assert "no_reoffending_months" in guarantee.value.message_dict
    programme.refresh_from_db()
    assert (
        programme.capacity == 2 and not programme.has_job_guarantee
    )  # refused changes saved nothing
    coach = cat.do_save_coach(
        director,
        name="J. Coach",
        kind="job_coach",
        organisation=director.organisation,
        expertise="Werk",
        max_cases=2,
    )
    CoachMatch.objects.create(coach=coach, case=case, since="2026-01-01")
    CoachMatch.objects.create(coach=coach, case=case, since="2026-01-02")
    with pytest.raises(ValidationError) as busy:
        cat.do_save_coach(
            director,
            coach.pk,
            name="J. Coach",
            kind="job_coach",
            organisation=director.organisation,
            expertise="Werk",
            max_cases=1,
        )
    assert "max_cases" in busy.value.message_dict
