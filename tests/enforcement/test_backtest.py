"""The backtest's comparison on hand-made data (the evaluation itself is risk's and the
analytics' and has its own tests; the end-to-end run is checked with the demo once risk is in)."""

from __future__ import annotations

from doorbraak.enforcement.backtest import compare

P = "premises"


def test_drop_outs_entries_and_precision_old_against_new():
    actioned = {(P, f"b{i}"): i < 4 for i in range(12)}  # b0..b3 found something
    actioned[("company", "k1")] = True
    # old rules flag b0..b11 (12 actioned, 4 hits) and one object nobody visited
    old = {(P, f"b{i}"): ["vulnerable_sector"] for i in range(12)}
    old[(P, "x1")] = ["vulnerable_sector"]
    for i in range(4):
        old[(P, f"b{i}")].append("permit_missing_or_expired")
    # the draft drops vulnerable_sector: only the permit indicator is left, plus a new one
    new = {(P, f"b{i}"): ["permit_missing_or_expired"] for i in range(4)}
    new[("company", "k1")] = ["officer_churn"]
    new[(P, "x2")] = ["officer_churn"]
    bt = compare(old, new, actioned)

    assert (bt.old.flagged, bt.old.actioned, bt.old.hits) == (13, 12, 4)
    assert bt.old.precision == 4 / 12
    assert (bt.new.flagged, bt.new.actioned, bt.new.hits) == (6, 5, 5)
    assert bt.new.precision is None  # 5 actioned objects: under the base of 10, no rate
    assert sorted(k for k, _ in bt.dropped) == sorted((P, f"b{i}") for i in range(4, 12))
    assert all(found is False for _, found in bt.dropped)  # the drop-outs found nothing
    assert bt.entered == [(("company", "k1"), True)]
    assert bt.entered_unactioned == 1
    by_id = {c.indicator: c for c in bt.indicators}
    vs = by_id["vulnerable_sector"]
    assert (vs.old.actioned, vs.old.hits, vs.new.flagged) == (12, 4, 0)
    pm = by_id["permit_missing_or_expired"]
    assert (pm.old.actioned, pm.old.hits, pm.new.actioned, pm.new.hits) == (4, 4, 4, 4)
    assert bt.actioned_total == 13
