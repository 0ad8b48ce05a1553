"""Reads of the risk app. Other apps (enforcement) use these, never the models' managers directly:

- ``latest_run()``, ``get_run(pk)``, ``previous_run(run)``
- ``result_for(run, object_type, object_id)``; object ids: ``premises`` -> BAG id, ``company`` -> KvK
- ``results(run, area_code=None, object_type=None, sector=None, indicator=None, min_score=None)``
- ``indicator_catalogue(rule_set)``: ids, Dutch descriptions, weights, legal basis
- ``changes(run)``, ``sector_composition(...)``, ``fairness(run, area_code)`` for the picture.
No function here checks access: the views and ``access.py`` do.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from .models import RiskResult, RiskRun, RuleSet, RuleSetStatus, RunStatus

CITY = "utrecht"


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    kind: str  # city | wijk | focus_area


def areas() -> list[Area]:
    """The city, the focus areas and every wijk (the areas app; the registers' own list of
    wijken and focus areas when no areas are loaded, e.g. a fresh test database)."""
    from doorbraak.areas import selectors as area_selectors

    town = area_selectors.city()
    found = [
        Area(a.code, a.name, a.kind)
        for a in [*area_selectors.focus_areas(), *area_selectors.wijken()]
    ]
    if found:
        city = Area(town.code, town.name, "city") if town else Area(CITY, "Utrecht", "city")
        return [city, *found]
    from doorbraak.registers.models import Premises

    def name(code: str) -> str:
        return code.replace("_", " ").title()

    wijken = sorted(set(Premises.objects.values_list("wijk", flat=True)) - {""})
    focus = sorted(set(Premises.objects.values_list("area", flat=True)) - {""})
    return [
        Area(CITY, "Utrecht", "city"),
        *(Area(code, name(code), "focus_area") for code in focus),
        *(Area(code, name(code), "wijk") for code in wijken),
    ]


def city_code() -> str:
    return areas()[0].code


def area_names() -> dict[str, str]:
    return {a.code: a.name for a in areas()}


def wijk_names() -> dict[str, str]:
    return {a.code: a.name for a in areas() if a.kind == "wijk"}


def get_area(code: str) -> Area | None:
    return next((a for a in areas() if a.code == code), None)


def _in_area(qs: QuerySet, area: Area | None, prefix: str = "") -> QuerySet:
    if area is None or area.kind == "city":
        return qs
    if area.kind == "wijk":
        return qs.filter(**{f"{prefix}wijk": area.code})
    return qs.filter(**{f"{prefix}area": area.code})


# --- rule sets and runs ---------------------------------------------------------------------


def live_rule_set() -> RuleSet | None:
    return RuleSet.objects.filter(status=RuleSetStatus.ADOPTED).first()


def rule_sets() -> QuerySet:
    return RuleSet.objects.all()


def get_rule_set(pk) -> RuleSet | None:
    return RuleSet.objects.filter(pk=pk).first()


def runs() -> QuerySet:
    return RiskRun.objects.select_related("rule_set")


def latest_run() -> RiskRun | None:
    return runs().filter(status=RunStatus.DONE).order_by("-as_of", "-created_at", "-id").first()


def get_run(pk) -> RiskRun | None:
    return runs().filter(pk=pk).first()


def previous_run(run: RiskRun) -> RiskRun | None:
    """The finished run before this one (by evaluation date, then by when it was made)."""
    return (
        runs()
        .filter(status=RunStatus.DONE)
        .exclude(pk=run.pk)
        .filter(created_at__lte=run.created_at, as_of__lte=run.as_of)
        .order_by("-as_of", "-created_at", "-id")
        .first()
    )


# --- results --------------------------------------------------------------------------------


def result_for(run: RiskRun | None, object_type: str, object_id: str) -> RiskResult | None:
    if run is None:
        return None
    return RiskResult.objects.filter(run=run, object_type=object_type, object_id=object_id).first()


def results(
    run: RiskRun,
    area_code: str | None = None,
    object_type: str | None = None,
    sector: str | None = None,
    indicator: str | None = None,
    min_score: float | None = None,
) -> QuerySet:
    """The ranked list: highest score first. ``sector``: an SBI code prefix; ``indicator``: an id."""
    qs = RiskResult.objects.filter(run=run)
    if area_code:
        area = get_area(area_code)
        qs = _in_area(qs, area) if area else qs.none()
    if object_type:
        qs = qs.filter(object_type=object_type)
    if sector:
        qs = qs.filter(sbi_code__startswith=sector)
    if min_score is not None:
        qs = qs.filter(score__gte=min_score)
    if indicator:
        # JSON containment differs between SQLite and PostgreSQL: select the ids in Python
        ids = [
            pk
            for pk, items in qs.values_list("pk", "indicators")
            if any(i.get("id") == indicator for i in items)
        ]
        qs = qs.filter(pk__in=ids)
    return qs.order_by("-score", "object_type", "object_id")


def indicator_catalogue(rule_set: RuleSet | None) -> list[dict]:
    """Every indicator of the rule set: id, level, Dutch description, weight, parameters,
    sources, legal basis, rationale."""
    if rule_set is None:
        return []
    return [
        {
            "id": i.id,
            "level": i.level,
            "description": i.description,
            "weight": i.weight,
            "parameters": i.parameters,
            "sources": list(i.sources),
            "legal_basis": i.legal_basis,
            "rationale": i.rationale,
        }
        for i in rule_set.parsed().indicators
    ]


def catalogue_by_id(rule_set: RuleSet | None) -> dict[str, dict]:
    return {i["id"]: i for i in indicator_catalogue(rule_set)}


# --- the picture: changes, sectors, fairness ------------------------------------------------------


def changes(run: RiskRun, area_code: str | None = None) -> dict:
    """What changed since the previous run: new, gone, score up, score down (per object)."""
    prev = previous_run(run)
    if prev is None:
        return {"previous": None, "new": [], "gone": [], "up": [], "down": []}
    now = {
        (r.object_type, r.object_id): r
        for r in results(run, area_code).only(
            "object_type", "object_id", "score", "label", "wijk", "area", "indicators"
        )
    }
    before = {
        (r.object_type, r.object_id): r
        for r in results(prev, area_code).only(
            "object_type", "object_id", "score", "label", "wijk", "area", "indicators"
        )
    }
    new = [now[k] for k in now.keys() - before.keys()]
    gone = [before[k] for k in before.keys() - now.keys()]
    up = [
        (now[k], before[k].score)
        for k in now.keys() & before.keys()
        if now[k].score > before[k].score
    ]
    down = [
        (now[k], before[k].score)
        for k in now.keys() & before.keys()
        if now[k].score < before[k].score
    ]
    by_score = lambda r: (-r.score, r.object_type, r.object_id)  # noqa: E731
    return {
        "previous": prev,
        "new": sorted(new, key=by_score),
        "gone": sorted(gone, key=by_score),
        "up": sorted(up, key=lambda p: by_score(p[0])),
        "down": sorted(down, key=lambda p: by_score(p[0])),
    }


def sector_names() -> dict[str, str]:
    """SBI division (2 digits) -> the most common description the trade register gives it."""
    from doorbraak.registers.models import Company

    seen: dict[str, Counter] = defaultdict(Counter)
    for code, text in Company.objects.values_list("sbi_code", "sbi_description").distinct():
        seen[(code or "")[:2]][text] += 1
    return {k: c.most_common(1)[0][0] for k, c in seen.items() if c}


def sector_composition(run: RiskRun, area_code: str | None = None) -> list[dict]:
    """Companies with a signal per SBI division, beside all active companies there."""
    from doorbraak.registers.models import Company

    area = get_area(area_code) if area_code else None
    base = _in_area(
        Company.objects.filter(registered_on__lte=run.as_of).exclude(
            deregistered_on__lte=run.as_of
        ),
        area,
        "establishment__",
    )
    totals = Counter(code[:2] for code in base.values_list("sbi_code", flat=True))
    flagged = Counter(
        code[:2] for code in results(run, area_code, "company").values_list("sbi_code", flat=True)
    )
    names = sector_names()
    all_total = sum(totals.values()) or 1
    all_flagged = sum(flagged.values()) or 1
    rows = [
        {
            "code": code,
            "name": names.get(code, ""),
            "companies": totals[code],
            "companies_share": totals[code] / all_total,
            "flagged": flagged[code],
            "flagged_share": flagged[code] / all_flagged,
            "rate": flagged[code] / totals[code] if totals[code] else 0.0,
        }
        for code in sorted(totals.keys() | flagged.keys())
    ]
    rows.sort(key=lambda r: (-r["flagged"], -r["companies"], r["code"]))
    return rows


def _firings(run: RiskRun, area_code: str | None) -> list[tuple[str, str, str, str]]:
    """(indicator, level, wijk, sbi division) of every firing at the indicator's own level."""
    out = []
    for object_type, wijk, sbi, items in results(run, area_code).values_list(
        "object_type", "wijk", "sbi_code", "indicators"
    ):
        for i in items:
            if i.get("level", object_type) == object_type:
                out.append((i["id"], object_type, wijk, (sbi or "")[:2]))
    return out


