"""Windows and thresholds of the typologies; defaults, overridable from YAML or the CLI.

Every value is named after what an analyst would say ("fan-out: at least 5 recipients within
4 days"), so a lawyer can read the rule set. The version goes with every result.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

RULESET_VERSION = "moneyflows-rules-1"

HOUR = 3600
DAY = 24 * HOUR


@dataclass(frozen=True)
class FlowConfig:
    # fan-in / fan-out: one account with many distinct counterparties in a window
    fan_window_hours: float = 96.0
    fan_min_counterparties: int = 5
    # scatter-gather / gather-scatter
    sg_window_hours: float = 168.0
    sg_min_intermediaries: int = 3
    # intermediaries/hubs above this degree (whole data) are not followed: shops, payroll
    max_intermediary_degree: int = 100
    # accounts above this degree (whole data) are left out of cycles: bounds the path search
    max_cycle_degree: int = 2000
    # cycles: length 2..6, every hop later than the one before, whole cycle in a window
    cycle_min_length: int = 2
    cycle_max_length: int = 6
    cycle_window_hours: float = 240.0
    # cycles and scatter-gather: each next hop carries this share of the previous one
    # (set min 0 and max 1e18 to disable the amount rule)
    hop_min_amount_ratio: float = 0.5
    hop_max_amount_ratio: float = 1.1
    # bipartite layering: >= min_side senders each paying >= min_side common receivers
    layer_window_hours: float = 168.0
    layer_min_side: int = 2
    # structuring: many amounts just under a reporting threshold
    reporting_threshold: float = 10000.0
    structuring_margin: float = 0.10
    structuring_min_count: int = 3
    structuring_window_hours: float = 168.0
    # rapid pass-through: money in and (mostly) out again within hours
    passthrough_hours: float = 24.0
    passthrough_min_ratio: float = 0.8
    passthrough_max_ratio: float = 1.05
    passthrough_min_amount: float = 1000.0

    def seconds(self, name: str) -> int:
        return int(round(getattr(self, name) * HOUR))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_config(path: str | Path | None = None, **overrides: Any) -> FlowConfig:
    """Defaults, then a YAML file (flat mapping of the field names), then explicit overrides."""
    values: dict[str, Any] = {}
    if path:
        import yaml

        with open(path, encoding="utf-8") as fh:
            loaded = yaml.safe_load(fh) or {}
        if not isinstance(loaded, dict):
            raise ValueError(f"{path}: config must be a mapping of setting: value")
        values.update(loaded)
    values.update({k: v for k, v in overrides.items() if v is not None})
    known = {f.name: f.type for f in fields(FlowConfig)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValueError(
            f"unknown setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    defaults = FlowConfig()
    typed = {k: type(getattr(defaults, k))(v) for k, v in values.items()}
    return FlowConfig(**typed)
