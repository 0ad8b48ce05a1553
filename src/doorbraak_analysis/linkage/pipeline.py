"""The public entry points the CLI and the Django app call.

Everything here takes and returns pandas DataFrames and plain data; no database, no ORM.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping

import pandas as pd

from .clustering import assign_entity_ids, attach_new_records, cluster_records
from .judgements import Judgement, apply_judgements_to_pairs
from .model import (
    LinkageModel,
    Thresholds,
    _linker,
    _register,
    _tidy_predictions,
    explain_pair_row,
    score_pairs,
    train_model,
)
from .prepare import prepare_records

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@dataclass
class LinkResult:
    """Pairs between two tables: left_id, right_id, match_probability, decision, judged,
    plus gamma_*/mw_* columns for explanations."""

    pairs: pd.DataFrame
    model: LinkageModel

    def output(self) -> pd.DataFrame:
        """The CLI contract: left_id,right_id,match_probability,decision (link/review)."""
        out = self.pairs[self.pairs["decision"].isin(["link", "review"])]
        out = out.rename(columns={"unique_id_l": "left_id", "unique_id_r": "right_id"})
        out = out[["left_id", "right_id", "match_probability", "decision"]]
        return out.sort_values(["left_id", "right_id"], kind="stable").reset_index(drop=True)

    def explain(self, left_id: str, right_id: str) -> dict[str, Any]:
        return explain_pair(self.model, self.pairs, left_id, right_id)


@dataclass
class DedupeResult:
    """Records grouped into entities: ``entities`` has record_id, entity_id."""

    entities: pd.DataFrame
    pairs: pd.DataFrame
    model: LinkageModel
    refused_merges: list[tuple[str, str, str]] = field(default_factory=list)

    def entity_of(self) -> dict[str, str]:
        return dict(zip(self.entities["record_id"], self.entities["entity_id"], strict=True))

    def review_queue(self) -> pd.DataFrame:
        """Pairs an analyst should judge: the review band, unjudged, strongest first."""
        queue = self.pairs[(self.pairs["decision"] == "review") & (self.pairs["judged"] == "")]
        return queue.sort_values("match_probability", ascending=False, kind="stable").reset_index(
            drop=True
        )

    def explain(self, left_id: str, right_id: str) -> dict[str, Any]:
        return explain_pair(self.model, self.pairs, left_id, right_id)


@dataclass
class IncrementalResult:
    assignments: dict[str, str]  # new record -> entity id
    pairs: pd.DataFrame
    refused_merges: list[tuple[str, str, str]] = field(default_factory=list)


def explain_pair(
    model: LinkageModel, pairs: pd.DataFrame, left_id: str, right_id: str
) -> dict[str, Any]:
    """Structured explanation of one scored pair: the level each comparison fell into and
    that level's match weight (log2 m/u), the prior, the total and the band."""
    hit = pairs[
        ((pairs["unique_id_l"] == str(left_id)) & (pairs["unique_id_r"] == str(right_id)))
        | ((pairs["unique_id_l"] == str(right_id)) & (pairs["unique_id_r"] == str(left_id)))
    ]
    if hit.empty:
        raise KeyError(f"pair ({left_id}, {right_id}) was not scored above the review threshold")
    row = {str(k): v for k, v in hit.iloc[0].to_dict().items()}
    explanation = explain_pair_row(model, row)
    if row.get("judged"):
        explanation["judged"] = row["judged"]
        explanation["decision"] = row["decision"]
    return explanation


def registration_keys(*tables: pd.DataFrame) -> dict[str, str]:
    """Record -> KvK number of prepared company tables: records with different numbers are
    different registrations, which clustering never merges without a same-judgement."""
    keys: dict[str, str] = {}
    for table in tables:
        if "kvk_number" not in table.columns:
            continue
        for record, kvk in zip(
            table["unique_id"].astype(str).tolist(), table["kvk_number"].tolist(), strict=True
        ):
            if isinstance(kvk, str) and kvk:
                keys[record] = kvk
    return keys


def _demote_different_registrations(
    pairs: pd.DataFrame, left: pd.DataFrame, right: pd.DataFrame
) -> pd.DataFrame:
    """A pair of companies with different KvK numbers is never linked automatically: at
    most it goes to an analyst (review), unless a judgement decided it."""
    if pairs.empty:
        return pairs
    kl, kr = registration_keys(left), registration_keys(right)
    a = pairs["unique_id_l"].map(kl)
    b = pairs["unique_id_r"].map(kr)
    clash = a.notna() & b.notna() & (a != b) & (pairs["decision"] == "link")
    if "judged" in pairs.columns:
        clash &= pairs["judged"] == ""
    pairs = pairs.copy()
    pairs.loc[clash, "decision"] = "review"
    return pairs


def _namespaced(judgements: Iterable[Judgement]) -> list[Judgement]:
    from dataclasses import replace

    return [
        replace(j, left_id=f"L\x1f{j.left_id}", right_id=f"R\x1f{j.right_id}") for j in judgements
    ]


