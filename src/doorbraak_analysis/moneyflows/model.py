"""Train and score the laundering model (LightGBM over graph features).

Evaluation follows Altman et al. (2023): split by time, minority-class F1 of laundering
transactions, decision threshold chosen on the validation part (never on the test part).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from ..metrics import scores
from .config import RULESET_VERSION, FlowConfig
from .engine import DuckDBEngine, Engine
from .features import Vocabulary, build_features, feature_names

if TYPE_CHECKING:
    import lightgbm as lgb

MODEL_FILE = "model.txt"
META_FILE = "meta.json"
MODEL_VERSION = "moneyflows-model-1"

LGB_PARAMS = {
    "objective": "binary",
    "learning_rate": 0.1,
    "num_leaves": 31,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "metric": "average_precision",
    "verbose": -1,
    "seed": 17,
    "deterministic": True,
    "force_col_wise": True,
    "num_threads": 2,
}


def vocabulary(tx: pa.Table, limit: int = 40) -> Vocabulary:
    """Category codes for payment format and currency, most frequent first (stored with the model)."""
    import pyarrow.compute as pc

    def top(col: str) -> list[str]:
        counts = pc.value_counts(tx[col]).to_pylist()
        counts.sort(key=lambda d: (-d["counts"], d["values"]))
        return [d["values"] for d in counts[:limit]]

    return {"fmt": top("fmt"), "cur": sorted(set(top("pay_cur")) | set(top("recv_cur")))}


def compute_features(
    tx: pa.Table,
    cfg: FlowConfig,
    vocab: Vocabulary,
    *,
    with_graph: bool = True,
    engine: Engine | None = None,
    history: pa.Table | None = None,
) -> pa.Table:
    """Feature table (rid + features, float64) for the rows of `tx`; `history` is context only."""
    if history is not None and history.num_rows:
        ctx = history.set_column(
            0, "rid", pa.array(-1 - np.arange(history.num_rows, dtype=np.int64))
        )
        tx = pa.concat_tables([ctx, tx.cast(ctx.schema)])
    engine = engine or DuckDBEngine(threads=2)
    engine.register("tx", tx)
    build_features(engine, cfg, vocab, with_graph=with_graph)
    names = feature_names(with_graph)
    cols = ", ".join(f"CAST({n} AS DOUBLE) AS {n}" for n in names)
    return engine.to_arrow(f"SELECT rid, {cols} FROM feat WHERE rid >= 0 ORDER BY rid")


def training_features(
    tx: pa.Table, cfg: FlowConfig, vocab: Vocabulary, *, with_graph: bool = True
) -> pa.Table:
    """The features `train` fits and validates on: one pass over the labelled file. Because no
    feature reaches beyond a bounded stretch of time, the validation rows get exactly the
    features `score --input VALIDATION --history FIT` gives them (tested), and the fit rows
    those a score of their own period with the months before as history would give."""
    return compute_features(tx, cfg, vocab, with_graph=with_graph)


def _matrix(feat: pa.Table, names: list[str]) -> np.ndarray:
    return (
        np.column_stack([feat[n].to_numpy(zero_copy_only=False).astype(np.float64) for n in names])
        if feat.num_rows
        else np.zeros((0, len(names)))
    )


def best_threshold(y: np.ndarray, score: np.ndarray) -> tuple[float, float]:
    """Threshold with the highest F1 of the positive class (midpoint between scores)."""
    order = np.argsort(-score, kind="stable")
    s, yy = score[order], y[order]
    tp = np.cumsum(yy)
    k = np.arange(1, len(s) + 1)
    last = np.r_[s[1:] != s[:-1], True]  # only cut between distinct scores
    f1 = np.where(last, 2 * tp / (k + yy.sum()), -1)
    if yy.sum() == 0:
        return 0.5, 0.0
    i = int(np.argmax(f1))
    thr = (s[i] + s[i + 1]) / 2 if i + 1 < len(s) else s[i] * 0.999
    return float(thr), float(f1[i])


def average_precision(y: np.ndarray, score: np.ndarray) -> float:
    """Area under the precision-recall curve as average precision (sum over the positives of the
    precision at their rank; tied scores share one cut, as in scikit-learn)."""
    y = np.asarray(y).astype(np.int64)
    positives = int(y.sum())
    if positives == 0 or len(y) == 0:
        return 0.0
    order = np.argsort(-np.asarray(score, dtype=np.float64), kind="stable")
    s, yy = np.asarray(score, dtype=np.float64)[order], y[order]
    last = np.r_[s[1:] != s[:-1], True]  # the end of each run of equal scores
    tp = np.cumsum(yy)[last]
    k = np.flatnonzero(last) + 1
    precision = tp / k
    recall_gain = np.diff(np.r_[0, tp]) / positives
    return float(np.sum(precision * recall_gain))


def flag_share_warning(share: float, validation_share: float | None) -> str | None:
    """A warning when the flagged share of a scored set is more than twice (or less than half)
    the flagged share on the validation period: then the scores are probably not on the
    training scale (other kind of data, a feature out of its range) and the threshold does
    not mean what it meant in training."""
    if validation_share is None:
        return None
    lo, hi = sorted((share, validation_share))
    if hi == 0 or (lo > 0 and hi / lo <= 2.0):
        return None
    return (
        f"warning: {share:.4%} of the scored transactions are flagged against {validation_share:.4%} "
        "on the validation period (more than a factor 2 apart): the scores may not be on the "
        "scale of training; check the data before acting on the flags"
    )


def f1_report(y: np.ndarray, flagged: np.ndarray) -> dict[str, float]:
    tp = int(((flagged == 1) & (y == 1)).sum())
    fp = int(((flagged == 1) & (y == 0)).sum())
    fn = int(((flagged == 0) & (y == 1)).sum())
    s = scores(tp, tp + fp, tp + fn, empty=0.0)
    return {"f1": s.f1, "precision": s.precision, "recall": s.recall, "tp": tp, "fp": fp, "fn": fn}


def temporal_split(
    t: np.ndarray, fractions: tuple[float, ...] = (0.6, 0.2, 0.2)
) -> list[np.ndarray]:
    """Row indices per part, in time order (ties by row), sizes by transaction count."""
    order = np.lexsort((np.arange(len(t)), t))
    cuts = np.cumsum(np.array(fractions) / sum(fractions))[:-1]
    return np.split(order, (cuts * len(t)).round().astype(int))


def train(
    tx: pa.Table,
    model_dir: str | Path,
    cfg: FlowConfig | None = None,
    *,
    with_graph: bool = True,
    validation_fraction: float = 0.25,
    max_rounds: int = 250,
    log: Callable[[str], object] = print,
) -> dict[str, Any]:
    """Features over the whole labelled set, fit on the earlier part, pick the threshold on the
    later part (validation), store model, threshold and settings in `model_dir`."""
    import lightgbm as lgb

    cfg = cfg or FlowConfig()
    model_dir = Path(model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    if tx["label"].null_count:
        raise ValueError("training needs the Is Laundering label on every row")
    started = time.perf_counter()
    vocab = vocabulary(tx)
    feat = training_features(tx, cfg, vocab, with_graph=with_graph)
    t_feat = time.perf_counter() - started
    names = feature_names(with_graph)
    X = _matrix(feat, names)
    y = tx["label"].to_numpy().astype(int)  # feat is ordered by rid = row
    fit_idx, val_idx = temporal_split(
        tx["t"].to_numpy(), (1 - validation_fraction, validation_fraction)
    )
    dfit = lgb.Dataset(X[fit_idx], y[fit_idx], feature_name=names, free_raw_data=True)
    dval = lgb.Dataset(X[val_idx], y[val_idx], reference=dfit)
    booster = lgb.train(
        LGB_PARAMS,
        dfit,
        num_boost_round=max_rounds,
        valid_sets=[dval],
        callbacks=[lgb.early_stopping(30, verbose=False)],
    )
    # The validation rows' features are those `score --input VAL --history FIT` computes: the
    # same transactions around them (features never reach beyond a bounded stretch of time), so
    # the threshold chosen here is chosen on scores made the way the test's scores are made.
    val_score = np.asarray(booster.predict(X[val_idx], num_iteration=booster.best_iteration))
    threshold, val_f1 = best_threshold(y[val_idx], val_score)
    report = f1_report(y[val_idx], (val_score >= threshold).astype(int))
    report["average_precision"] = round(average_precision(y[val_idx], val_score), 6)
    report["flagged_share"] = float(np.mean(val_score >= threshold)) if len(val_idx) else 0.0
    booster.save_model(str(model_dir / MODEL_FILE), num_iteration=booster.best_iteration)
    t_all = time.perf_counter() - started
    gain = booster.feature_importance("gain")
    meta = {
        "model_version": MODEL_VERSION,
        "ruleset_version": RULESET_VERSION,
        "with_graph": with_graph,
        "features": names,
        "vocabulary": vocab,
        "config": cfg.as_dict(),
        "threshold": threshold,
        "best_iteration": booster.best_iteration,
        "validation": {**report, "rows": int(len(val_idx)), "positives": int(y[val_idx].sum())},
        "training_rows": int(len(fit_idx)),
        "training_positives": int(y[fit_idx].sum()),
        "data_from": int(tx["t"].to_numpy().min()),
        "data_to": int(tx["t"].to_numpy().max()),
        "seconds_features": round(t_feat, 2),
        "seconds_total": round(t_all, 2),
        "top_features": [n for _, n in sorted(zip(gain, names, strict=True), reverse=True)[:15]],
    }
    (model_dir / META_FILE).write_text(json.dumps(meta, indent=2))
    log(
        f"trained on {len(fit_idx)} rows, validated on {len(val_idx)}: threshold {threshold:.4f}, "
        f"validation F1 {report['f1']:.3f} (precision {report['precision']:.3f}, recall {report['recall']:.3f}), "
        f"PR-AUC {report['average_precision']:.3f}, flagged share {report['flagged_share']:.4%}"
    )
    return meta


SCORE_CHUNK = 200_000


class ModelError(ValueError):
    """The model directory is missing or does not hold a model `flows train` wrote."""


META_KEYS = {
    "model_version",
    "ruleset_version",
    "with_graph",
    "features",
    "vocabulary",
    "config",
    "threshold",
}


def load_model(model_dir: str | Path) -> tuple[lgb.Booster, dict[str, Any]]:
    import lightgbm as lgb

    model_dir = Path(model_dir)
    if not (model_dir / META_FILE).is_file() or not (model_dir / MODEL_FILE).is_file():
        missing = (
            "directory"
            if not model_dir.is_dir()
            else (META_FILE if not (model_dir / META_FILE).is_file() else MODEL_FILE)
        )
        raise ModelError(
            f"model {model_dir} is missing ({missing} not found; train one with `doorbraak flows train`)"
        )
    not_ours = f"model {model_dir} is not a Doorbraak model"
    try:
        meta = json.loads((model_dir / META_FILE).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ModelError(f"{not_ours} ({META_FILE} is not readable model metadata)") from None
    if (
        not isinstance(meta, dict)
        or not META_KEYS <= set(meta)
        or meta.get("model_version") != MODEL_VERSION
    ):
        raise ModelError(
            f"{not_ours} ({META_FILE} lacks the fields or version {MODEL_VERSION} that "
            "`doorbraak flows train` writes)"
        )
    try:
        booster = lgb.Booster(model_file=str(model_dir / MODEL_FILE))
    except Exception:  # LightGBMError, or anything the parser raises on a damaged file
        raise ModelError(f"{not_ours} ({MODEL_FILE} is not a readable LightGBM model)") from None
    if booster.num_feature() != len(meta["features"]):
        raise ModelError(f"{not_ours} ({MODEL_FILE} and {META_FILE} do not belong together)")
    return booster, meta


def _feature_batches(engine: Engine, names: list[str], batch_rows: int) -> Iterator[pa.Table]:
    """The scored rows' features in row order, `batch_rows` at a time (engines other than
    DuckDB hand over the whole table, sliced here; DuckDB: `_duckdb_scores`)."""
    cols = ", ".join(f"CAST({n} AS DOUBLE) AS {n}" for n in names)
    sql = f"SELECT rid, {cols} FROM feat WHERE rid >= 0 ORDER BY rid"
    table = engine.to_arrow(sql)
    for off in range(0, table.num_rows, batch_rows):
        yield table.slice(off, batch_rows)


def _explanations(
    booster: lgb.Booster, meta: dict[str, Any], feat: pa.Table, flagged: np.ndarray, explain: int
) -> pa.Table:
    idx = np.flatnonzero(flagged)
    X = _matrix(feat.take(pa.array(idx)), meta["features"])
    contrib = np.asarray(booster.predict(X, pred_contrib=True))[:, :-1]
    top = np.argsort(-contrib, axis=1)[:, :explain]
    names = np.array(meta["features"])
    return pa.table(
        {
            "row": pa.array(feat["rid"].to_numpy()[idx]),
            "indicators": pa.array(
                [
                    ";".join(f"{names[j]}={X[k, j]:.4g}({contrib[k, j]:+.3f})" for j in top[k])
                    for k in range(len(idx))
                ]
            ),
            "model_version": pa.array([meta["model_version"]] * len(idx)),
            "ruleset_version": pa.array([meta["ruleset_version"]] * len(idx)),
        }
    )


def iter_scores(
    engine: Engine,
    booster: lgb.Booster,
    meta: dict[str, Any],
    *,
    explain: int = 0,
    batch_rows: int = SCORE_CHUNK,
) -> Iterator[tuple[pa.Table, pa.Table | None]]:
    """Build the features over the engine's `tx` (scored rows rid >= 0, context rows rid < 0)
    and yield (`row,score,flagged`, explanations or None) per batch of `batch_rows` rows, in
    row order: LightGBM predicts one batch at a time, so memory does not grow with the input."""
    cfg = FlowConfig(**meta["config"])
    build_features(
        engine, cfg, meta["vocabulary"], with_graph=meta["with_graph"], drop_intermediate=True
    )
    if isinstance(engine, DuckDBEngine):
        yield from _duckdb_scores(engine, booster, meta, explain, batch_rows)
        return
    for feat in _feature_batches(engine, meta["features"], batch_rows):
        yield _score_batch(booster, meta, feat, explain)


def _score_batch(
    booster: lgb.Booster, meta: dict[str, Any], feat: pa.Table, explain: int
) -> tuple[pa.Table, pa.Table | None]:
    s = np.asarray(booster.predict(_matrix(feat, meta["features"]), num_threads=2))
    flagged = (s >= meta["threshold"]).astype(np.int8)
    out = pa.table(
        {"row": feat["rid"], "score": pa.array(np.round(s, 6)), "flagged": pa.array(flagged)}
    )
    why = (
        _explanations(booster, meta, feat, flagged, explain) if explain and flagged.any() else None
    )
    return out, why


def _duckdb_scores(
    engine: DuckDBEngine,
    booster: lgb.Booster,
    meta: dict[str, Any],
    explain: int,
    batch_rows: int,
) -> Iterator[tuple[pa.Table, pa.Table | None]]:
    """DuckDB: predict the feature rows in the order DuckDB scans them (no sort of the wide
    feature table, which at tens of millions of rows is tens of GB), keep the narrow scores
    and explanations in DuckDB tables and hand them out sorted by row, a batch at a time."""
    con: Any = engine.con
    names = meta["features"]
    cols = ", ".join(f"CAST({n} AS DOUBLE) AS {n}" for n in names)
    # a second connection writes while the first streams `feat`, a third reads the
    # explanations while the second streams the scores (a connection runs one query at a
    # time); so `scored` and `explained` are tables of the database, not TEMP tables (which
    # only the connection that made them sees)
    out_con, why_con = con.cursor(), con.cursor()
    try:
        out_con.execute(
            "CREATE OR REPLACE TABLE scored (row BIGINT, score DOUBLE, flagged TINYINT)"
        )
        if explain:
            out_con.execute(
                "CREATE OR REPLACE TABLE explained (row BIGINT, indicators VARCHAR, "
                "model_version VARCHAR, ruleset_version VARCHAR)"
            )
        # LightGBM predicts SCORE_CHUNK rows at most at a time: a batch of a million rows of
        # ~60 doubles is 0.5 GB as Arrow, again as a matrix, and more inside LightGBM
        feat_sql = f"SELECT rid, {cols} FROM feat WHERE rid >= 0"
        reader = con.sql(feat_sql).to_arrow_reader(min(batch_rows, SCORE_CHUNK))
        for batch in reader:
            out, why = _score_batch(booster, meta, pa.Table.from_batches([batch]), explain)
            out_con.register("scored__batch", out)
            out_con.execute("INSERT INTO scored SELECT * FROM scored__batch")
            out_con.unregister("scored__batch")
            if why is not None:
                out_con.register("explained__batch", why)
                out_con.execute("INSERT INTO explained SELECT * FROM explained__batch")
                out_con.unregister("explained__batch")
        sorted_scores = out_con.sql("SELECT * FROM scored ORDER BY row").to_arrow_reader(batch_rows)
        for batch in sorted_scores:
            out = pa.Table.from_batches([batch])
            why = None
            if explain and out.num_rows:
                lo, hi = out["row"][0].as_py(), out["row"][out.num_rows - 1].as_py()
                why = why_con.sql(
                    f"SELECT * FROM explained WHERE row BETWEEN {int(lo)} AND {int(hi)} ORDER BY row"
                ).to_arrow_table()
                why = why if why.num_rows else None
            yield out, why
    finally:
        why_con.close()
        out_con.execute("DROP TABLE IF EXISTS scored")
        out_con.execute("DROP TABLE IF EXISTS explained")
        out_con.close()


def score_summary(rows: int, flagged: int, meta: dict[str, Any]) -> dict[str, Any]:
    """Rows, flagged share, the validation period's flagged share and the warning when the two
    are more than a factor 2 apart (see flag_share_warning)."""
    share = flagged / rows if rows else 0.0
    val_share = meta.get("validation", {}).get("flagged_share")
    return {
        "rows": rows,
        "flagged": flagged,
        "flagged_share": share,
        "validation_flagged_share": val_share,
        "warning": flag_share_warning(share, val_share) if rows else None,
        "model_version": meta["model_version"],
        "ruleset_version": meta["ruleset_version"],
    }


def score(
    tx: pa.Table,
    model_dir: str | Path,
    *,
    history: pa.Table | None = None,
    engine: Engine | None = None,
    explain: int = 0,
) -> tuple[pa.Table, pa.Table | None]:
    """Scores per row of `tx` (`row,score,flagged`); `explain` > 0 also returns the top
    contributing features per flagged row (rule of the field: every score is explainable).
    In memory; `doorbraak flows score` streams the same computation from and to files."""
    booster, meta = load_model(model_dir)
    if history is not None and history.num_rows:
        ctx = history.set_column(
            0, "rid", pa.array(-1 - np.arange(history.num_rows, dtype=np.int64))
        )
        tx = pa.concat_tables([ctx, tx.cast(ctx.schema)])
    engine = engine or DuckDBEngine(threads=2)
    engine.register("tx", tx)
    outs, whys = [], []
    for out, why in iter_scores(engine, booster, meta, explain=explain):
        outs.append(out)
        if why is not None:
            whys.append(why)
    empty = pa.table(
        {
            "row": pa.array([], pa.int64()),
            "score": pa.array([], pa.float64()),
            "flagged": pa.array([], pa.int8()),
        }
    )
    return (pa.concat_tables(outs) if outs else empty), (pa.concat_tables(whys) if whys else None)
