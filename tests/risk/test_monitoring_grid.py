"""risk.selectors.monitoring_counts: premises and companies in the risk picture at each
quarter's end (the latest finished run on or before it, score at least the picture's minimum)."""

from __future__ import annotations

from datetime import date

import pytest

from doorbraak.risk import selectors
from doorbraak.risk.models import RiskResult, RiskRun, RuleSet, RunStatus

QUARTERS = [
    (date(2026, 1, 1), date(2026, 3, 31)),
    (date(2026, 4, 1), date(2026, 6, 30)),
    (date(2026, 7, 1), date(2026, 9, 30)),
]


def _run(as_of, status=RunStatus.DONE):
    rules, _new = RuleSet.objects.get_or_create(
        version="2026.1", defaults={"yaml": "indicators: []", "sha256": "0" * 64, "created_by": "t"}
    )
    return RiskRun.objects.create(
        rule_set=rules,
        rules_version="2026.1",
        rules_sha256="0" * 64,
        as_of=as_of,
        started_by="test",
        status=status,
    )


def _result(run, n, object_type, score, wijk="overvecht", area="nieuw_overvecht"):
    for i in range(n):
        RiskResult.objects.create(
            run=run,
            object_type=object_type,
            object_id=f"{object_type[:1]}{i:04d}-{score:g}-{wijk[:4]}",  # at most 16 characters
            score=score,
            wijk=wijk,
            area=area,
        )


@pytest.mark.django_db
def test_each_quarter_takes_the_latest_run_before_its_end(settings):
    settings.RISK_PICTURE_MIN_SCORE = 3.0
    april = _run(date(2026, 4, 15))
    _result(april, 6, "premises", 4)
    _result(april, 9, "premises", 1)  # under the picture's minimum: not counted
    _result(april, 2, "company", 3, wijk="zuid", area="")
    august = _run(date(2026, 8, 20))
    _result(august, 7, "premises", 3.5)
    failed = _run(date(2026, 9, 1), status=RunStatus.FAILED)
    _result(failed, 50, "premises", 9)
    grid = selectors.monitoring_counts(QUARTERS)["risk_flagged"]
    assert not any(qi == 0 for (_w, _a, qi, _c) in grid), "no run before April: no count"
    assert grid[("overvecht", "nieuw_overvecht", 1, "premises")] == 6
    assert grid[("zuid", "", 1, "company")] == 2
    assert grid[("overvecht", "nieuw_overvecht", 2, "premises")] == 7, (
        "August's run, not the failed one"
    )
    assert ("zuid", "", 2, "company") not in grid
    runs = selectors.monitoring_runs(QUARTERS)
    assert [r["as_of"] for r in runs] == ["2026-04-15", "2026-08-20"]
