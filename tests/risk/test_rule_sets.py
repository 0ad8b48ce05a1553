"""Rule sets: a draft is validated by the analytics' own loader, adopted by an analyst
(audited); the previous one is retired; new runs use the adopted one."""

from __future__ import annotations

import pytest

from doorbraak.audit.models import AuditEntry
from doorbraak.risk import actions, services
from doorbraak.risk.models import RuleSet, RuleSetStatus
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(world):
    user = world.users["analyst"]
    user.is_verified = lambda: True  # as the OTP middleware marks a logged-in user
    return user


def _draft_text(version="2027.01-concept", weight="2.0"):
    text = services.shipped_rules_text()
    text = text.replace('version: "2026.12-1"', f'version: "{version}"')
    # the closure weight 2.0 -> another value, once
    return text.replace(
        "    weight: 2.0\n    sources: [closures]", f"    weight: {weight}\n    sources: [closures]"
    )


def test_upload_validates_and_stores_a_draft(client, world, run):
    login(client, world.users["analyst"])
    r = client.post("/risico/regelsets/nieuw/", {"yaml_text": _draft_text(weight="3.0")})
    draft = RuleSet.objects.get(version="2027.01-concept")
    assert r.status_code == 302 and draft.status == RuleSetStatus.DRAFT
    assert draft.parsed().get("earlier_closure").weight == 3.0
    assert AuditEntry.objects.filter(object_type="risk_rule_set", action="create").exists()


@pytest.mark.parametrize(
    "text, message",
    [
        ("version: x\nindicators: [", "YAML"),
        ("version: x\nindicators:\n  - id: nationality\n", "ontbreekt"),
        (None, "bestaat al"),
    ],
)
def test_bad_drafts_are_refused_with_a_reason(client, world, run, text, message):
    login(client, world.users["analyst"])
    text = text if text is not None else services.shipped_rules_text()
    r = client.post("/risico/regelsets/nieuw/", {"yaml_text": text})
    assert r.status_code == 200 and message in r.content.decode()
    assert RuleSet.objects.count() == 1


def test_adopting_retires_the_previous_and_new_runs_use_it(client, analyst, run, register):
    draft = actions.upload_draft(analyst, _draft_text(weight="4.0"))
    login(client, analyst)
    r = client.post(f"/risico/regelsets/{draft.pk}/vaststellen/")
    assert r.status_code == 302
    draft.refresh_from_db()
    old = RuleSet.objects.get(pk=run.rule_set_id)
    assert draft.status == RuleSetStatus.ADOPTED and draft.adopted_by == analyst.username
    assert old.status == RuleSetStatus.RETIRED
    entry = AuditEntry.objects.filter(object_type="risk_rule_set", action="update").last()
    assert entry.username == analyst.username and entry.detail["retired"] == [old.version]
    second = actions.start_run(requested_by="test", as_of=run.as_of)
    closed = second.results.get(object_type="premises", object_id=register["closed"].bag_id)
    assert second.rule_set == draft and closed.score == 5.0  # closure 4.0 + occupancy 1.0
    # the earlier run keeps its own rule set and still reproduces
    assert actions.reproduce(run)[0]


def test_only_a_draft_can_be_adopted(analyst, run):
    with pytest.raises(actions.RuleSetRejected):
        actions.adopt(analyst, run.rule_set)


def test_enforcement_officers_cannot_upload_or_adopt(world, run):
    from doorbraak.policy import AccessDenied

    officer = world.users["enforcement_officer"]
    officer.is_verified = lambda: True
    with pytest.raises(AccessDenied):
        actions.upload_draft(officer, _draft_text())
    assert RuleSet.objects.count() == 1


def test_evaluate_snapshot_with_a_draft_for_the_backtest(analyst, run, register):
    draft = actions.upload_draft(analyst, _draft_text(weight="0.5"))
    result = services.evaluate_snapshot(draft, run)
    scores = {(t, oid): s for t, oid, s, _ in result.rows}
    assert scores[("premises", register["closed"].bag_id)] == 1.5
    assert draft.status == RuleSetStatus.DRAFT  # a backtest adopts nothing
