"""Records -> entities: clustering under judgements, stable entity ids, incremental linking."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from .judgements import NOT_SAME, SAME, UNSURE, Judgement, JudgementGraph, UnionFind

DIFFERENT_KEYS = "different registration numbers (KvK)"


class ConstrainedClusters:
    """Union-find that refuses merges forbidden by not-same judgements, that would join
    two different *anchors* (existing entities that incremental linking must not fuse), or
    that would put records with different *keys* (KvK numbers: one registration is one
    company) into one cluster. Only an analyst's same-judgement overrides the keys."""

    def __init__(
        self,
        graph: JudgementGraph,
        anchors: Mapping[str, str] | None = None,
        keys: Mapping[str, str] | None = None,
    ) -> None:
        self.uf = UnionFind()
        self.forbidden: dict[str, list[str]] = {}
        self.anchor: dict[str, str] = {}
        self.refused: list[tuple[str, str, str]] = []
        for a, b in graph.not_same:
            self.forbidden.setdefault(a, []).append(b)
            self.forbidden.setdefault(b, []).append(a)
        for record, entity in (anchors or {}).items():
            self.anchor[self.uf.find(record)] = entity
        self._forbidden_by_root: dict[str, list[str]] = dict(self.forbidden)
        self._keys_by_root: dict[str, frozenset[str]] = {}
        for record, key in (keys or {}).items():
            if key:
                root = self.uf.find(str(record))
                self._keys_by_root[root] = self._keys_by_root.get(root, frozenset()) | {key}

    def can_merge(self, a: str, b: str, judged: bool = False) -> tuple[bool, str]:
        ra, rb = self.uf.find(a), self.uf.find(b)
        if ra == rb:
            return True, ""
        if any(self.uf.find(x) == rb for x in self._forbidden_by_root.get(ra, ())):
            return False, "not the same (analyst judgement)"
        ea, eb = self.anchor.get(ra), self.anchor.get(rb)
        if ea and eb and ea != eb:
            return False, "would merge two existing entities"
        if not judged:
            ka, kb = self._keys_by_root.get(ra), self._keys_by_root.get(rb)
            # a cluster may gain records without a key or with a key it already holds, but
            # never a key it does not (that takes a judgement)
            if ka and kb and not (ka <= kb or kb <= ka):
                return False, DIFFERENT_KEYS
        return True, ""

    def merge(self, a: str, b: str, force: bool = False, judged: bool = False) -> bool:
        """Merge the clusters of a and b. ``judged``: an analyst said they are the same
        (overrides the keys, not a not-same judgement or the anchors); ``force``: merge
        regardless."""
        ok, why = self.can_merge(a, b, judged=judged)
        if not ok and not force:
            self.refused.append((a, b, why))
            return False
        ra, rb = self.uf.find(a), self.uf.find(b)
        if ra == rb:
            return True
        root = self.uf.union(ra, rb)
        other = rb if root == ra else ra
        forb = self._forbidden_by_root.pop(other, [])
        if forb:
            self._forbidden_by_root.setdefault(root, []).extend(forb)
        anchor = self.anchor.pop(other, None)
        if anchor and root not in self.anchor:
            self.anchor[root] = anchor
        other_keys = self._keys_by_root.pop(other, None)
        if other_keys:
            self._keys_by_root[root] = self._keys_by_root.get(root, frozenset()) | other_keys
        return True


