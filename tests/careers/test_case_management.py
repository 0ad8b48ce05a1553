"""Issue 3: decision flow, reviews, contact cadence, programmes, job guarantee, need-to-know,
audit of reads, suppression and bad input (clear error, nothing saved half)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.careers import actions as a
from doorbraak.careers import selectors
from doorbraak.careers.models import (
    Case,
    CaseDecision,
    CaseMember,
    CaseRecord,
    CaseStatus,
    Concern,
    Contact,
    Enrolment,
    Intervention,
    Programme,
)
from doorbraak.privacy.disclosure import suppress
from tests.conftest import login

TODAY = date(2026, 6, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _verified(world):
    """Actions called directly (not through a request) act for users who passed the second factor."""
    for user in world.users.values():
        user.is_verified = lambda: True


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    """A simulated clock for the actions (freezegun would also freeze imports of other apps)."""
    monkeypatch.setattr(a, "_today", lambda: TODAY + timedelta(days=20))


def _decision_kwargs(world, **over):
    kw = dict(
        decided_on=TODAY,
        outcome="individual",
        reasons="Zorgen op meerdere leefgebieden.",
        legal_basis="AVG art. 6 lid 1 sub e",
        partner_ids=[world.orgs["politie"].pk, world.orgs["school"].pk],
        criteria_text="Doorgroeier",
        review_due=TODAY + timedelta(days=90),
        inclusion_end=TODAY + timedelta(days=365),
        contact_cadence_days=7,
    )
    kw.update(over)
    return kw


def _include(world, given="Noor", outcome="individual", **over):
    cd = world.users["case_director"]
    concern = a.do_report_concern(
        world.users["partner_professional"],
        given_names=given,
        surname="Testgezin",
        received_on=TODAY - timedelta(days=3),
        description="Signalen van ronselen op school.",
    )
    return a.do_decide(cd, concern.pk, **_decision_kwargs(world, outcome=outcome, **over))


def test_no_inclusion_without_decision_and_no_automatic_family_inclusion(world):
    cd = world.users["case_director"]
    before = Case.objects.count()
    concern = a.do_report_concern(
        world.users["school"],
        given_names="Noor",
        surname="Testgezin",
        received_on=TODAY,
        description="Verzuim en contacten met oudere jongens.",
    )
    assert (
        Case.objects.count() == before and concern.status == "open"
    )  # a concern is not an inclusion
    with pytest.raises(PermissionDenied):  # a partner cannot decide
        a.do_decide(world.users["school"], concern.pk, **_decision_kwargs(world))
    decision = a.do_decide(cd, concern.pk, **_decision_kwargs(world, outcome="family_new"))
    case = decision.case
    assert case.kind == "family" and case.members.count() == 1 and case.director == cd
    assert {p.organisation.code for p in case.participants.all()} >= {
        "politie",
        "school",
        "gemeente-oov",
    }
    # Adding a family member: a concern, then their own decision. Nothing automatic.
    sibling = a.do_report_concern(
        cd,
        given_names="Sami",
        surname="Testgezin",
        received_on=TODAY,
        description="Broer, ook signalen van ronselen.",
        family_case_id=case.pk,
    )
    assert case.members.count() == 1
    a.do_decide(cd, sibling.pk, **_decision_kwargs(world, outcome="family_member", role="sibling"))
    assert case.members.count() == 2
    assert all(
        CaseDecision.objects.filter(member=m).exists() for m in CaseMember.objects.filter(case=case)
    )
    with pytest.raises(ValidationError):  # decided once
        a.do_decide(cd, sibling.pk, **_decision_kwargs(world))
    assert AuditEntry.objects.filter(object_type="case_decision").count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reasons", ""),
        ("legal_basis", ""),
        ("partner_ids", []),
        ("review_due", None),
        ("review_due", TODAY + timedelta(days=200)),
        ("inclusion_end", None),
        ("criteria_text", ""),
        ("decided_on", TODAY + timedelta(days=21)),
        ("outcome", "ranked"),
        ("outcome", "family_member"),
    ],
)
def test_bad_decision_is_refused_and_saves_nothing(world, field, value):
    cd = world.users["case_director"]
    concern = a.do_report_concern(
        cd,
        given_names="X",
        surname="Y",
        received_on=TODAY - timedelta(days=1),
        description="Een zorg van voldoende lengte.",
    )
    counts = (Case.objects.count(), CaseDecision.objects.count(), CaseMember.objects.count())
    with pytest.raises(ValidationError) as exc:
        a.do_decide(cd, concern.pk, **_decision_kwargs(world, **{field: value}))
    assert exc.value.message_dict
    assert (
        Case.objects.count(),
        CaseDecision.objects.count(),
        CaseMember.objects.count(),
    ) == counts
    concern.refresh_from_db()
    assert concern.status == "open"


def test_review_reminder_overdue_and_exit_closes_case_and_starts_retention(world):
    case = _include(world).case
    call_command("careers_daily", "--today", str(case.next_review_due - timedelta(days=30)))
    assert not case.alerts.filter(kind__startswith="review").exists()
    call_command("careers_daily", "--today", str(case.next_review_due - timedelta(days=10)))
    call_command(
        "careers_daily", "--today", str(case.next_review_due - timedelta(days=9))
    )  # idempotent
    assert case.alerts.filter(kind="review_due").count() == 1
    call_command("careers_daily", "--today", str(case.next_review_due + timedelta(days=1)))
    assert case.alerts.filter(kind="review_overdue").exists()
    cd = world.users["case_director"]
    with pytest.raises(ValidationError) as exc:
        a.do_review(
            cd,
            case.pk,
            held_on=TODAY,
            suitable="",
            necessary="ok ok",
            balanced="ok ok",
            outcome="continue",
        )
    assert {"suitable", "next_review_due"} <= set(exc.value.message_dict)
    a.do_review(
        cd,
        case.pk,
        held_on=TODAY,
        suitable="Draagt bij.",
        necessary="Geen lichter middel.",
        balanced="In verhouding.",
        outcome="exit",
        exit_reason="goals_reached",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on == TODAY
    assert case.exit_reason == "goals_reached"
    assert not case.alerts.filter(resolved_on__isnull=True).exists()
    from doorbraak.privacy import retention

    later = TODAY + timedelta(days=5 * 365 + 2)
    assert any(r["object_type"] == "case" for r in retention.preview(later))
    retention.run_retention(later)
    case.refresh_from_db()
    assert case.anonymised and not case.members.exists() and not case.decisions.exists()


def test_contact_cadence_alert_escalation_and_detention_does_not_close(world):
    case = _include(world).case  # cadence 7 days, opened TODAY
    person = case.members.get().person_id
    call_command("careers_daily", "--today", str(TODAY + timedelta(days=7)))
    assert not case.alerts.exists()
    call_command("careers_daily", "--today", str(TODAY + timedelta(days=8)))
    assert case.alerts.filter(kind="contact_missed", resolved_on=None).count() == 1
    call_command("careers_daily", "--today", str(TODAY + timedelta(days=15)))
    assert case.alerts.filter(kind="contact_escalated").count() == 1
    if True:  # the clock of the actions is pinned to TODAY + 20 days (fixture)
        a.do_add_case_record(
            world.users["partner_professional"],
            case.pk,
            category="justice",
            kind="detention_in",
            occurred_on=TODAY + timedelta(days=16),
            title="In detentie",
        )
        a.do_log_contact(
            world.users["case_director"],
            case.pk,
            person_id=person,
            contact_on=TODAY + timedelta(days=16),
            kind="detention",
            note="Bezoek in de PI",
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert not case.alerts.filter(kind__startswith="contact", resolved_on=None).exists()
    with pytest.raises(ValidationError):
        a.do_log_contact(
            world.users["case_director"],
            case.pk,
            person_id=person,
            contact_on=TODAY + timedelta(days=99),
            kind="face",
        )


def test_programme_capacity_waiting_list_and_job_guarantee(world):
    cd = world.users["case_director"]
    interv = Intervention.objects.create(
        name="Stage met status", provider="X", recognition="nieuw", type="internship"
    )
    prog = Programme.objects.create(
        name="Stage",
        intervention=interv,
        capacity=1,
        owner=cd,
        has_job_guarantee=True,
        no_reoffending_months=6,
    )
    c1, c2 = _include(world, "Een").case, _include(world, "Twee").case
    e1 = a.do_enrol(cd, c1.pk, programme_id=prog.pk, person_id=c1.subject_id, requested_on=TODAY)
    e2 = a.do_enrol(cd, c2.pk, programme_id=prog.pk, person_id=c2.subject_id, requested_on=TODAY)
    assert (e1.status, e2.status) == ("active", "waiting")
    with pytest.raises(ValidationError):
        a.do_enrol(cd, c2.pk, programme_id=prog.pk, person_id=c2.subject_id, requested_on=TODAY)
    with pytest.raises(ValidationError):  # completion needs a yes/no
        a.do_update_enrolment(cd, e1.pk, event="complete", on=TODAY)
    a.do_update_enrolment(cd, e1.pk, event="complete", on=TODAY, positive=True)
    e1.refresh_from_db()
    e2.refresh_from_db()
    assert (
        e1.job_status == "pending" and e2.status == "active"
    )  # the free place went to the waiting list
    with pytest.raises(ValidationError):  # not due yet
        a.do_offer_job(cd, e1.pk, placed_on=TODAY)
    call_command("careers_daily", "--today", str(TODAY + timedelta(days=100)))
    e1.refresh_from_db()
    assert e1.job_status == "pending"
    call_command("careers_daily", "--today", "2026-12-01")
    e1.refresh_from_db()
    assert e1.job_status == "due" and c1.alerts.filter(kind="job_due").exists()
    # second participant: police registers reoffending within the period → the guarantee lapses
    a.do_update_enrolment(cd, e2.pk, event="complete", on=TODAY, positive=True)
    CaseRecord.objects.create(
        case=c2,
        person_id=c2.subject_id,
        category="justice",
        kind="police",
        organisation=world.orgs["politie"],
        occurred_on=TODAY + timedelta(days=20),
        title="PV",
    )
    call_command("careers_daily", "--today", str(TODAY + timedelta(days=30)))
    e2.refresh_from_db()
    assert e2.job_status == "lapsed" and c2.alerts.filter(kind="job_lapsed").exists()


# need-to-know: partner × data category of each part of the case
VISIBILITY = """
part         case_director politie school
decisions    Y             .       .
zrm          Y             .       .
contacts     Y             Y       .
relations    Y             Y       Y
enrolments   Y             .       Y
justice_rec  Y             Y       .
education_rec Y            .       Y
"""


def test_partner_by_category_visibility_table_and_read_audit(world, client):
    cd = world.users["case_director"]
    case = _include(world).case
    person = case.members.get().person_id
    a.do_add_zrm(
        cd, case.pk, person_id=person, assessed_on=TODAY, scores={"financien": 2, "justitie": 1}
    )
    a.do_log_contact(cd, case.pk, person_id=person, contact_on=TODAY, kind="face")
    a.do_add_relation(
        cd,
        case.pk,
        from_person_id=person,
        kind="friend",
        recorded_on=TODAY,
        to_given_names="Vriend",
        to_surname="Netwerk",
    )
    prog = Programme.objects.create(
        name="Sport",
        capacity=5,
        intervention=Intervention.objects.create(
            name="Sport", provider="JoU", recognition="nieuw", type="sport_day"
        ),
    )
    a.do_enrol(cd, case.pk, programme_id=prog.pk, person_id=person, requested_on=TODAY)
    a.do_add_case_record(
        world.users["partner_professional"],
        case.pk,
        category="justice",
        occurred_on=TODAY,
        title="Aanhouding-X",
        kind="police",
    )
    a.do_add_case_record(
        world.users["school"],
        case.pk,
        category="education",
        occurred_on=TODAY,
        title="Verzuim-X",
        kind="school",
    )
    users = {
        "case_director": cd,
        "politie": world.users["partner_professional"],
        "school": world.users["school"],
    }
    lines = VISIBILITY.strip().splitlines()
    header = lines[0].split()[1:]
    for line in lines[1:]:
        part, *cells = line.split()
        for who, cell in zip(header, cells, strict=True):
            login(client, users[who])
            before = AuditEntry.objects.filter(action="read", object_type="case").count()
            body = client.get(reverse("api_dossier", kwargs={"pk": case.pk})).json()
            assert (
                AuditEntry.objects.filter(action="read", object_type="case").count() == before + 1
            )
            if part.endswith("_rec"):
                seen = ("Aanhouding-X" if part == "justice_rec" else "Verzuim-X") in {
                    r["title"] for r in body["records"]
                }
            else:
                seen = bool(body.get(part))
            assert seen == (cell == "Y"), (part, who)
            client.logout()


def test_suppression_of_small_counts(world):
    assert suppress(0) == "<5" and suppress(4) == "<5" and suppress(5) == "5"
    figures = selectors._group_figures([], [], TODAY)
    assert figures["enrolments"] == "<5" and figures["completion_rate"] == "—"


def test_pages_and_forms_show_clear_errors_and_save_nothing(world, client):
    cd = world.users["case_director"]
    case = _include(world).case
    login(client, cd)
    for name in (
        "case_detail",
        "family_board",
        "contact_create",
        "record_create",
        "relation_create",
        "zrm_create",
        "review_create",
        "plan_roles",
        "goal_create",
        "action_create",
        "enrol_create",
        "coach_match",
    ):
        assert client.get(reverse(name, kwargs={"pk": case.pk})).status_code == 200, name
    for name in ("concern_list", "concern_create", "catalogue", "vog_list", "outcomes", "home"):
        assert client.get(reverse(name)).status_code == 200, name
    counts = (Contact.objects.count(), Concern.objects.count(), Enrolment.objects.count())
    for name, data in [
        ("contact_create", {"person": "", "contact_on": "gisteren", "kind": "x"}),
        ("review_create", {"held_on": str(TODAY), "outcome": "continue"}),
        (
            "zrm_create",
            {
                "person": case.subject_id,
                "assessed_on": str(TODAY),
                "version": "ZRM 2017",
                "score_financien": "9",
            },
        ),
        (
            "enrol_create",
            {"programme": "999", "person": case.subject_id, "requested_on": str(TODAY)},
        ),
    ]:
        r = client.post(reverse(name, kwargs={"pk": case.pk}), data)
        assert r.status_code == 400 and "Er is niets opgeslagen" in r.content.decode(), name
    r = client.post(
        reverse("concern_create"),
        {"given_names": "", "surname": "", "received_on": "", "description": "x"},
    )
    assert r.status_code == 400 and "Voornamen" in r.content.decode()
    assert (Contact.objects.count(), Concern.objects.count(), Enrolment.objects.count()) == counts
    # good input through the page
    r = client.post(
        reverse("contact_create", kwargs={"pk": case.pk}),
        {"person": case.subject_id, "contact_on": str(TODAY), "kind": "face", "note": "Gesprek"},
    )
    assert r.status_code == 302 and Contact.objects.count() == counts[0] + 1


def test_api_bad_input_is_problem_json_and_saves_nothing(world, client):
    case = _include(world).case
    login(client, world.users["case_director"])
    n = Contact.objects.count()
    for url, data in [
        (
            reverse("api_contacts", kwargs={"pk": case.pk}),
            {"person_id": case.subject_id, "contact_on": "x", "kind": "face"},
        ),
        (
            reverse("api_contacts", kwargs={"pk": case.pk}),
            {"person_id": 999999, "contact_on": str(TODAY), "kind": "face"},
        ),
        (
            reverse("api_reviews", kwargs={"pk": case.pk}),
            {
                "held_on": str(TODAY),
                "suitable": "a",
                "necessary": "b",
                "balanced": "c",
                "outcome": "continue",
            },
        ),
        (
            reverse("api_zrm", kwargs={"pk": case.pk}),
            {"person_id": case.subject_id, "assessed_on": str(TODAY), "scores": {"financien": 7}},
        ),
        (reverse("api_concerns"), {"given_names": "A"}),
    ]:
        r = client.post(url, data, content_type="application/json")
        assert r.status_code == 400, (url, r.content)
        assert (
            r["Content-Type"].startswith("application/problem+json") and r.json()["invalidParams"]
        )
    assert Contact.objects.count() == n
    r = client.post(
        reverse("api_contacts", kwargs={"pk": case.pk}),
        {"person_id": case.subject_id, "contact_on": str(TODAY), "kind": "face"},
        content_type="application/json",
    )
    assert r.status_code == 201
    login(client, world.users["school"])
    r = client.post(
        reverse("api_reviews", kwargs={"pk": case.pk}), {}, content_type="application/json"
    )
    assert r.status_code == 403 and r["Content-Type"].startswith("application/problem+json")
    assert client.get(reverse("api_outcomes")).status_code == 403
    login(client, world.users["policy_staff"])
    assert client.get(reverse("api_outcomes")).status_code == 200


def test_demo_city_has_case_management(world):
    from doorbraak.demo import careers as demo_careers

    assert len(demo_careers.INTERVENTIONS) == 10 and len(demo_careers.VOG) >= 5