def link_features(
    left: pd.DataFrame,
    right: pd.DataFrame,
    entity: str = "person",
    *,
    judgements: Iterable[Judgement] = (),
    thresholds: Thresholds | None = None,
    backend: str = "duckdb",
    model: LinkageModel | None = None,
    spark: SparkSession | None = None,
) -> LinkResult:
    """Link two prepared feature tables (see ``prepare_records``).

    Judgements: ``left_id`` is a left record, ``right_id`` a right record.
    """
    left = left.assign(source_dataset="left")
    right = right.assign(source_dataset="right")
    if model is None:
        model, linker = train_model([left, right], entity, thresholds, backend, spark=spark)
    else:
        linker, _ = _linker(model, [left, right], backend, spark)
    pairs = score_pairs(linker, model)
    judgements = list(judgements)
    if judgements:
        ns = pairs.assign(
            unique_id_l="L\x1f" + pairs["unique_id_l"], unique_id_r="R\x1f" + pairs["unique_id_r"]
        )
        ns = apply_judgements_to_pairs(
            ns,
            _namespaced(judgements),
            left_ids=("L\x1f" + left["unique_id"]).tolist(),
            right_ids=("R\x1f" + right["unique_id"]).tolist(),
        )
        ns["unique_id_l"] = ns["unique_id_l"].str.split("\x1f", n=1).str[1]
        ns["unique_id_r"] = ns["unique_id_r"].str.split("\x1f", n=1).str[1]
        pairs = ns
    else:
        pairs["judged"] = ""
    if entity == "company":
        pairs = _demote_different_registrations(pairs, left, right)
    return LinkResult(pairs.reset_index(drop=True), model)


def link_tables(
    left: pd.DataFrame,
    right: pd.DataFrame,
    left_mapping: Mapping[str, str],
    right_mapping: Mapping[str, str],
    entity: str = "person",
    **options: Any,
) -> LinkResult:
    """Link two raw tables given their field mappings (canonical field -> column)."""
    return link_features(
        prepare_records(left, left_mapping, entity, "left"),
        prepare_records(right, right_mapping, entity, "right"),
        entity,
        **options,
    )


def resolve_features(
    records: pd.DataFrame,
    entity: str = "person",
    *,
    judgements: Iterable[Judgement] = (),
    previous_entities: Mapping[str, str] | None = None,
    thresholds: Thresholds | None = None,
    backend: str = "duckdb",
    model: LinkageModel | None = None,
    id_prefix: str | None = None,
    spark: SparkSession | None = None,
) -> DedupeResult:
    """Deduplicate one prepared feature table (records of one or many sources, ids unique)
    into entities with stable ids.

    ``previous_entities`` (record -> entity id from the last run) lets entities keep their
    ids; ``judgements`` override the model transitively.
    """
    records = records.assign(source_dataset="records")
    if model is None:
        model, linker = train_model([records], entity, thresholds, backend, spark=spark)
    else:
        linker, _ = _linker(model, [records], backend, spark)
    pairs = score_pairs(linker, model)
    judgements = list(judgements)
    pairs = apply_judgements_to_pairs(pairs, judgements)
    keys = registration_keys(records) if entity == "company" else None
    cluster_of, refused = cluster_records(
        records["unique_id"].tolist(), pairs, judgements, model.thresholds.link, keys
    )
    prefix = id_prefix or ("per-" if entity == "person" else "org-")
    ids = assign_entity_ids(cluster_of, previous_entities, prefix)
    entities = pd.DataFrame({"record_id": list(ids.keys()), "entity_id": list(ids.values())})
    return DedupeResult(entities, pairs, model, refused)


def dedupe_table(
    records: pd.DataFrame,
    mapping: Mapping[str, str],
    entity: str = "person",
    **options: Any,
) -> DedupeResult:
    """Deduplicate a raw table given its field mapping."""
    return resolve_features(prepare_records(records, mapping, entity, "records"), entity, **options)


def link_new_records(
    model: LinkageModel,
    existing: pd.DataFrame,
    entity_of: Mapping[str, str],
    new: pd.DataFrame,
    *,
    judgements: Iterable[Judgement] = (),
    backend: str = "duckdb",
    id_prefix: str | None = None,
    spark: SparkSession | None = None,
) -> IncrementalResult:
    """Incremental linking: score only new-vs-existing and new-vs-new pairs with the
    trained model, then attach new records to existing entities (or make new ones).

    ``existing`` and ``new`` are prepared feature tables; ``entity_of`` maps existing
    record ids to their entity ids. Nothing about existing pairs is recomputed.
    """
    existing = existing.assign(source_dataset="records")
    new = new.assign(source_dataset="records")
    clash = set(existing["unique_id"]) & set(new["unique_id"])
    if clash:
        raise ValueError(f"new record ids already exist: {', '.join(sorted(clash)[:10])}")
    linker, registered = _linker(model, [existing], backend, spark)
    import uuid

    new_sdf = _register(linker._db_api, new, f"new_records_{uuid.uuid4().hex[:8]}")
    between = linker.inference.predict_between(
        registered[0],
        new_sdf,
        threshold_match_probability=model.thresholds.review,
        warning_mode="never",
    )
    frames = [_tidy_predictions(between.as_pandas_dataframe(), model)]
    if len(new) > 1:
        within = linker.inference.predict_within(
            new_sdf, threshold_match_probability=model.thresholds.review, warning_mode="never"
        )
        frames.append(_tidy_predictions(within.as_pandas_dataframe(), model))
    pairs = (
        pd.concat([f for f in frames if len(f)], ignore_index=True)
        if any(len(f) for f in frames)
        else frames[0]
    )
    judgements = list(judgements)
    pairs = apply_judgements_to_pairs(pairs, judgements)
    prefix = id_prefix or ("per-" if model.entity == "person" else "org-")
    keys = registration_keys(existing, new) if model.entity == "company" else None
    assignments, refused = attach_new_records(
        new["unique_id"].tolist(),
        pairs,
        entity_of,
        judgements,
        model.thresholds.link,
        prefix,
        keys,
    )
    return IncrementalResult(assignments, pairs, refused)