def cluster_records(
    record_ids: Iterable[str],
    pairs: pd.DataFrame,
    judgements: Iterable[Judgement] = (),
    link_threshold: float = 0.9,
    keys: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Cluster records: analysts' same-judgements first, then model links strongest first,
    refusing any merge a not-same judgement forbids, and any that would join two different
    ``keys`` (record -> KvK number) without a same-judgement.

    ``pairs`` has unique_id_l, unique_id_r, match_probability. Returns
    (record -> cluster root record, refused merges with reasons).
    """
    graph = JudgementGraph(judgements)
    clusters = ConstrainedClusters(graph, keys=keys)
    for group in graph.same_groups():
        for other in group[1:]:
            clusters.merge(group[0], other, force=True)  # same always wins
    strong = pairs[pairs["match_probability"] >= link_threshold]
    if len(strong):
        order = np.lexsort(
            (
                strong["unique_id_r"].to_numpy(),
                strong["unique_id_l"].to_numpy(),
                -strong["match_probability"].to_numpy(),
            )
        )
        left = strong["unique_id_l"].to_numpy()[order]
        right = strong["unique_id_r"].to_numpy()[order]
        judged = bool(graph.active)
        for a, b in zip(left.tolist(), right.tolist(), strict=True):
            if judged:
                relation = graph.relation(a, b)
                if relation in (NOT_SAME, UNSURE):
                    continue  # unsure pairs wait for an analyst, never auto-merge
            clusters.merge(a, b)
    find = clusters.uf.find
    return {str(r): find(str(r)) for r in record_ids}, clusters.refused


def entity_id_for(members: Iterable[str], prefix: str = "ent-") -> str:
    """Deterministic id from the member record ids (order-independent)."""
    digest = hashlib.sha1(
        "\x1f".join(sorted(members)).encode("utf-8"), usedforsecurity=False
    ).hexdigest()[:16]
    return prefix + digest


def assign_entity_ids(
    cluster_of: Mapping[str, str],
    previous: Mapping[str, str] | None = None,
    prefix: str = "ent-",
) -> dict[str, str]:
    """Stable entity ids.

    A cluster keeps the previous id held by most of its members (each previous id goes
    to one cluster only: the one holding most of its records; ties broken by id), so an
    entity keeps its id when records are added or a few leave. Other clusters get an id
    derived from their members.
    """
    groups: dict[str, list[str]] = {}
    for record, cluster in cluster_of.items():
        groups.setdefault(cluster, []).append(record)
    previous = previous or {}
    claims = []
    for cluster, members in groups.items():
        counts = Counter(previous[m] for m in members if m in previous)
        for old_id, count in counts.items():
            claims.append((-count, old_id, min(members), cluster))
    claims.sort()
    assigned: dict[str, str] = {}
    used: set[str] = set()
    for _, old_id, _, cluster in claims:
        if cluster in assigned or old_id in used:
            continue
        assigned[cluster] = old_id
        used.add(old_id)
    used |= set(previous.values())
    for cluster in sorted(groups, key=lambda c: min(groups[c])):
        if cluster in assigned:
            continue
        new_id = entity_id_for(groups[cluster], prefix)
        n = 1
        while new_id in used:  # a split-off part whose member set once had this id
            new_id = entity_id_for(groups[cluster] + [f"#{n}"], prefix)
            n += 1
        assigned[cluster] = new_id
        used.add(new_id)
    return {record: assigned[cluster] for record, cluster in cluster_of.items()}


def attach_new_records(
    new_ids: Iterable[str],
    pairs: pd.DataFrame,
    entity_of: Mapping[str, str],
    judgements: Iterable[Judgement] = (),
    link_threshold: float = 0.9,
    prefix: str = "ent-",
    keys: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Incremental step: put new records into existing entities or new ones.

    ``pairs`` are scored pairs new-existing and new-new. Existing entities are anchors:
    they gain members but are never fused automatically (a new record that would
    bridge two entities joins the stronger one; the other link is reported for review).
    Returns (new record -> entity id, refused merges).
    """
    graph = JudgementGraph(judgements)
    new_ids = [str(r) for r in new_ids]
    new_set = set(new_ids)
    anchors = {r: e for r, e in entity_of.items()}
    clusters = ConstrainedClusters(graph, anchors, keys)
    # existing members of one entity belong together (judgements on them already applied)
    first_member: dict[str, str] = {}
    for record, entity in sorted(entity_of.items()):
        if entity in first_member:
            clusters.merge(first_member[entity], record, force=True, judged=True)
        else:
            first_member[entity] = record
    for group in graph.same_groups():
        for other in group[1:]:
            clusters.merge(group[0], other, judged=True)
    relevant = pairs[
        (pairs["match_probability"] >= link_threshold)
        & (pairs["unique_id_l"].isin(new_set) | pairs["unique_id_r"].isin(new_set))
    ]
    relevant = relevant.sort_values(
        ["match_probability", "unique_id_l", "unique_id_r"],
        ascending=[False, True, True],
        kind="stable",
    )
    for a, b in zip(
        relevant["unique_id_l"].tolist(), relevant["unique_id_r"].tolist(), strict=True
    ):
        if graph.relation(a, b) in (NOT_SAME, UNSURE):
            continue
        clusters.merge(a, b)
    find = clusters.uf.find
    result: dict[str, str] = {}
    fresh: dict[str, list[str]] = {}
    for record in new_ids:
        root = find(record)
        anchor = clusters.anchor.get(root)
        if anchor:
            result[record] = anchor
        else:
            fresh.setdefault(root, []).append(record)
    used = set(entity_of.values())
    for _root, members in sorted(fresh.items(), key=lambda kv: min(kv[1])):
        new_id = entity_id_for(members, prefix)
        n = 1
        while new_id in used:
            new_id = entity_id_for(members + [f"#{n}"], prefix)
            n += 1
        used.add(new_id)
        for m in members:
            result[m] = new_id
    return result, clusters.refused


__all__ = [
    "ConstrainedClusters",
    "DIFFERENT_KEYS",
    "cluster_records",
    "entity_id_for",
    "assign_entity_ids",
    "attach_new_records",
    "SAME",
    "NOT_SAME",
    "UNSURE",
]