def fairness(run: RiskRun, area_code: str | None = None) -> dict:
    """How often each indicator fires per wijk and per sector, beside the share of premises and
    companies the wijk or sector has (so an uneven picture shows). Counted at the indicator's
    own level: premises indicators over premises, company indicators over companies."""
    from doorbraak.registers.models import Company, Premises

    area = get_area(area_code) if area_code else None
    premises = Counter(_in_area(Premises.objects, area).values_list("wijk", flat=True))
    active = Company.objects.filter(registered_on__lte=run.as_of).exclude(
        deregistered_on__lte=run.as_of
    )
    active = _in_area(active, area, "establishment__")
    companies = Counter(active.values_list("establishment__wijk", flat=True))
    sectors = Counter(code[:2] for code in active.values_list("sbi_code", flat=True))
    firings = _firings(run, area_code)
    catalogue = catalogue_by_id(run.rule_set)
    indicators = [i for i in catalogue if any(f[0] == i for f in firings)]
    total_p, total_c = sum(premises.values()) or 1, sum(companies.values()) or 1
    names_of_wijken = wijk_names()
    per_ind = Counter(f[0] for f in firings)
    by_wijk = Counter((f[0], f[2]) for f in firings)
    by_sector = Counter((f[0], f[3]) for f in firings if f[1] == "company")

    wijken = []
    for code in sorted(premises.keys() | companies.keys(), key=lambda w: names_of_wijken.get(w, w)):
        p_share = premises[code] / total_p
        c_share = companies[code] / total_c
        row = {
            "code": code,
            "name": names_of_wijken.get(code, code),
            "premises": premises[code],
            "premises_share": p_share,
            "companies": companies[code],
            "companies_share": c_share,
            "cells": [],
        }
        for iid in indicators:
            level = catalogue[iid]["level"]
            share_base = p_share if level == "premises" else c_share
            count = by_wijk[(iid, code)]
            share = count / per_ind[iid] if per_ind[iid] else 0.0
            row["cells"].append(
                {
                    "indicator": iid,
                    "count": count,
                    "share": share,
                    "base": share_base,
                    "ratio": (share / share_base) if share_base else None,
                }
            )
        wijken.append(row)
    names = sector_names()
    sector_rows = []
    total_s = sum(sectors.values()) or 1
    company_inds = [i for i in indicators if catalogue[i]["level"] == "company"]
    for code in sorted(sectors, key=lambda s: -sectors[s]):
        base = sectors[code] / total_s
        row = {
            "code": code,
            "name": names.get(code, ""),
            "companies": sectors[code],
            "companies_share": base,
            "cells": [],
        }
        for iid in company_inds:
            count = by_sector[(iid, code)]
            share = count / per_ind[iid] if per_ind[iid] else 0.0
            row["cells"].append(
                {
                    "indicator": iid,
                    "count": count,
                    "share": share,
                    "base": base,
                    "ratio": (share / base) if base else None,
                }
            )
        sector_rows.append(row)
    return {
        "indicators": indicators,
        "company_indicators": company_inds,
        "totals": dict(per_ind),
        "wijken": wijken,
        "sectors": sector_rows,
    }


