"""Issue 13, the careers side: exits by reason of exit, and the comparison-group figures per
intervention type (reoffending within 12 months for participants and for the cases in the approach
in the same quarter that did not get the intervention), on hand-made data."""

from __future__ import annotations

from datetime import date

import pytest

from doorbraak.monitoring import disclosure as dc
from doorbraak.monitoring import figures as F
from tests import factories as f

TODAY = date(2026, 12, 1)
Q = F.history(TODAY)


def qi(day: date) -> int:
    return next(i for i, (s, e) in enumerate(Q) if s <= day <= e)


def _programme(itype: str, name: str):
    from doorbraak.careers.models import Intervention, Programme

    iv = Intervention.objects.create(name=name, provider="Demo", recognition="nieuw", type=itype)
    return Programme.objects.create(intervention=iv, name=f"{name} 2025", capacity=50)


def _case(home, opened: date, closed: date | None = None, reason: str = ""):
    case = f.CaseFactory(subject=f.PersonFactory(residence=home), opened_on=opened)
    if closed:
        case.status, case.closed_on, case.exit_reason = "closed", closed, reason
        case.save()
    return case


def _enrol(programme, case, started: date):
    from doorbraak.careers.models import Enrolment

    return Enrolment.objects.create(
        programme=programme,
        case=case,
        person=case.subject,
        requested_on=started,
        started_on=started,
        status="active",
    )


def _police(case, org, on: date):
    f.CaseRecordFactory(
        case=case, organisation=org, kind="police", person=case.subject, occurred_on=on
    )


@pytest.fixture
def scene(db, areas):
    org = f.OrganisationFactory(code="pol-cmp", name="Politie cmp")
    zuid = f.PremisesFactory(wijk="zuid", area="")
    west = f.PremisesFactory(wijk="west", area="")
    oost = f.PremisesFactory(wijk="oost", area="")
    internship = _programme("internship", "Stage met status")
    sport = _programme("sport_day", "Sport- en dagprogramma")
    p1 = _case(zuid, date(2024, 12, 1))
    _enrol(internship, p1, date(2025, 2, 1))
    _police(p1, org, date(2025, 6, 1))  # within 12 months of the start
    p2 = _case(zuid, date(2025, 1, 10))
    _enrol(internship, p2, date(2025, 3, 1))
    _enrol(internship, p2, date(2025, 9, 1))  # a second enrolment: only the first counts
    _police(p2, org, date(2026, 4, 1))  # after the 12 months
    c1 = _case(west, date(2024, 6, 1))  # in the approach throughout, never an internship
    _police(c1, org, date(2025, 5, 1))
    c2 = _case(west, date(2024, 3, 1), closed=date(2024, 12, 15), reason="moved")
    s1 = _case(oost, date(2025, 1, 5))
    _enrol(sport, s1, date(2025, 2, 10))
    late = _case(oost, date(2025, 11, 1))  # its 12 months have not passed
    _enrol(internship, late, date(2025, 12, 10))
    return {"p1": p1, "p2": p2, "c1": c1, "c2": c2, "s1": s1, "late": late}


def test_a_comparison_figure_per_intervention_type_in_use(scene):
    codes = [fig.code for fig in F.figures() if fig.code.startswith("comparison_")]
    assert codes == ["comparison_internship", "comparison_sport_day"]  # no programme: no figure
    fig = F.figure("comparison_internship")
    assert fig.pillar == "careers" and fig.persons
    text = str(fig.definition)
    assert "geen effectmeting" in text and "niets over een persoon" in text
    assert "basis van minstens 10" in text


def test_participants_and_comparison_group_per_quarter(scene):
    from doorbraak.careers.selectors import comparison_counts

    counts = comparison_counts(Q, TODAY)
    internship = counts["comparison_internship"]
    q4, q1, q2, q3 = (
        qi(date(2024, 11, 1)),
        qi(date(2025, 2, 1)),
        qi(date(2025, 5, 1)),
        qi(date(2025, 8, 1)),
    )
    by_q: dict = {}
    for (wijk, _area, q, cat), n in internship.items():
        by_q.setdefault(q, {})[(wijk, cat)] = n
    assert by_q[q1] == {
        ("zuid", "participants:reoffended"): 1,  # p1: police record 4 months after the start
        ("zuid", "participants:not_reoffended"): 1,  # p2: the record came after 12 months
        ("west", "comparison:reoffended"): 1,  # c1, from the quarter's first day
        ("oost", "comparison:not_reoffended"): 1,  # s1 got sport, not an internship
    }
    # 2024-K4: c1 and c2 (closed 15 Dec) were in the approach; p1 is a participant (never in
    # the comparison group), p2 and s1 had not started yet
    assert by_q[q4] == {
        ("west", "comparison:reoffended"): 1,
        ("west", "comparison:not_reoffended"): 1,
    }
    assert by_q[q2] == {
        ("west", "comparison:reoffended"): 1,  # 1 May 2025 is within 12 months of 1 April
        ("oost", "comparison:not_reoffended"): 1,
    }
    # 2025-K3: c1's record lies before the quarter; p2's second internship does not count
    assert by_q[q3] == {
        ("west", "comparison:not_reoffended"): 1,
        ("oost", "comparison:not_reoffended"): 1,
    }
    # the internship that started on 10 December 2025 is followed until December 2026: not yet
    # counted; nor is any quarter that began less than 12 months ago (2026 onwards)
    assert not any(c.startswith("participants") for (_w, _a, q, c) in internship if q > q3)
    assert all(q <= qi(date(2025, 11, 1)) for (_w, _a, q, _c) in internship)
    sport = counts["comparison_sport_day"]
    assert sum(v for (_w, _a, q, c), v in sport.items() if q == q1 and c.startswith("part")) == 1
    assert {(w, c) for (w, _a, q, c) in sport if q == q1 and c.startswith("comp")} == {
        ("zuid", "comparison:reoffended"),  # p1
        ("zuid", "comparison:not_reoffended"),  # p2 (opened 10 Jan)
        ("west", "comparison:reoffended"),  # c1
    }


