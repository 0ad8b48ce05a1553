"""Limits on user input, shared by every form, serializer and action (one source of truth).

Free text is bounded so that nobody stores a megabyte in a "reason" field; ids are bounded to
what the database can hold (a larger number is "not found" or bad input, never a crash); dates
of birth lie in the past and within a human lifetime."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

MAX_ID = 2**63 - 1  # BigAutoField; also the largest integer SQLite and PostgreSQL bigint hold

TEXT_MAX = 5000  # a report, a motivation, an explanation (about two pages)
REASON_MAX = 500  # the purpose given for revealing an identity or exporting
NOTE_MAX = 1000  # a short note (a judgement in the review queue)
SEARCH_MAX = 100  # a search box

OLDEST_AGE = 120  # years


def bounded_int(value):
    """An int within what the database can hold, else None (callers treat None as not found)."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if -MAX_ID <= number <= MAX_ID else None


def birth_date_error(value: date | None) -> str:
    """Why a date of birth is not plausible ("" when it is, or when none is given)."""
    if value is None:
        return ""
    today = timezone.localdate()
    if value > today:
        return _("Een geboortedatum kan niet in de toekomst liggen.")
    if value.year < today.year - OLDEST_AGE:
        return _("Deze geboortedatum is niet aannemelijk (meer dan %(n)s jaar geleden).") % {
            "n": OLDEST_AGE
        }
    return ""
