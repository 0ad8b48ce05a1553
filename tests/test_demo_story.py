"""The demo tells a true story on any day: it is dated relative to the day it is built, and it
has been through retention as production would have been."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from freezegun import freeze_time

import doorbraak.site.urls  # noqa: F401  (load the pages, and pandas with them, before a clock is frozen: fast)
from doorbraak.audit.models import AuditEntry
from doorbraak.careers.models import Alert, Case, CaseStatus, Contact, PlanAction, Review
from doorbraak.demo import clock
from doorbraak.demo.generator import build_demo_city, reset_demo_data
from doorbraak.partners.models import Covenant
from doorbraak.privacy import retention
from doorbraak.registers.models import Person, Premises

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_mode")]

FIRST, LATER = date(2026, 11, 1), date(2027, 3, 16)


def _dates() -> dict:
    return {
        "cases": list(
            Case.objects.order_by("pk").values_list(
                "opened_on", "closed_on", "next_review_due", "inclusion_end"
            )
        ),
        "persons": list(Person.objects.order_by("pk").values_list("birth_date", "received_on")),
        "premises": list(Premises.objects.order_by("pk").values_list("received_on", flat=True)),
        "contacts": list(Contact.objects.order_by("pk").values_list("contact_on", flat=True)),
        "actions": list(PlanAction.objects.order_by("pk").values_list("due_on", flat=True)),
        "reviews": list(Review.objects.order_by("pk").values_list("held_on", "next_review_due")),
        "alerts": sorted(Alert.objects.values_list("kind", "created_on")),
        "covenant": list(Covenant.objects.values_list("valid_from", "valid_until")),
    }


def _moved(value, delta: timedelta):
    if isinstance(value, date):
        return value + delta
    if isinstance(value, (list, tuple)):
        return type(value)(_moved(v, delta) for v in value)
    if isinstance(value, dict):
        return {k: _moved(v, delta) for k, v in value.items()}
    return value


def test_demo_dates_move_with_the_build_date():
    with freeze_time("2026-11-01 09:00"):
        build_demo_city(businesses=300, cases=20)
        first = _dates()
        assert clock.built_on() == FIRST
    reset_demo_data()
    with freeze_time("2027-03-16 09:00"):
        build_demo_city(businesses=300, cases=20)
        later = _dates()
        assert clock.built_on() == LATER
    assert first["cases"] and first["contacts"] and first["alerts"]
    # The same city, every date moved by the days between the two builds.
    assert later == _moved(first, LATER - FIRST)
    # Current on the build day: recent contacts, deliveries a few weeks old, alerts of today,
    # reviews of open cases due around now, not in 2026.
    assert LATER - timedelta(days=30) < max(later["contacts"]) <= LATER
    assert all(LATER - timedelta(days=30) < d < LATER for d in later["premises"])
    assert {created for _kind, created in later["alerts"]} == {LATER}
    open_due = Case.objects.filter(status=CaseStatus.OPEN).values_list("next_review_due", flat=True)
    assert all(LATER - timedelta(days=200) < d < LATER + timedelta(days=200) for d in open_due)
    assert Covenant.objects.get().valid_from <= LATER <= Covenant.objects.get().valid_until


def test_same_build_date_same_demo():
    with freeze_time("2027-05-02 09:00"):
        build_demo_city(businesses=300, cases=20)
        first = _dates()
        reset_demo_data()
        build_demo_city(businesses=300, cases=20)
        assert _dates() == first


@freeze_time("2027-03-16 09:00")
def test_the_demo_has_been_through_retention():
    build_demo_city(businesses=300, cases=20)
    case_type_days = {
        c.case_type_id: c.case_type.retention_days for c in Case.objects.select_related("case_type")
    }
    expired = [
        c
        for c in Case.objects.filter(status=CaseStatus.CLOSED)
        if c.closed_on < LATER - timedelta(days=case_type_days[c.case_type_id])
    ]
    assert len(expired) >= 2
    for case in expired:  # anonymised as production's daily retention job would have done
        assert case.anonymised and case.subject is None and case.summary == ""
        assert (
            not case.records.exists() and not case.contacts.exists() and not case.reviews.exists()
        )
    still = Case.objects.exclude(pk__in=[c.pk for c in expired])
    assert not still.filter(anonymised=True).exists() and not still.filter(subject=None).exists()
    assert AuditEntry.objects.filter(action="anonymise", object_type="case").count() == len(expired)
    assert retention.preview(LATER) == []


def _truth(today: date) -> dict:
    """What is overdue in the demo, worked out here from the data, independently of the app."""
    out = {}
    for case in Case.objects.filter(status=CaseStatus.OPEN):
        seen = [c.contact_on for c in case.contacts.all() if c.kind != "attempt"]
        gap = (today - max(seen or [case.opened_on])).days
        late_actions = [
            a
            for g in case.goals.all()
            for a in g.actions.all()
            if a.due_on < today and a.status in ("planned", "busy")
        ]
        kinds = set()
        if case.next_review_due and case.next_review_due < today:
            kinds.add("review")
        if late_actions:
            kinds.add("action")
        if gap > (case.contact_cadence_days or 14):
            kinds.add("contact")
        if kinds:
            out[case.reference] = (case, kinds, {a.pk for a in late_actions})
    return out


@freeze_time("2027-03-16 09:00")
def test_overdue_reviews_actions_and_contacts_are_marked(client):
    import re

    from doorbraak.demo.accounts import CASE_DIRECTOR_USERNAME
    from doorbraak.partners.models import User
    from tests.conftest import login

    build_demo_city(businesses=300, cases=40)
    truth = _truth(LATER)
    # The demo's story has each kind of lateness, but not everywhere. At this small size the
    # generator's draws (row order differs between databases) may leave no one unseen: then one
    # open, otherwise on-time case loses its recent contacts, so every kind of mark is checked.
    if not any("contact" in kinds for _c, kinds, _a in truth.values()):
        case = (
            Case.objects.filter(status=CaseStatus.OPEN, opened_on__lt=LATER - timedelta(days=90))
            .exclude(reference__in=truth)
            .order_by("pk")
            .first()
        )
        case.contacts.filter(
            contact_on__gt=LATER - timedelta(days=(case.contact_cadence_days or 14) + 1)
        ).delete()
        truth = _truth(LATER)
    assert {k for _c, kinds, _a in truth.values() for k in kinds} == {"review", "action", "contact"}
    assert len(truth) < Case.objects.filter(status=CaseStatus.OPEN).count()
    login(client, User.objects.get(username=CASE_DIRECTOR_USERNAME))

    home = client.get("/").content.decode()
    rows = dict(re.findall(r'<tr data-overdue-case="([^"]+)">(.*?)</tr>', home, re.S))
    assert set(rows) == set(truth)
    for ref, (_case, kinds, _actions) in truth.items():
        assert set(re.findall(r'data-overdue="(\w+)"', rows[ref])) == kinds
        assert rows[ref].count("te laat") == len(kinds)  # said in words, not only by colour

    for ref, (case, kinds, actions) in truth.items():
        page = client.get(f"/casussen/{case.pk}/").content.decode()
        marks = re.findall(r'data-overdue="(\w+)"', page)
        assert set(marks) == kinds, ref
        assert marks.count("action") == len(actions)
    on_time = Case.objects.filter(status=CaseStatus.OPEN).exclude(reference__in=truth).first()
    assert "data-overdue" not in client.get(f"/casussen/{on_time.pk}/").content.decode()
