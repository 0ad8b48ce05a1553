"""Small-number suppression for every aggregate that leaves the system."""

from __future__ import annotations

SUPPRESSION_THRESHOLD = 5


def suppress(count: int | None, threshold: int = SUPPRESSION_THRESHOLD) -> str:
    """Counts under the threshold, zero included, are shown as "<5"."""
    if count is None:
        return ""
    if count < threshold:
        return f"<{threshold}"
    return str(count)


def suppress_table(
    rows: list[dict], count_fields: list[str], threshold: int = SUPPRESSION_THRESHOLD
) -> list[dict]:
    return [
        {k: (suppress(v, threshold) if k in count_fields else v) for k, v in row.items()}
        for row in rows
    ]
