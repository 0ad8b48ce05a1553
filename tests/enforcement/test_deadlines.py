"""The objection deadline counted as the Awb and the Algemene termijnenwet count it, checked
against dates computed by hand (calendar open beside it)."""

from __future__ import annotations

from datetime import date

import pytest

from doorbraak.enforcement.deadlines import (
    easter_sunday,
    objection_deadline,
    objection_in_time,
    public_holidays,
)


@pytest.mark.parametrize(
    "year, easter",
    [
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),  # the latest possible Easter
        (2285, date(2285, 3, 22)),  # the earliest possible Easter
    ],
)
def test_easter_by_the_computus(year, easter):
    assert easter_sunday(year) == easter


def test_holidays_of_2026_and_kings_day_on_a_sunday():
    h = public_holidays(2026)
    assert set(h) == {
        date(2026, 1, 1),
        date(2026, 4, 5),
        date(2026, 4, 6),
        date(2026, 4, 27),
        date(2026, 5, 5),
        date(2026, 5, 14),
        date(2026, 5, 24),
        date(2026, 5, 25),
        date(2026, 12, 25),
        date(2026, 12, 26),
    }
    assert date(2026, 4, 3) not in h  # Goede Vrijdag is no general holiday
    # 27 April 2025 is a Sunday: Koningsdag is Saturday 26 April
    assert date(2025, 4, 26) in public_holidays(2025)
    assert date(2025, 4, 27) not in public_holidays(2025)


@pytest.mark.parametrize(
    "announced, deadline, why",
    [
        (date(2026, 11, 2), date(2026, 12, 14), "Monday + 6 weeks is a Monday, a working day"),
        (date(2026, 11, 4), date(2026, 12, 16), "Wednesday to Wednesday"),
        (date(2026, 10, 31), date(2026, 12, 14), "ends Saturday 12 Dec: Monday 14 Dec"),
        (date(2026, 11, 1), date(2026, 12, 14), "ends Sunday 13 Dec: Monday 14 Dec"),
        (
            date(2026, 11, 13),
            date(2026, 12, 28),
            "ends Fri 25 Dec (Kerst), Sat 26 (Tweede Kerstdag), Sun 27: Monday 28 Dec",
        ),
        (date(2026, 11, 14), date(2026, 12, 28), "ends Saturday 26 Dec: Monday 28 Dec"),
        (date(2026, 11, 20), date(2027, 1, 4), "ends Fri 1 Jan 2027 (Nieuwjaar): Mon 4 Jan"),
        (date(2026, 11, 19), date(2026, 12, 31), "ends Thursday 31 Dec: stays (no holiday)"),
        (date(2027, 2, 12), date(2027, 3, 26), "ends on Goede Vrijdag 2027: stays"),
        (date(2027, 2, 15), date(2027, 3, 30), "ends on Tweede Paasdag 29 Mar 2027: Tuesday"),
        (date(2026, 3, 16), date(2026, 4, 28), "ends on Koningsdag 27 Apr 2026: Tuesday"),
        (date(2026, 3, 24), date(2026, 5, 6), "ends on 5 mei 2026 (Tuesday): Wednesday"),
        (date(2026, 4, 2), date(2026, 5, 15), "ends on Hemelvaart 14 May 2026: Friday"),
        (date(2026, 4, 13), date(2026, 5, 26), "ends on Tweede Pinksterdag 25 May 2026: Tuesday"),
        (date(2025, 3, 15), date(2025, 4, 28), "ends Sat 26 Apr 2025 (Koningsdag): Monday 28"),
    ],
)
def test_objection_deadline(announced, deadline, why):
    assert objection_deadline(announced) == deadline, why


def test_in_time_on_the_last_day_not_the_day_after_and_posted_in_time():
    announced = date(2026, 11, 13)  # deadline Monday 28 December 2026
    assert objection_in_time(announced, date(2026, 12, 28))
    assert not objection_in_time(announced, date(2026, 12, 29))
    # Awb 6:9 lid 2: posted before the end, received within a week after it
    assert objection_in_time(announced, date(2027, 1, 4), posted_on=date(2026, 12, 28))
    assert not objection_in_time(announced, date(2027, 1, 5), posted_on=date(2026, 12, 28))
    assert not objection_in_time(announced, date(2027, 1, 2), posted_on=date(2026, 12, 29))
