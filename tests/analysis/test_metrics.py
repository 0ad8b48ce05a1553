"""The one implementation of precision, recall and F1 (pairwise for linkage)."""

from __future__ import annotations

import itertools
import random

import pytest

from doorbraak_analysis.metrics import (
    cluster_label_scores,
    cluster_scores,
    pair_set_scores,
    pairs_in,
    scores,
)


def _pairs_of(clustering: dict) -> set:
    """Brute force: every two records with the same label, as an unordered pair."""
    return {
        frozenset((a, b))
        for a, b in itertools.combinations(sorted(clustering), 2)
        if clustering[a] == clustering[b]
    }


def test_counts_give_the_textbook_figures():
    s = scores(6, 8, 12)
    assert (s.precision, s.recall) == (0.75, 0.5)
    assert s.f1 == pytest.approx(2 * 0.75 * 0.5 / 1.25)
    assert scores(0, 0, 0).as_dict() == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "true_positives": 0,
        "predicted_pairs": 0,
        "true_pairs": 0,
    }
    nothing = scores(0, 0, 5, empty=0.0)
    assert (nothing.precision, nothing.recall, nothing.f1) == (0.0, 0.0, 0.0)
    assert scores(0, 3, 5).f1 == 0.0
    with pytest.raises(ValueError):
        scores(4, 3, 5)


def test_pair_sets_ordered_across_files_and_unordered_within_one():
    truth = {(1, "a"), (2, "b"), (3, "c")}
    s = pair_set_scores({(1, "a"), (2, "x")}, truth)
    assert (s.true_positives, s.predicted_pairs, s.true_pairs) == (1, 2, 3)
    assert pair_set_scores({(2, 1)}, {(1, 2)}).precision == 0.0
    assert pair_set_scores({(2, 1)}, {(1, 2)}, ordered=False).f1 == 1.0


def test_cluster_scores_agree_with_brute_force_pair_counting():
    rng = random.Random(11)
    for _ in range(50):
        records = range(rng.randint(1, 40))
        truth = {r: rng.randint(0, 8) for r in records}
        predicted = {r: rng.randint(0, 6) for r in records if rng.random() < 0.9}
        known = {k: v for k, v in truth.items() if k in predicted}
        p, t = _pairs_of(predicted), _pairs_of(known)
        expected = pair_set_scores(p, t)
        got = cluster_scores(predicted, truth)
        assert got == expected
        keys = list(known)
        assert cluster_label_scores([predicted[k] for k in keys], [truth[k] for k in keys]) == got


def test_pairs_in_groups_and_columns_of_unequal_length():
    assert pairs_in([1, 2, 3, 4]) == 0 + 1 + 3 + 6
    with pytest.raises(ValueError):
        cluster_label_scores([1, 2], [1])
