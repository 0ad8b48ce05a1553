"""Server-side SVG charts: a trend line per figure, readable without colour (markers and the
value written at every point; a suppressed point is an open marker with its `<5` or `x`), with
a title and description for screen readers. Each chart is followed by its table on the page."""

from __future__ import annotations

from django.utils.html import escape

W, H = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 44


def trend_svg(points: list[dict], title: str, chart_id: str) -> str:
    values = [p["value"] for p in points if p["value"] is not None]
    top = max(values + [5])
    top = top + max(1, top // 8)
    n = max(len(points), 1)
    step = (W - LEFT - RIGHT) / max(n - 1, 1)

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
    for i, p in enumerate(points):
        if p["value"] is not None:
            parts.append(
                f'<rect class="db-chart-point" fill="#1a1a1a" x="{x(i) - 4:.1f}" y="{y(p["value"]) - 4:.1f}" width="8" height="8"/>'
                f'<text class="db-chart-value" font-size="12" font-weight="bold" fill="#1a1a1a" x="{x(i):.1f}" y="{y(p["value"]) - 9:.1f}" text-anchor="middle">{escape(p["shown"])}</text>'
            )
        else:
            parts.append(
                f'<circle class="db-chart-hidden" fill="#fff" stroke="#1a1a1a" stroke-width="2" cx="{x(i):.1f}" cy="{y(0) - 6:.1f}" r="5"/>'
                f'<text class="db-chart-value" font-size="12" font-weight="bold" fill="#1a1a1a" x="{x(i):.1f}" y="{y(0) - 15:.1f}" text-anchor="middle">{escape(p["shown"])}</text>'
            )
        parts.append(
            f'<text class="db-chart-axis" font-size="12" fill="#333" x="{x(i):.1f}" y="{H - BOTTOM + 18}" text-anchor="middle">{escape(p["label"])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
