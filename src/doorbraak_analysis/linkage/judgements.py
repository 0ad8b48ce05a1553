"""Analyst judgements (same / not same / unsure) as data, and how they bind the model.

A judgement outranks any model score in every later run. *Same* closes over (A=B and B=C
give A=C); *not same* between two groups of same-judged records blocks every link
between those groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Literal

import pandas as pd

SAME, NOT_SAME, UNSURE = "same", "not_same", "unsure"
VERDICTS = (SAME, NOT_SAME, UNSURE)


@dataclass(frozen=True)
class Judgement:
    """One analyst's decision on one pair of records. Soft-deleted when ``deleted_at`` is set."""

    left_id: str
    right_id: str
    verdict: Literal["same", "not_same", "unsure"]
    user: str
    at: datetime
    deleted_at: datetime | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, not {self.verdict!r}")

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((str(self.left_id), str(self.right_id)))


def active_judgements(judgements: Iterable[Judgement]) -> dict[frozenset[str], Judgement]:
    """The judgement in force per pair: the latest one that is not soft-deleted."""
    current: dict[frozenset[str], Judgement] = {}
    for j in sorted(judgements, key=lambda j: (j.at, j.user)):
        if j.deleted_at is not None:
            continue
        current[j.pair] = j
    return current


class UnionFind:
    """Union-find with path halving; deterministic (smaller key becomes the root)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        if x not in parent:
            parent[x] = x
            return x
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: str, b: str) -> str:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        return ra


class JudgementGraph:
    """Same-closure and not-same blocks derived from the judgements in force."""

    def __init__(self, judgements: Iterable[Judgement] = ()) -> None:
        self.active = active_judgements(judgements)
        self.same = UnionFind()
        for j in self.active.values():
            if j.verdict == SAME:
                self.same.union(str(j.left_id), str(j.right_id))
        self.not_same: list[tuple[str, str]] = [
            (str(j.left_id), str(j.right_id)) for j in self.active.values() if j.verdict == NOT_SAME
        ]
        self._blocked = {
            frozenset((self.same.find(a), self.same.find(b))) for a, b in self.not_same
        }
        self.unsure = {pair for pair, j in self.active.items() if j.verdict == UNSURE}

    def relation(self, a: str, b: str) -> str | None:
        """'same', 'not_same', 'unsure' or None (no judgement reaches this pair)."""
        ra, rb = self.same.find(str(a)), self.same.find(str(b))
        if ra == rb:
            return SAME
        if frozenset((ra, rb)) in self._blocked:
            return NOT_SAME
        if frozenset((str(a), str(b))) in self.unsure:
            return UNSURE
        return None

    def same_groups(self) -> list[list[str]]:
        groups: dict[str, list[str]] = {}
        for x in list(self.same.parent):
            groups.setdefault(self.same.find(x), []).append(x)
        return [sorted(g) for g in groups.values() if len(g) > 1]

    def conflicts(self) -> list[tuple[str, str]]:
        """Not-same judgements contradicted by a chain of same judgements (for the UI)."""
        return [(a, b) for a, b in self.not_same if self.same.find(a) == self.same.find(b)]


def apply_judgements_to_pairs(
    pairs: pd.DataFrame,
    judgements: Iterable[Judgement],
    left_ids: Iterable[str] | None = None,
    right_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Override model decisions on scored pairs.

    same -> probability 1, decision 'link'; not same -> removed; unsure -> 'review'.
    Pairs implied by same-closures but never scored are added (when ``left_ids`` and
    ``right_ids`` are given, only pairs across the two sides). Adds a ``judged`` column.
    """
    graph = JudgementGraph(judgements)
    pairs = pairs.copy()
    if "judged" not in pairs.columns:
        pairs["judged"] = ""
    if not graph.active:
        return pairs
    relations = [
        graph.relation(a, b)
        for a, b in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True)
    ]
    pairs["judged"] = [r or "" for r in relations]
    same = pairs["judged"] == SAME
    pairs.loc[same, "match_probability"] = 1.0
    pairs.loc[same, "decision"] = "link"
    pairs.loc[pairs["judged"] == UNSURE, "decision"] = "review"
    pairs = pairs[pairs["judged"] != NOT_SAME]
    # pairs that only the analysts' same-closure connects
    seen = set(zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True))
    left_set = set(map(str, left_ids)) if left_ids is not None else None
    right_set = set(map(str, right_ids)) if right_ids is not None else None
    extra = []
    for group in graph.same_groups():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                for x, y in ((a, b), (b, a)):
                    if left_set is not None and (
                        x not in left_set or y not in (right_set or set())
                    ):
                        continue
                    if left_set is None and x > y:
                        continue
                    if (x, y) not in seen and (y, x) not in seen:
                        extra.append(
                            {
                                "unique_id_l": x,
                                "unique_id_r": y,
                                "match_probability": 1.0,
                                "decision": "link",
                                "judged": SAME,
                            }
                        )
    if extra:
        pairs = pd.concat([pairs, pd.DataFrame(extra)], ignore_index=True)
    return pairs.reset_index(drop=True)
