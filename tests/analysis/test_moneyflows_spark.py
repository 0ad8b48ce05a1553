"""The same feature computation (typologies included) on Spark, local mode, as on DuckDB."""

from __future__ import annotations

import importlib.util
import shutil

import numpy as np
import pyarrow as pa
import pytest

from doorbraak_analysis.moneyflows.config import FlowConfig
from doorbraak_analysis.moneyflows.engine import SparkEngine, local_spark
from doorbraak_analysis.moneyflows.io import read_transactions
from doorbraak_analysis.moneyflows.model import compute_features, vocabulary
from doorbraak_analysis.moneyflows.synth import generate

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None, reason="pyspark is not installed"
    ),
    pytest.mark.skipif(
        shutil.which("java") is None, reason="Java is not installed (needed by PySpark)"
    ),
]


@pytest.fixture(scope="session")
def spark():
    # getOrCreate: one local[2] session shared with the other Spark tests of the run
    return local_spark(cores=2)


def test_features_equal_on_spark_and_duckdb(spark, tmp_path):
    paths = generate(1500, seed=3, out_dir=tmp_path, laundering_rate=0.03)
    tx = read_transactions(paths["transactions"])
    vocab = vocabulary(tx)
    head, tail = tx.slice(0, 1000), tx.slice(1000)
    tail = tail.set_column(0, "rid", pa.array(tail["rid"].to_numpy() - 1000))
    cfg = FlowConfig(fan_min_counterparties=3)  # small graph: lower bar so every typology occurs
    on_duck = compute_features(tail, cfg, vocab, history=head)
    on_spark = compute_features(tail, cfg, vocab, history=head, engine=SparkEngine(spark))
    assert on_spark.column_names == on_duck.column_names
    assert on_spark["rid"].to_pylist() == on_duck["rid"].to_pylist() == list(range(500))
    for name in on_duck.column_names:
        a = on_duck[name].to_numpy(zero_copy_only=False).astype(float)
        b = on_spark[name].to_numpy(zero_copy_only=False).astype(float)
        assert np.allclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True), name
    # the comparison is not vacuous: patterns were found and feed the features
    active = [
        c for c in on_duck.column_names if c.startswith("in_") and on_duck[c].to_numpy().sum() > 0
    ]
    assert len(active) >= 5, active
