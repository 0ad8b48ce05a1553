"""Each figure on hand-made data: cases, reviews, contacts, enrolments, ZRM and prevention reach
made by hand, counted per quarter and area, and shown (protected) in the report's tables."""

from __future__ import annotations

from datetime import date

import pytest

from doorbraak.monitoring import figures as F
from tests import factories as f

TODAY = date(2026, 12, 1)
Q = F.history(TODAY)


def qi(day: date) -> int:
    return next(i for i, (s, e) in enumerate(Q) if s <= day <= e)


@pytest.fixture
def made(db, areas):
    from doorbraak.careers.models import (
        CaseKind,
        CaseStatus,
        Contact,
        ContactKind,
        Enrolment,
        EnrolmentStatus,
        Intervention,
        InterventionType,
        Programme,
        Review,
        ZrmAssessment,
    )

    org = f.OrganisationFactory(code="oov-fig", name="OOV fig")
    overvecht = f.PremisesFactory(wijk="overvecht", area="")
    nieuw = f.PremisesFactory(wijk="overvecht", area="nieuw_overvecht")
    west = f.PremisesFactory(wijk="west", area="")
    cases = []
    # 6 cases in Overvecht (2 in the business park), opened Q1 2026; 1 in West, family
    for i, home in enumerate([overvecht] * 4 + [nieuw] * 2):
        cases.append(
            f.CaseFactory(subject=f.PersonFactory(residence=home), opened_on=date(2026, 2, 1 + i))
        )
    fam = f.CaseFactory(
        subject=f.PersonFactory(residence=west), opened_on=date(2026, 5, 5), kind=CaseKind.FAMILY
    )
    # one exit in Q3 2026
    c = cases[0]
    c.status, c.closed_on, c.exit_reason = CaseStatus.CLOSED, date(2026, 8, 20), "moved"
    c.save()
    # reviews: one on time, one late (due dates from the previous review)
    Review.objects.create(
        case=cases[1],
        held_on=date(2026, 7, 1),
        suitable="s" * 5,
        necessary="n" * 5,
        balanced="b" * 5,
        outcome="continue",
        next_review_due=date(2026, 9, 1),
    )
    Review.objects.create(
        case=cases[1],
        held_on=date(2026, 9, 15),
        suitable="s" * 5,
        necessary="n" * 5,
        balanced="b" * 5,
        outcome="continue",
        next_review_due=date(2027, 3, 1),
    )
    # contacts: cases[2] had a contact 5 days before the end of Q3
    Contact.objects.create(
        case=cases[2],
        person=cases[2].subject,
        organisation=org,
        contact_on=date(2026, 9, 25),
        kind=ContactKind.values[0],
    )
    iv = Intervention.objects.create(
        name="Stage met status",
        provider="ROC",
        recognition="erkend",
        type=InterventionType.INTERNSHIP,
    )
    prog = Programme.objects.create(intervention=iv, name="Stage fig", capacity=10)
    Enrolment.objects.create(
        programme=prog,
        case=cases[3],
        person=cases[3].subject,
        requested_on=date(2026, 2, 20),
        status=EnrolmentStatus.COMPLETED,
        started_on=date(2026, 3, 1),
        ended_on=date(2026, 6, 1),
        job_status="offered",
        job_placed_on=date(2026, 10, 2),
    )
    Enrolment.objects.create(
        programme=prog,
        case=cases[4],
        person=cases[4].subject,
        requested_on=date(2026, 2, 20),
        status=EnrolmentStatus.DROPPED,
        started_on=date(2026, 3, 1),
        ended_on=date(2026, 4, 10),
        dropout_reason="verhuisd",
    )
    ZrmAssessment.objects.create(
        case=cases[5],
        person=cases[5].subject,
        assessed_on=date(2026, 2, 10),
        assessor_name="x",
        scores={"financien": 2, "werk_opleiding": 3},
    )
    ZrmAssessment.objects.create(
        case=cases[5],
        person=cases[5].subject,
        assessed_on=date(2026, 8, 10),
        assessor_name="x",
        scores={"financien": 4, "werk_opleiding": 3},
    )
    return {"cases": cases, "family": fam}


