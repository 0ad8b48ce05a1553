"""The trend chart: a value that is not shown is a gap with an open marker and a note, never a
point at 0; the last quarter's label fits inside the picture."""

from __future__ import annotations

import re

from doorbraak.monitoring import charts


def _points(values):
    return [
        {"label": f"2026-K{i % 4 + 1}", "value": v, "shown": s} for i, (v, s) in enumerate(values)
    ]


def test_a_suppressed_value_is_a_gap_not_a_zero():
    svg = charts.trend_svg(_points([(None, "x"), (12, "12"), (None, "<5"), (20, "20")]), "t", "c")
    zero_y = charts.TOP + (charts.H - charts.TOP - charts.BOTTOM)  # y of the value 0
    circles = re.findall(r'<circle class="db-chart-hidden"[^>]* cy="([\d.]+)"', svg)
    assert len(circles) == 3  # two gaps and the note's legend
    for cy in circles[:2]:
        assert float(cy) < zero_y - 40, "drawn well above the zero line"
    assert svg.count('class="db-chart-gap"') == 2
    assert "geen nul" in svg  # the note under the chart
    # no line runs through a gap: only the 12 and the 20 are points, and they are not adjacent
    assert svg.count('class="db-chart-line"') == 0
    assert svg.count('class="db-chart-point"') == 2


def test_no_note_without_a_gap():
    svg = charts.trend_svg(_points([(3, "3"), (12, "12")]), "t", "c")
    assert "db-chart-note" not in svg and svg.count('class="db-chart-line"') == 1


def test_the_last_label_fits():
    svg = charts.trend_svg(_points([(i, str(i)) for i in range(9)]), "t", "c")
    xs = [
        float(x)
        for x in re.findall(
            r'class="db-chart-axis"[^>]* x="([\d.]+)" y="[\d.]+" text-anchor="middle"', svg
        )
    ]
    last = max(xs)
    half_label = 7 * 12 * 0.6 / 2  # "2026-K4": 7 characters of about 0.6 em at 12 px
    assert last + half_label <= charts.W
