"""Entity resolution for Dutch registers (issue 4): pure functions over tables.

Typical use by the web app::

    from doorbraak_analysis import linkage as lk

    features = lk.prepare_records(df, mapping, "person", source="brp")
    result = lk.resolve_features(features, "person", judgements=judgements,
                                 previous_entities=last_run)          # DedupeResult
    result.entities          # record_id, entity_id (stable across runs)
    result.review_queue()    # pairs for analysts
    result.explain(a, b)     # which comparisons agreed, with their match weights
    later = lk.link_new_records(result.model, features, result.entity_of(), new_features)
    lk.export_ftm("graph.ftm.json", persons=..., relations=[lk.Relation(...)])

Splink on DuckDB by default; pass ``backend="spark"`` for the same model on Spark.
No Django imports here, ever.
"""

from .clustering import assign_entity_ids, attach_new_records, cluster_records, entity_id_for
from .ftm import (
    Relation,
    canonical_table,
    entity_graph,
    export_ftm,
    read_ftm,
    validate_entities,
    write_ftm,
)
from .judgements import (
    NOT_SAME,
    SAME,
    UNSURE,
    Judgement,
    JudgementGraph,
    active_judgements,
    apply_judgements_to_pairs,
)
from .model import LINK, NO_LINK, REVIEW, LinkageModel, Thresholds, explain_pair_row, train_model
from .pipeline import (
    DedupeResult,
    IncrementalResult,
    LinkResult,
    dedupe_table,
    explain_pair,
    link_features,
    link_new_records,
    link_tables,
    resolve_features,
)
from .prepare import (
    CANONICAL_FIELDS,
    COMPANY_FIELDS,
    PERSON_FIELDS,
    MappingError,
    load_mapping,
    prepare_records,
    read_table,
    validate_mapping,
)

__all__ = [
    "assign_entity_ids",
    "attach_new_records",
    "cluster_records",
    "entity_id_for",
    "Relation",
    "canonical_table",
    "entity_graph",
    "export_ftm",
    "read_ftm",
    "validate_entities",
    "write_ftm",
    "NOT_SAME",
    "SAME",
    "UNSURE",
    "Judgement",
    "JudgementGraph",
    "active_judgements",
    "apply_judgements_to_pairs",
    "LINK",
    "NO_LINK",
    "REVIEW",
    "LinkageModel",
    "Thresholds",
    "explain_pair_row",
    "train_model",
    "DedupeResult",
    "IncrementalResult",
    "LinkResult",
    "dedupe_table",
    "explain_pair",
    "link_features",
    "link_new_records",
    "link_tables",
    "resolve_features",
    "CANONICAL_FIELDS",
    "COMPANY_FIELDS",
    "PERSON_FIELDS",
    "MappingError",
    "load_mapping",
    "prepare_records",
    "read_table",
    "validate_mapping",
]