def test_careers_counts_per_quarter_area_and_category(made):
    from doorbraak.careers.selectors import monitoring_counts

    c = monitoring_counts(Q)
    q1, q2, q3, q4 = (
        qi(date(2026, 2, 1)),
        qi(date(2026, 5, 1)),
        qi(date(2026, 8, 1)),
        qi(date(2026, 11, 1)),
    )
    assert c["inclusions"][("overvecht", "", q1, "individual")] == 4
    assert c["inclusions"][("overvecht", "nieuw_overvecht", q1, "individual")] == 2
    assert c["inclusions"][("west", "", q2, "family")] == 1
    # in approach at the end of Q3: 6 opened, 1 exited in Q3; plus the family case
    in_q3 = {k: v for k, v in c["in_approach"].items() if k[2] == q3}
    assert sum(in_q3.values()) == 6
    assert c["exits"] == {("overvecht", "", q3, "moved"): 1}  # per reason of exit
    assert c["reviews"] == {
        ("overvecht", "", q3, "on_time"): 1,  # first review: no due date set by a decision
        ("overvecht", "", q3, "late"): 1,  # held 15 Sept, due 1 Sept
    }
    within = {k: v for k, v in c["contact_cadence"].items() if k[2] == q3 and k[3] == "within"}
    assert sum(within.values()) == 1
    assert (
        c["enrolments"]
        == {
            ("overvecht", "", q1, "internship"): 1,
            ("overvecht", "nieuw_overvecht", q1, "internship"): 1,
        }
        or sum(c["enrolments"].values()) == 2
    )
    assert sum(v for k, v in c["completions"].items() if k[2] == q2) == 1
    assert sum(v for k, v in c["dropouts"].items() if k[2] == q2) == 1
    assert sum(v for k, v in c["jobs"].items() if k[2] == q4) == 1
    zrm = {k[3]: v for k, v in c["zrm_change"].items()}
    assert zrm == {"financien:up": 1, "werk_opleiding:same": 1}


def test_reoffending_within_twelve_months(db, areas):
    from doorbraak.careers.selectors import monitoring_counts

    org = f.OrganisationFactory(code="pol-fig", name="Politie fig")
    home = f.PremisesFactory(wijk="zuid", area="")
    again = f.CaseFactory(subject=f.PersonFactory(residence=home), opened_on=date(2025, 3, 1))
    clean = f.CaseFactory(subject=f.PersonFactory(residence=home), opened_on=date(2025, 3, 2))
    f.CaseRecordFactory(
        case=again,
        organisation=org,
        kind="police",
        person=again.subject,
        occurred_on=date(2025, 11, 1),
    )
    f.CaseRecordFactory(  # after the 12 months: not counted
        case=clean,
        organisation=org,
        kind="police",
        person=clean.subject,
        occurred_on=date(2026, 4, 1),
    )
    c = monitoring_counts(Q)
    q = qi(date(2026, 3, 1))
    assert c["reoffending"] == {
        ("zuid", "", q, "reoffended"): 1,
        ("zuid", "", q, "not_reoffended"): 1,
    }


def test_prevention_reach_and_the_protected_table(db, areas):
    from doorbraak.monitoring.models import PreventionActivity

    for i in range(3):
        PreventionActivity.objects.create(
            kind="kapot_sterk",
            location=f"School {i}",
            wijk="overvecht",
            area="",
            period_start=date(2026, 4, 1),
            period_end=date(2026, 6, 30),
            sessions=4,
            participants=25,
        )
    PreventionActivity.objects.create(
        kind="youth_work",
        location="Jongerencentrum",
        wijk="west",
        area="",
        period_start=date(2026, 5, 1),
        period_end=date(2026, 6, 30),
        sessions=3,
        participants=3,
    )
    cube = F.build_cube(TODAY)
    q2 = qi(date(2026, 5, 1))
    reach = F.figure("prevention_reach")
    assert cube.cell(reach, "overvecht", q2, "kapot_sterk")[0] == 75
    # 75 in Overvecht is all of the city's Kapot Sterk reach: shown, it would give away the 3
    # of youth work through the city total; so it is hidden (secondary)
    assert cube.cell(reach, "overvecht", q2, "kapot_sterk")[1] == "hidden"
    assert cube.cell(reach, "west", q2, "youth_work")[1] == "small"
    sessions = F.figure("prevention_sessions")  # activities, not persons: never suppressed
    assert cube.cell(sessions, "west", q2, "youth_work") == (3, "ok")
    table = F.figure_table(cube, reach, "", [q2])
    assert table.header[0] == "Kwartaal" and table.header[-1] == "Totaal"
    row = table.rows[0]
    assert row[0] == "2026-K2"
    # city: 75 Kapot Sterk, 3 youth work -> "<5"; the total of 78 would give the 3 away
    assert row[2] == "<5"
    assert not (row[1] == "75" and row[-1] == "78")
