"""The rule set: a versioned YAML file of indicators a lawyer can read (``rules.yaml``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .indicators import READS

DEFAULT_RULES = Path(__file__).with_name("rules.yaml")
LEVELS = {"premises", "company"}
SOURCES = {
    "bag_premises",
    "kvk_companies",
    "kvk_officers",
    "brp_occupancy",
    "permits",
    "closures",
    "dor",
    "bank_sectors",
}
PARAMETERS = {
    "vulnerable_sector": {"sbi_codes"},
    "many_businesses_at_address": {"min_companies"},
    "officer_churn": {"min_changes", "months"},
    "short_lived_succession": {"min_companies", "months", "max_lifetime_months"},
    "officer_many_companies": {"min_companies"},
    "earlier_closure": {"years"},
    "permit_missing_or_expired": {"sbi_codes", "refused_statuses"},
    "occupancy_mismatch": {"min_residents", "residential_uses"},
    "dor_irregularity": {"min_flagged", "months", "flag_values"},
    "bank_sector_vulnerability": {"top_n", "min_accounts", "city_areas"},
    "vacancy_turnover": {"min_changes", "months"},
}
LEVEL = {
    "many_businesses_at_address": "premises",
    "short_lived_succession": "premises",
    "earlier_closure": "premises",
    "occupancy_mismatch": "premises",
    "vacancy_turnover": "premises",
}
REQUIRED = (
    "id",
    "level",
    "description",
    "parameters",
    "weight",
    "sources",
    "legal_basis",
    "rationale",
)


class RulesError(ValueError):
    """A rule set that cannot be used, with what is wrong in it."""


@dataclass(frozen=True)
class Indicator:
    id: str
    level: str
    description: str
    parameters: dict[str, Any]
    weight: float
    sources: tuple[str, ...]
    legal_basis: str
    rationale: str


@dataclass(frozen=True)
class RuleSet:
    version: str
    title: str
    sha256: str
    indicators: tuple[Indicator, ...]
    path: str = ""

    def get(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)


def load_rules(path: Path | str | None = None) -> RuleSet:
    path = Path(path) if path else DEFAULT_RULES
    try:
        text = path.read_text(encoding="utf-8")
        raw = yaml.safe_load(text)
    except OSError as exc:
        raise RulesError(f"regelset {path} niet te lezen: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise RulesError(f"regelset {path} is geen geldige YAML: {exc}") from exc
    return parse_rules(raw, text, str(path))


def parse_rules(raw: object, text: str = "", path: str = "") -> RuleSet:
    where = path or "regelset"
    if (
        not isinstance(raw, dict)
        or not raw.get("version")
        or not isinstance(raw.get("indicators"), list)
    ):
        raise RulesError(f"{where}: verwacht 'version' en een lijst 'indicators'")
    indicators, seen = [], set()
    for n, item in enumerate(raw["indicators"], 1):
        if not isinstance(item, dict):
            raise RulesError(f"{where}: indicator {n} is geen mapping")
        missing = [k for k in REQUIRED if k not in item]
        iid = item.get("id", f"#{n}")
        if missing:
            raise RulesError(f"{where}: indicator {iid}: ontbreekt {', '.join(missing)}")
        if iid not in READS:
            raise RulesError(
                f"{where}: onbekende indicator {iid!r} (bekend: {', '.join(sorted(READS))})"
            )
        if iid in seen:
            raise RulesError(f"{where}: indicator {iid} staat er twee keer in")
        seen.add(iid)
        if item["level"] != LEVEL.get(iid, "company"):
            raise RulesError(
                f"{where}: {iid} geldt voor niveau {LEVEL.get(iid, 'company')}, niet {item['level']}"
            )
        params = item["parameters"] or {}
        if set(params) != PARAMETERS[iid]:
            raise RulesError(
                f"{where}: {iid}: parameters moeten {', '.join(sorted(PARAMETERS[iid]))} zijn"
            )
        for key, value in params.items():
            if isinstance(value, bool) or not isinstance(value, int | float | list):
                raise RulesError(f"{where}: {iid}.{key}: verwacht een getal of een lijst")
            if isinstance(value, int | float) and value < 0:
                raise RulesError(f"{where}: {iid}.{key}: mag niet negatief zijn")
        weight = item["weight"]
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
            raise RulesError(f"{where}: {iid}: gewicht moet een getal ≥ 0 zijn")
        sources = tuple(item["sources"] or ())
        if not sources or set(sources) - SOURCES:
            raise RulesError(f"{where}: {iid}: onbekende bronnen {sorted(set(sources) - SOURCES)}")
        indicators.append(
            Indicator(
                iid,
                item["level"],
                " ".join(str(item["description"]).split()),
                dict(params),
                float(weight),
                sources,
                str(item["legal_basis"]),
                " ".join(str(item["rationale"]).split()),
            )
        )
    digest = hashlib.sha256((text or yaml.safe_dump(raw, sort_keys=True)).encode()).hexdigest()
    return RuleSet(str(raw["version"]), str(raw.get("title", "")), digest, tuple(indicators), path)
