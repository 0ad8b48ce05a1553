"""The objection deadline (bezwaartermijn) of a decision, counted as the law counts it.

- Awb art. 6:7: the term for an objection is six weeks.
- Awb art. 6:8 lid 1: the term starts on the day after the day on which the decision was announced
  (bekendgemaakt, e.g. sent). Six weeks starting on day D+1 therefore end at the end of day D + 42:
  a decision sent on Monday 2 November 2026 can be objected to up to and including Monday
  14 December 2026.
- Algemene termijnenwet art. 1 lid 1: a term set by law that ends on a Saturday, a Sunday or a
  generally recognised public holiday is extended to the end of the next day that is none of these.
- Algemene termijnenwet art. 3 lid 1: the generally recognised public holidays are Nieuwjaarsdag
  (1 January), Eerste en Tweede Paasdag, Hemelvaartsdag, Eerste en Tweede Pinksterdag, Eerste en
  Tweede Kerstdag (25 and 26 December), the day on which the King's birthday is celebrated
  (Koningsdag: 27 April, or 26 April when the 27th is a Sunday) and 5 May (Bevrijdingsdag, every
  year). Goede Vrijdag (Good Friday) is NOT one of them. Easter follows the Gregorian computus;
  Hemelvaart is 39 days after Easter Sunday, Pinksteren 49 and 50 days after it.

Pure functions, no database.
"""

from __future__ import annotations

from datetime import date, timedelta

OBJECTION_WEEKS = 6


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the computus' own letter)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int) -> dict[date, str]:
    """The general public holidays of Algemene termijnenwet art. 3 lid 1 in one year."""
    easter = easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # Sunday: celebrated on the Saturday before
        kings_day = date(year, 4, 26)
    return {
        date(year, 1, 1): "Nieuwjaarsdag",
        easter: "Eerste Paasdag",
        easter + timedelta(days=1): "Tweede Paasdag",
        kings_day: "Koningsdag",
        date(year, 5, 5): "Bevrijdingsdag",
        easter + timedelta(days=39): "Hemelvaartsdag",
        easter + timedelta(days=49): "Eerste Pinksterdag",
        easter + timedelta(days=50): "Tweede Pinksterdag",
        date(year, 12, 25): "Eerste Kerstdag",
        date(year, 12, 26): "Tweede Kerstdag",
    }


def is_public_holiday(day: date) -> bool:
    return day in public_holidays(day.year)


def is_non_working_day(day: date) -> bool:
    """Saturday, Sunday or a general public holiday (Algemene termijnenwet art. 1 lid 1)."""
    return day.weekday() >= 5 or is_public_holiday(day)


def next_working_day(day: date) -> date:
    """The day itself, or the first day after it that is no Saturday, Sunday or public holiday."""
    while is_non_working_day(day):
        day += timedelta(days=1)
    return day


def objection_deadline(announced_on: date) -> date:
    """The last day on which an objection against a decision announced on `announced_on` is in time
    (Awb art. 6:7 and 6:8, extended by Algemene termijnenwet art. 1 and 3; see the module docstring)."""
    return next_working_day(announced_on + timedelta(weeks=OBJECTION_WEEKS))


def objection_in_time(announced_on: date, received_on: date, posted_on: date | None = None) -> bool:
    """Whether an objection is in time (Awb art. 6:9): received on or before the last day of the
    term, or (lid 2) posted by mail before the term ended and received no later than a week after."""
    deadline = objection_deadline(announced_on)
    if received_on <= deadline:
        return True
    return (
        posted_on is not None
        and posted_on <= deadline
        and received_on <= deadline + timedelta(weeks=1)
    )
