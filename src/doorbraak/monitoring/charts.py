"""Server-side SVG charts: a trend line per figure, readable without colour (markers and the
value written at every point), with a title and description for screen readers. Each chart is
followed by its table on the page.

A value that is not shown (`<5` or `x`) is never drawn as a number: the line breaks there, a
dashed upright line marks the gap, an open circle sits on it (well above the zero line) with its `<5` or `x`,
and a note under the chart says what the open circle means."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.translation import gettext as _

W, H = 640, 244
# the right margin leaves room for half the last quarter's label ("2026-K4" is ~46 px at 12 px)
LEFT, RIGHT, TOP, BOTTOM = 48, 40, 16, 68
AXIS_LABEL_Y = H - BOTTOM + 18
NOTE_Y = H - 14


def trend_svg(points: list[dict], title: str, chart_id: str) -> str:
    values = [p["value"] for p in points if p["value"] is not None]
    top = max(values + [5])
    top = top + max(1, top // 8)
    n = max(len(points), 1)
    step = (W - LEFT - RIGHT) / max(n - 1, 1)
    gaps = [p for p in points if p["value"] is None and not p.get("absent")]

    def x(i):
        return LEFT + i * step

    def y(v):
        return TOP + (H - TOP - BOTTOM) * (1 - v / top)

    parts = [
        f'<svg class="db-chart" viewBox="0 0 {W} {H}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(", ".join(p["label"] + ": " + p["shown"] for p in points))}</desc>',
    ]
    for frac in (0, 0.5, 1):
        v = round(top * frac)
        parts.append(
            f'<line class="db-chart-grid" stroke="#8a8a8a" stroke-dasharray="4 4" x1="{LEFT}" x2="{W - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}"/>'
            f'<text class="db-chart-axis" font-size="12" fill="#333" x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>'
        )
    # line segments between published neighbours only: a gap where a value is not shown
    for i in range(1, len(points)):
        a, b = points[i - 1]["value"], points[i]["value"]
        if a is not None and b is not None:
            parts.append(
                f'<line class="db-chart-line" stroke="#1a1a1a" stroke-width="2.5" x1="{x(i - 1):.1f}" y1="{y(a):.1f}" '
                f'x2="{x(i):.1f}" y2="{y(b):.1f}"/>'
            )
    # between the grid lines (not on the middle one, where the axis label sits)
    mid = TOP + (H - BOTTOM - TOP) * 0.3
    for i, p in enumerate(points):
        if p["value"] is not None:
            parts.append(
                f'<rect class="db-chart-point" fill="#1a1a1a" x="{x(i) - 4:.1f}" y="{y(p["value"]) - 4:.1f}" width="8" height="8"/>'
                f'<text class="db-chart-value" font-size="12" font-weight="bold" fill="#1a1a1a" x="{x(i):.1f}" y="{y(p["value"]) - 9:.1f}" text-anchor="middle">{escape(p["shown"])}</text>'
            )
        elif p.get("absent"):
            # no count at all (e.g. before the first risk run): nothing drawn but a dash
            parts.append(
                f'<text class="db-chart-axis" font-size="12" fill="#333" x="{x(i):.1f}" y="{H - BOTTOM - 6}" text-anchor="middle">{escape(p["shown"])}</text>'
            )
        else:
            # a gap, not a zero: a dashed upright over the whole height, the open marker halfway
            parts.append(
                f'<line class="db-chart-gap" stroke="#555" stroke-width="1.5" stroke-dasharray="2 3" x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{TOP}" y2="{H - BOTTOM}"/>'
                f'<circle class="db-chart-hidden" fill="#fff" stroke="#1a1a1a" stroke-width="2" cx="{x(i):.1f}" cy="{mid:.1f}" r="6"/>'
                f'<text class="db-chart-value" font-size="12" font-weight="bold" fill="#1a1a1a" x="{x(i):.1f}" y="{mid - 11:.1f}" text-anchor="middle">{escape(p["shown"])}</text>'
            )
        parts.append(
            f'<text class="db-chart-axis" font-size="12" fill="#333" x="{x(i):.1f}" y="{AXIS_LABEL_Y}" text-anchor="middle">{escape(p["label"])}</text>'
        )
    if gaps:
        note = _("Open cirkel: waarde niet getoond (<5 = 1 tot 4, x = afgeschermd), geen nul.")
        parts.append(
            f'<circle class="db-chart-hidden" fill="#fff" stroke="#1a1a1a" stroke-width="2" cx="{LEFT + 6}" cy="{NOTE_Y - 4}" r="5"/>'
            f'<text class="db-chart-note" font-size="11" fill="#333" x="{LEFT + 16}" y="{NOTE_Y}">{escape(note)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
