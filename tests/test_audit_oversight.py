"""The privacy officer sees why an identity was revealed or access denied (page and export), in
Dutch, and the home page flags unusual denial patterns by the rules in the settings."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from doorbraak.audit import selectors
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditEntry
from tests.conftest import login

REASON = "Onderzoek naar stroman bij Garage (RIEC-dossier 2026-17)"


def _reveal(client, world):
    login(client, world.users["analyst"])
    response = client.post(
        reverse("person_reveal", kwargs={"pk": world.persons["officer"].pk}), {"reason": REASON}
    )
    assert response.status_code == 302
    client.logout()


def test_audit_page_shows_the_reveal_reason_and_organisation_name(client, world):
    _reveal(client, world)
    login(client, world.users["privacy_officer"])
    page = client.get(reverse("audit_log"), {"action": "reveal"}).content.decode()
    assert REASON in page
    assert "RIEC Midden-Nederland" in page  # the organisation's name, not its code
    assert (
        "risicoanalyse" in page and "Identiteit" in page
    )  # purpose and category label, not "identity"
    assert ">identity<" not in page


def test_audit_export_has_the_detail_column(client, world):
    _reveal(client, world)
    login(client, world.users["privacy_officer"])
    export = client.get(reverse("audit_export"), {"action": "reveal"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows and json.loads(rows[0]["detail"])["reason"] == REASON


def test_denial_reason_is_shown_in_dutch_and_in_english(client, world):
    login(client, world.users["school"])
    assert client.get(reverse("case_detail", kwargs={"pk": world.cases["b"].pk})).status_code == 403
    client.logout()
    login(client, world.users["privacy_officer"])
    page = client.get(reverse("audit_log"), {"action": "deny"}).content.decode()
    assert "organisatie neemt geen deel aan de casus" in page and "ROC (test)" in page
    assert "does not take part" not in page
    en = client.get(
        reverse("audit_log"), {"action": "deny"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "organisation does not take part in the case" in en


RULES = selectors.DenialRules(
    burst_count=20, burst_minutes=10, probe_objects=10, probe_hours=24, lookback_days=7
)


def test_a_hundred_denials_in_a_minute_are_flagged(world):
    school = world.users["school"]
    for i in range(100):
        audit.record(
            "deny", user=school, object_type="case", object_id=1000 + i, detail={"reason": "x"}
        )
    audit.record("deny", user=world.users["analyst"], object_type="page", object_id="case_list")
    patterns = selectors.denial_patterns(rules=RULES)
    burst = [p for p in patterns if p.rule == "burst"]
    assert [(p.username, p.count) for p in burst] == [("mentor", 100)]
    probe = [p for p in patterns if p.rule == "probe"]
    assert [(p.username, p.objects) for p in probe] == [("mentor", 100)]
    assert burst[0].organisation_name == "ROC (test)"


def test_few_denials_or_repeats_of_one_object_are_not_flagged(world):
    for _ in range(19):
        audit.record("deny", user=world.users["school"], object_type="case", object_id=1)
    assert selectors.denial_patterns(rules=RULES) == []
    audit.record("deny", user=world.users["school"], object_type="case", object_id=1)
    patterns = selectors.denial_patterns(rules=RULES)
    assert [p.rule for p in patterns] == ["burst"]  # 20 in a burst, but one object: no probe


def test_window_and_lookback_follow_the_rules(world):
    for i in range(30):
        audit.record("deny", user=world.users["school"], object_type="case", object_id=i)
    later = timezone.now() + timedelta(days=8)
    assert selectors.denial_patterns(now=later, rules=RULES) == []  # outside the lookback
    strict = selectors.DenialRules(
        burst_count=31, burst_minutes=10, probe_objects=31, probe_hours=24, lookback_days=7
    )
    assert selectors.denial_patterns(rules=strict) == []


def test_slow_denials_are_a_probe_not_a_burst():
    from doorbraak.audit.selectors import _windows

    t0 = timezone.now()
    rows = [
        {"occurred_at": t0 + timedelta(minutes=30 * i), "object_type": "case", "object_id": str(i)}
        for i in range(40)
    ]
    bursts = _windows(rows, timedelta(minutes=10), id, 20)
    probes = _windows(rows, timedelta(hours=24), lambda r: r["object_id"], 10)
    assert bursts == [] and len(probes) == 1 and len(probes[0]) == 40
    # two separate bursts stay two
    rows = [
        {"occurred_at": t0 + timedelta(seconds=i), "object_type": "c", "object_id": "1"}
        for i in range(25)
    ]
    rows += [
        {"occurred_at": t0 + timedelta(hours=2, seconds=i), "object_type": "c", "object_id": "1"}
        for i in range(25)
    ]
    assert [len(r) for r in _windows(rows, timedelta(minutes=10), id, 20)] == [25, 25]


def test_privacy_officer_home_flags_the_burst_and_explains_the_rule(client, world, settings):
    settings.AUDIT_DENIAL_BURST_COUNT = 50
    for i in range(60):
        audit.record("deny", user=world.users["school"], object_type="case", object_id=i)
    login(client, world.users["privacy_officer"])
    page = client.get(reverse("home")).content.decode()
    assert "Opvallende weigeringen" in page
    assert (
        "ten minste 50 keer binnen 10 minuten" in page
    )  # the threshold from the settings, explained
    assert "mentor" in page and "reeks weigeringen" in page and "ROC (test)" in page
    assert reverse("audit_log") + "?username=mentor&amp;action=deny" in page


def test_quiet_log_shows_no_flags(client, world):
    login(client, world.users["privacy_officer"])
    assert "Geen opvallende weigeringen." in client.get(reverse("home")).content.decode()
    assert AuditEntry.objects.filter(action="deny").count() == 0


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_audit_page_renders_in_both_languages(client, world, lang):
    login(client, world.users["privacy_officer"])
    assert client.get(reverse("audit_log"), HTTP_ACCEPT_LANGUAGE=lang).status_code == 200
