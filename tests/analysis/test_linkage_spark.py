"""The same Splink model on Spark (PySpark local mode) gives the same links as DuckDB."""

import importlib.util
import shutil
from pathlib import Path

import pytest

from doorbraak_analysis import linkage as lk
from doorbraak_analysis.linkage import synth

FIXTURES = Path(__file__).parent / "linkage_fixtures"

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None, reason="pyspark is not installed"
    ),
    pytest.mark.skipif(
        shutil.which("java") is None, reason="Java is not installed (needed by PySpark)"
    ),
]


@pytest.fixture(scope="module")
def spark():
    from doorbraak_analysis.linkage.model import spark_session

    return spark_session()  # one shared local[2] session, UI disabled


def _links(result):
    out = result.output()
    return {
        (a, b)
        for a, b, d in zip(out.left_id, out.right_id, out.decision, strict=True)
        if d == "link"
    }


def test_trained_model_scores_the_same_on_spark(spark):
    # Train once on DuckDB (with EM), then run the same model unchanged on Spark. Training
    # also runs on Spark (train_model(..., backend="spark")), but local-mode Spark needs
    # minutes for its many small training queries, too slow for the test suite.
    brp, source, truth = synth.make_person_registers(400, seed=21)
    left = lk.prepare_records(brp, synth.BRP_MAPPING, "person", "left")
    right = lk.prepare_records(source, synth.SOURCE_MAPPING, "person", "right")
    duck = lk.link_features(left, right, "person")
    on_spark = lk.link_features(
        left, right, "person", model=duck.model, backend="spark", spark=spark
    )
    assert _links(on_spark) == _links(duck)
    assert len(_links(duck)) > 250
    a = duck.output().set_index(["left_id", "right_id"]).match_probability
    b = on_spark.output().set_index(["left_id", "right_id"]).match_probability
    diff = (a - b.reindex(a.index)).abs()
    # the same SQL and parameters; the only engine difference is the Jaro-Winkler
    # implementation (DuckDB's vs Splink's Scala UDF), which can put a rare pair right at
    # a threshold into a neighbouring level
    assert (diff > 1e-6).mean() < 0.02 and diff.max() < 0.01