# --- per-quarter grids for monitoring --------------------------------------------------------


def monitoring_counts(quarters: list) -> dict[str, dict[tuple, int]]:
    """Counts for monitoring's per-quarter grids, keyed (wijk, focus area, quarter index,
    category) like careers' monitoring_counts. Numbers only, never rows.

    - risk_flagged: premises and companies (category the object type) in the risk picture at
      the quarter's end: in the latest finished run whose evaluation date lies on or before the
      last day of the quarter, with a score of at least RISK_PICTURE_MIN_SCORE (the score from
      which the picture lists an object). A quarter before the first run has no count at all."""
    from django.conf import settings

    min_score = getattr(settings, "RISK_PICTURE_MIN_SCORE", 3.0)
    done = list(
        RiskRun.objects.filter(status=RunStatus.DONE)
        .order_by("as_of", "created_at", "id")
        .values_list("id", "as_of")
    )
    flagged: dict[tuple, int] = {}
    per_run: dict[int, list] = {}
    for qi, (_qs, qe) in enumerate(quarters):
        runs_before = [pk for pk, as_of in done if as_of <= qe]
        if not runs_before:
            continue
        run = runs_before[-1]
        if run not in per_run:
            per_run[run] = list(
                RiskResult.objects.filter(run_id=run, score__gte=min_score)
                .values("wijk", "area", "object_type")
                .annotate(n=Count("id"))
                .values_list("wijk", "area", "object_type", "n")
            )
        for wijk, area, object_type, n in per_run[run]:
            key = (wijk or "", area or "", qi, object_type)
            flagged[key] = flagged.get(key, 0) + n
    return {"risk_flagged": flagged}


def monitoring_runs(quarters: list) -> list[dict]:
    """The runs monitoring's risk figure is made from (id, evaluation date, rule-set version)."""
    last = quarters[-1][1]
    return [
        {"id": pk, "as_of": as_of.isoformat(), "version": version}
        for pk, as_of, version in RiskRun.objects.filter(status=RunStatus.DONE, as_of__lte=last)
        .order_by("as_of", "id")
        .values_list("id", "as_of", "rules_version")
    ]
