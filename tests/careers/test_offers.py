"""Issue 10: the UI offers only what the policy allows. The case page links exactly the forms the
user may submit; a form the user may not submit is refused (403, audited) when opened, not only
when sent; the choices inside a form are the ones the user may make."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.careers.models import Goal
from tests.conftest import login

pytestmark = pytest.mark.django_db

FORMS = {
    "contact": "contact_create",
    "record": "record_create",
    "action": "action_create",
    "zrm": "zrm_create",
    "relation": "relation_create",
    "goal": "goal_create",
    "plan_roles": "plan_roles",
    "enrol": "enrol_create",
    "coach": "coach_match",
    "review": "review_create",
}
OFFERED = {  # case A: the police see identity, contact and justice; the school identity and education
    "case_director": set(FORMS),
    "partner_professional": {"contact", "record", "relation", "action"},
    "school": {"record", "relation", "action"},
}


@pytest.fixture
def goals(world):
    case = world.cases["a"]
    return {
        "justice": Goal.objects.create(
            case=case, domain="justitie", description="Geen nieuwe politiecontacten"
        ),
        "education": Goal.objects.create(
            case=case, domain="werk_opleiding", description="Terug naar school"
        ),
    }


@pytest.mark.parametrize("role", sorted(OFFERED))
def test_the_case_page_offers_exactly_the_forms_the_user_may_submit(client, world, goals, role):
    user = world.users[role]
    login(client, user)
    case = world.cases["a"]
    page = client.get(reverse("case_detail", kwargs={"pk": case.pk})).content.decode()
    linked = {
        name
        for name, url in FORMS.items()
        if f'href="{reverse(url, kwargs={"pk": case.pk})}"' in page
    }
    assert linked == OFFERED[role]
    for name, url in FORMS.items():
        before = AuditEntry.objects.filter(action="deny", username=user.username).count()
        response = client.get(reverse(url, kwargs={"pk": case.pk}))
        if name in OFFERED[role]:
            assert response.status_code == 200, (role, name)
        else:
            assert response.status_code == 403, (role, name, response.status_code)
            assert (
                AuditEntry.objects.filter(action="deny", username=user.username).count()
                == before + 1
            )


def test_a_school_is_not_shown_the_zrm_form(client, world, goals):
    login(client, world.users["school"])
    url = reverse("zrm_create", kwargs={"pk": world.cases["a"].pk})
    assert client.get(url).status_code == 403
    assert (
        client.post(
            url,
            {
                "person": world.persons["subject_a"].pk,
                "assessed_on": "2026-03-01",
                "version": "ZRM 2017",
                "score_financien": "3",
            },
        ).status_code
        == 403
    )
    assert not world.cases["a"].zrm_assessments.exists()


def test_choices_in_a_form_are_those_the_user_may_make(client, world, goals):
    login(client, world.users["school"])
    case = world.cases["a"]
    record = client.get(reverse("record_create", kwargs={"pk": case.pk})).context["form"]
    assert {c for c, _label in record.fields["category"].choices} == {"identity", "education"}
    action = client.get(reverse("action_create", kwargs={"pk": case.pk})).context["form"]
    assert {int(v) for v, _label in action.fields["goal"].widget.choices if v} == {
        goals["education"].pk
    }
    assert [int(v) for v, _label in action.fields["organisation"].widget.choices] == [
        world.orgs["school"].pk
    ]


def test_a_closed_case_offers_nothing(client, world, goals):
    case = world.cases["a"]
    case.status, case.closed_on = "closed", case.opened_on
    case.save()
    login(client, world.users["case_director"])
    page = client.get(reverse("case_detail", kwargs={"pk": case.pk})).content.decode()
    assert not any(reverse(url, kwargs={"pk": case.pk}) in page for url in FORMS.values())
    assert client.get(reverse("goal_create", kwargs={"pk": case.pk})).status_code == 403
