"""Precision, recall and F1: the one implementation, for linkage evaluation (pairwise), the
demo's scores against its ground truth, the benchmarks, the money-flow model's report and the
tests. At the top of the analysis package so that linkage and moneyflows both use it.

Two ways to give the pairs: as sets of record pairs (a linker's matches against the true
matches), or as clusterings (record -> entity id, record -> true person id), where every two
records in one cluster are a pair. With nothing predicted, precision is `empty` (default 1.0:
no false match was made; benchmarks and classifiers pass 0.0), and so is recall with nothing to
find; F1 is 0.0 when precision and recall are both 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class PairScores:
    precision: float
    recall: float
    f1: float
    true_positives: int
    predicted_pairs: int
    true_pairs: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def scores(true_positives: int, predicted: int, true: int, *, empty: float = 1.0) -> PairScores:
    """Scores from counts: items both predicted and true, predicted, true. Also for flagged
    items rather than pairs (moneyflows: tp, tp + fp, tp + fn, empty=0.0)."""
    if not 0 <= true_positives <= min(predicted, true):
        raise ValueError(
            f"true positives ({true_positives}) must lie between 0 and min(predicted, true) "
            f"({predicted}, {true})"
        )
    precision = true_positives / predicted if predicted else empty
    recall = true_positives / true if true else empty
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairScores(precision, recall, f1, true_positives, predicted, true)


def _canonical(
    pairs: Iterable[tuple[Hashable, Hashable]], ordered: bool
) -> set[tuple[Hashable, Hashable]] | set[frozenset[Hashable]]:
    if ordered:
        return set(pairs)
    return {frozenset(p) for p in pairs}


def pair_set_scores(
    predicted: Iterable[tuple[Hashable, Hashable]],
    truth: Iterable[tuple[Hashable, Hashable]],
    *,
    ordered: bool = True,
    empty: float = 1.0,
) -> PairScores:
    """Scores of predicted record pairs against the true pairs. `ordered`: a pair is (left
    record, right record) of two different files; False for one file, where (a, b) = (b, a)."""
    p, t = _canonical(predicted, ordered), _canonical(truth, ordered)
    return scores(len(p & t), len(p), len(t), empty=empty)


def pairs_in(counts: Iterable[int]) -> int:
    """Pairs within groups of these sizes: n(n-1)/2 each."""
    return sum(n * (n - 1) // 2 for n in counts)


def cluster_scores(
    predicted: Mapping[Hashable, Hashable],
    truth: Mapping[Hashable, Hashable],
    *,
    empty: float = 1.0,
) -> PairScores:
    """Pairwise scores of a clustering (record -> entity) against the true one (record ->
    person), over the records both know. Every two records in a cluster are a pair."""
    keys = [k for k in truth if k in predicted]
    return cluster_label_scores([predicted[k] for k in keys], [truth[k] for k in keys], empty=empty)


def cluster_label_scores(
    predicted: Iterable[Hashable], truth: Iterable[Hashable], *, empty: float = 1.0
) -> PairScores:
    """As cluster_scores, from two aligned columns of labels (one record per position), e.g.
    a data frame's entity_id and person_id columns."""
    pred, true = list(predicted), list(truth)
    if len(pred) != len(true):
        raise ValueError(f"label columns differ in length ({len(pred)} and {len(true)})")
    return scores(
        pairs_in(Counter(zip(pred, true, strict=True)).values()),
        pairs_in(Counter(pred).values()),
        pairs_in(Counter(true).values()),
        empty=empty,
    )