def test_monitoring_counts_carry_the_comparison_figures(scene):
    from doorbraak.careers.selectors import monitoring_counts

    counts = monitoring_counts(Q, TODAY)
    assert {"comparison_internship", "comparison_sport_day"} <= set(counts)
    assert counts["exits"] == {("west", "", qi(date(2024, 12, 15)), "moved"): 1}


def test_exits_by_reason_in_the_table(db, areas):
    home = f.PremisesFactory(wijk="zuid", area="")
    for i in range(6):
        _case(home, date(2025, 1, 1), closed=date(2026, 2, 1 + i), reason="goals_reached")
    for i in range(5):
        _case(home, date(2025, 1, 1), closed=date(2026, 3, 1 + i), reason="regular_care")
    _case(home, date(2025, 1, 1), closed=date(2026, 3, 10), reason="")  # closed before the field
    cube = F.build_cube(TODAY)
    fig = F.figure("exits")
    assert [c for c, _l in fig.categories] == [
        "goals_reached",
        "regular_care",
        "moved",
        "detention",
        "no_cooperation",
        "other",
        "not_recorded",
    ]
    table = F.figure_table(cube, fig, "zuid", [qi(date(2026, 2, 1))])
    assert table.header[1:3] == ["Doelen bereikt", "Overgedragen aan reguliere zorg"]
    assert table.header[-2:] == ["Niet geregistreerd", "Totaal"]
    row = table.rows[0]
    # 6, 5 and a 1 not recorded: the 1 is "<5", and the total would give it away
    assert row[7] == dc.SMALL
    assert not (row[1] == "6" and row[2] == "5" and row[-1] == "12")


def _cohort(home, programme, org, started: date, reoffend: int, clean: int, group: str):
    for i in range(reoffend + clean):
        case = _case(home, date(2024, 11, 1))
        if group == "participants":
            _enrol(programme, case, started)
            ref = started
        else:
            ref = date(started.year, 1 + 3 * ((started.month - 1) // 3), 1)
        if i < reoffend:
            _police(case, org, date(ref.year, ref.month + 2, 1 + i))


def test_the_rates_are_shown_only_on_bases_of_ten_or_more(db, areas):
    org = f.OrganisationFactory(code="pol-rate", name="Politie rate")
    zuid = f.PremisesFactory(wijk="zuid", area="")
    internship = _programme("internship", "Stage met status")
    started = date(2025, 2, 3)
    _cohort(zuid, internship, org, started, reoffend=6, clean=6, group="participants")
    _cohort(zuid, internship, org, started, reoffend=5, clean=10, group="comparison")
    cube = F.build_cube(TODAY)
    fig = F.figure("comparison_internship")
    table = F.figure_table(cube, fig, "", [qi(started)])
    assert table.header == [
        "Kwartaal",
        "Deelnemers: met recidive",
        "Deelnemers: zonder recidive",
        "Vergelijkingsgroep: met recidive",
        "Vergelijkingsgroep: zonder recidive",
        "Percentage recidive deelnemers",
        "Percentage recidive vergelijkingsgroep",
        "Totaal",
    ]
    assert table.rows[0][1:] == ["6", "6", "5", "10", "50%", "33%", "27"]
    # a period whose quarters hold nothing yet: no rate on an empty base
    later = F.figure_table(cube, fig, "", [qi(date(2026, 11, 1))])
    assert later.rows[0][5:7] == ["—", "—"]


def test_a_small_group_gets_no_rate_and_no_number(db, areas):
    org = f.OrganisationFactory(code="pol-small", name="Politie small")
    zuid = f.PremisesFactory(wijk="zuid", area="")
    internship = _programme("internship", "Stage met status")
    started = date(2025, 5, 6)
    _cohort(zuid, internship, org, started, reoffend=2, clean=5, group="participants")
    _cohort(zuid, internship, org, started, reoffend=6, clean=9, group="comparison")
    cube = F.build_cube(TODAY)
    fig = F.figure("comparison_internship")
    row = F.figure_table(cube, fig, "", [qi(started)]).rows[0]
    assert row[1] == dc.SMALL  # 2 participants reoffended
    assert row[5] == "—"  # base 7 < 10: no rate for the participants
    assert "2" not in row[1:5] and "7" not in row


def test_a_quarter_whose_twelve_months_are_not_over_shows_no_figure_not_zero(scene):
    """The last quarters of a comparison figure are not yet known: a dash and no point in the
    chart, never a 0 that would read as 'nobody reoffended'."""
    cube = F.build_cube(TODAY)
    fig = F.figure("comparison_internship")
    points = F.trend(cube, fig, "")
    pending = qi(date(2025, 12, 10))  # 2025-K4: its last day is less than 12 months ago
    assert points[pending]["shown"] == F.NOT_COUNTED and points[pending].get("absent")
    assert all(p["shown"] == F.NOT_COUNTED for p in points[pending:])
    done = qi(date(2025, 2, 1))
    assert points[done]["shown"] != F.NOT_COUNTED and not points[done].get("absent")
    row = F.figure_table(cube, fig, "", [pending]).rows[0]
    assert set(row[1:5]) == {F.NOT_COUNTED}
