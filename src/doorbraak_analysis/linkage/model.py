"""The Splink model: comparisons and blocking fitted to the fields present, training,
scoring in three bands, and per-pair explanations.

Runs on DuckDB (default) or Spark (``backend="spark"``) with the very same settings: the
comparison SQL uses only functions both engines have (levenshtein, substr, coalesce) plus
``jaro_winkler_similarity``, which on Spark is Splink's Scala UDF registered under that name.
"""

from __future__ import annotations

import json
import logging
import math
import tempfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Mapping, Sequence, cast

import pandas as pd

from .prepare import COMPANY_FEATURES, PERSON_FEATURES

if TYPE_CHECKING:
    from pyspark.sql import SparkSession
    from splink import Linker, SettingsCreator
    from splink.internals.blocking_rule_creator import BlockingRuleCreator
    from splink.internals.comparison_creator import ComparisonCreator
    from splink.internals.comparison_level_creator import ComparisonLevelCreator
    from splink.internals.database_api import DatabaseAPISubClass
    from splink.internals.splink_dataframe import SplinkDataFrame

LinkType = Literal["link_only", "dedupe_only"]

logger = logging.getLogger(__name__)

LINK, REVIEW, NO_LINK = "link", "review", "no_link"
SEED = 20240501  # fixed so that u sampling, and so the whole model, is reproducible


@dataclass(frozen=True)
class Thresholds:
    """Match-probability bands: >= link is linked automatically, >= review goes to an
    analyst, below review is dropped."""

    link: float = 0.9
    review: float = 0.5

    def decide(self, probability: float) -> str:
        if probability >= self.link:
            return LINK
        if probability >= self.review:
            return REVIEW
        return NO_LINK


# ------------------------------------------------------------------ comparisons
# Each level: (label, duckdb SQL condition, prior m, prior u). Priors make the model
# usable when a file is too small for EM, and are EM's starting point otherwise.

Level = tuple[str, str, float, float]
KVK_DIFFERENT = "KvK numbers differ"
# (comparison, level) whose m probability EM must not move
BIRTH_DATES_DIFFER = "birth year equal, full dates differ"
_FIXED_M = {("kvk_number", KVK_DIFFERENT), ("birth", BIRTH_DATES_DIFFER)}


def _jw(col: str, threshold: float) -> str:
    return f"jaro_winkler_similarity({col}_l, {col}_r) >= {threshold}"


def _lev(col: str, distance: int) -> str:
    # levenshtein, not damerau_levenshtein: DuckDB's DL is ~10x slower, and both
    # engines have levenshtein built in
    return f"levenshtein({col}_l, {col}_r) <= {distance}"


def _eq(col: str) -> str:
    return f"{col}_l = {col}_r"


def _person_comparisons(present: set[str]) -> list[tuple[str, str, list[Level]]]:
    comps: list[tuple[str, str, list[Level]]] = []
    if "initials" in present:
        levels: list[Level] = []
        if "given_names" in present:
            levels += [
                ("given names equal", _eq("given_names"), 0.75, 0.005),
                ("first name equal", _eq("first_name"), 0.1, 0.01),
                ("first name similar", _jw("first_name", 0.88), 0.06, 0.01),
                (
                    # 'Pieter' against 'Jan Pieter': a source that writes only the name the
                    # person goes by (roepnaam), not the first of several given names
                    "first name among the other's given names",
                    "(' ' || given_names_r || ' ') like ('% ' || first_name_l || ' %') "
                    "or (' ' || given_names_l || ' ') like ('% ' || first_name_r || ' %')",
                    0.03,
                    0.004,
                ),
            ]
            if "surname_core" in present:
                # given name and surname swapped, possibly with a typo (FEBRL has many)
                levels.append(
                    (
                        "given name and surname swapped",
                        "jaro_winkler_similarity(first_name_l, surname_core_r) >= 0.88 "
                        "or jaro_winkler_similarity(surname_core_l, first_name_r) >= 0.88",
                        0.02,
                        0.001,
                    )
                )
            levels += [
                (
                    "initials equal, one side initials only",
                    "initials_l = initials_r and (first_name_l is null or first_name_r is null)",
                    0.04,
                    0.01,
                ),
                (
                    "first initial equal, one side initials only",
                    "initial1_l = initial1_r and (first_name_l is null or first_name_r is null)",
                    0.02,
                    0.03,
                ),
            ]
        else:
            levels += [("initials equal", _eq("initials"), 0.85, 0.02)]
        levels += [
            ("first initial equal", _eq("initial1"), 0.02, 0.05),
            ("different", "ELSE", 0.01, 0.9),
        ]
        comps.append(("given_name", "initials", levels))
    if "surname_core" in present:
        levels = [
            (
                "surname and prefix equal",
                "surname_core_l = surname_core_r and coalesce(prefix_class_l, '') = coalesce(prefix_class_r, '')",
                0.82,
                0.002,
            ),
            ("surname equal, prefix differs or missing", _eq("surname_core"), 0.05, 0.0005),
        ]
        if "surname_alt" in present:
            levels.append(
                (
                    "known by partner's or double name",
                    "surname_core_l = surname_alt_r or surname_alt_l = surname_core_r or surname_alt_l = surname_alt_r",
                    0.05,
                    0.0005,
                )
            )
        if "first_name" in present:
            levels.append(
                (
                    "given name and surname swapped",
                    "jaro_winkler_similarity(surname_core_l, first_name_r) >= 0.88 "
                    "and jaro_winkler_similarity(first_name_l, surname_core_r) >= 0.88",
                    0.01,
                    0.0001,
                )
            )
        levels += [
            ("surname similar (jw >= 0.92)", _jw("surname_core", 0.92), 0.04, 0.003),
            ("surname roughly similar (jw >= 0.8)", _jw("surname_core", 0.8), 0.015, 0.03),
            ("different", "ELSE", 0.02, 0.96),
        ]
        comps.append(("surname", "surname_core", levels))
    if "birth_year" in present:
        levels = []
        if "birth_date" in present:
            levels += [
                ("birth date equal", _eq("birth_date"), 0.85, 0.0002),
                ("birth date one typo", _lev("birth_date", 1), 0.06, 0.002),
                (
                    "day and month swapped",
                    "birth_year_l = birth_year_r and substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2) "
                    "and substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2)",
                    0.01,
                    0.0001,
                ),
                (
                    "birth year equal, one side year only",
                    "birth_year_l = birth_year_r and (birth_date_l is null or birth_date_r is null)",
                    0.03,
                    0.015,
                ),
                ("birth date two typos", _lev("birth_date", 2), 0.02, 0.02),
                # both full dates known and far apart, only the year agrees: a namesake far
                # more often than a clerical error (EM, fooled by namesakes who agree on
                # every name, would call it evidence *for*; fixed, not estimated)
                (
                    BIRTH_DATES_DIFFER,
                    "birth_year_l = birth_year_r and birth_date_l is not null "
                    "and birth_date_r is not null",
                    0.001,
                    0.012,
                ),
            ]
        levels += [
            ("birth year equal", _eq("birth_year"), 0.02, 0.015),
            ("different", "ELSE", 0.01, 0.95),
        ]
        comps.append(("birth", "birth_year", levels))
    if "bsn" in present:
        comps.append(
            (
                "bsn",
                "bsn",
                [
                    ("identifier equal", _eq("bsn"), 0.9, 0.00001),
                    ("identifier one typo", _lev("bsn", 1), 0.05, 0.0001),
                    ("identifier two typos", _lev("bsn", 2), 0.02, 0.001),
                    ("different", "ELSE", 0.03, 0.999),
                ],
            )
        )
    comps += _address_comparisons(present)
    return comps


def _address_comparisons(present: set[str]) -> list[tuple[str, str, list[Level]]]:
    if not present & {"postcode", "street"}:
        return []
    levels: list[Level] = []
    if {"postcode", "house_number"} <= present:
        levels += [
            (
                "postcode, number and addition equal",
                "postcode_l = postcode_r and house_number_l = house_number_r "
                "and coalesce(house_suffix_l, '') = coalesce(house_suffix_r, '')",
                0.7,
                0.0005,
            ),
            (
                "postcode and number equal, addition differs",
                "postcode_l = postcode_r and house_number_l = house_number_r",
                0.05,
                0.0002,
            ),
        ]
    if {"postcode", "house_number"} <= present:
        # a missing house number is unknown, not a different one
        levels.append(
            (
                "postcode equal, number missing on one side",
                "postcode_l = postcode_r and (house_number_l is null or house_number_r is null)",
                0.05,
                0.001,
            )
        )
    if {"street", "house_number"} <= present:
        levels.append(
            (
                "street and number equal",
                "street_l = street_r and house_number_l = house_number_r",
                0.05,
                0.0005,
            )
        )
    if {"postcode", "house_number"} <= present:
        levels.append(
            (
                "postcode one typo, number equal",
                "levenshtein(postcode_l, postcode_r) <= 1 and house_number_l = house_number_r",
                0.03,
                0.0005,
            )
        )
    if {"street", "house_number"} <= present:
        levels.append(
            (
                "street similar, number equal",
                "jaro_winkler_similarity(street_l, street_r) >= 0.88 and house_number_l = house_number_r",
                0.03,
                0.001,
            )
        )
    if {"street", "house_number"} <= present:
        levels.append(
            (
                "street equal, number missing on one side",
                "street_l = street_r and (house_number_l is null or house_number_r is null)",
                0.03,
                0.002,
            )
        )
    if "postcode" in present:
        levels += [
            ("postcode equal", _eq("postcode"), 0.02, 0.003),
            ("same postcode area", _eq("pc4"), 0.03, 0.02),
        ]
    if "street" in present:
        levels.append(("street equal", _eq("street"), 0.02, 0.005))
    if "city" in present:
        levels.append(("city equal", _eq("city"), 0.03, 0.1))
    levels.append(("different", "ELSE", 0.05, 0.87))
    null_sql = (
        "(postcode_l is null and street_l is null) or (postcode_r is null and street_r is null)"
    )
    if "postcode" not in present:
        null_sql = "street_l is null or street_r is null"
    elif "street" not in present:
        null_sql = "postcode_l is null or postcode_r is null"
    return [("address", null_sql, levels)]


def _company_comparisons(present: set[str]) -> list[tuple[str, str, list[Level]]]:
    comps: list[tuple[str, str, list[Level]]] = []
    if "name_core" in present:
        levels: list[Level] = [("name equal", _eq("name_core"), 0.7, 0.0005)]
        if "name_trade" in present:
            levels.append(
                (
                    "trade name matches statutory or trade name",
                    "name_core_l = name_trade_r or name_trade_l = name_core_r or name_trade_l = name_trade_r",
                    0.08,
                    0.0002,
                )
            )
        levels += [
            ("same words, other order", _eq("name_sorted"), 0.03, 0.0002),
            ("name similar (jw >= 0.92)", _jw("name_core", 0.92), 0.08, 0.002),
            ("name roughly similar (jw >= 0.8)", _jw("name_core", 0.8), 0.04, 0.03),
            ("different", "ELSE", 0.07, 0.965),
        ]
        comps.append(("company_name", "name_core", levels))
    if "kvk_number" in present:
        comps.append(
            (
                "kvk_number",
                "kvk_number",
                [
                    ("KvK number equal", _eq("kvk_number"), 0.92, 0.00001),
                    ("KvK number one typo", _lev("kvk_number", 1), 0.04, 0.0001),
                    # fixed, not estimated: two registrations are two companies (clustering
                    # also refuses such a merge unless an analyst judged them the same)
                    (KVK_DIFFERENT, "ELSE", 0.0005, 0.9999),
                ],
            )
        )
    if "legal_form" in present:
        comps.append(
            (
                "legal_form",
                "legal_form",
                [
                    ("legal form equal", _eq("legal_form"), 0.9, 0.35),
                    ("different", "ELSE", 0.1, 0.65),
                ],
            )
        )
    comps += _address_comparisons(present)
    return comps


def _to_splink_comparison(
    name: str, null_col_or_sql: str, levels: list[Level]
) -> ComparisonCreator:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    null_sql = (
        null_col_or_sql
        if " " in null_col_or_sql
        else f"{null_col_or_sql}_l is null or {null_col_or_sql}_r is null"
    )
    built: list[ComparisonLevelCreator | dict[str, Any]] = [
        cll.CustomLevel(null_sql, "missing").configure(is_null_level=True)
    ]
    for label, sql, m, u in levels:
        fixed = (name, label) in _FIXED_M
        if sql == "ELSE" and fixed:
            built.append(
                cll.ElseLevel().configure(
                    m_probability=m, u_probability=u, fix_m_probability=True, label_for_charts=label
                )
            )
        elif sql == "ELSE":
            built.append(cll.ElseLevel().configure(m_probability=m, u_probability=u))
        else:
            level = cll.CustomLevel(sql, label).configure(m_probability=m, u_probability=u)
            built.append(level.configure(fix_m_probability=True) if fixed else level)
    return cl.CustomComparison(built, output_column_name=name, comparison_description=name)


# ------------------------------------------------------------------ blocking

_PERSON_BLOCKING = (
    ("surname_core", "birth_date"),
    ("first_name", "birth_date"),
    ("initial1", "birth_date"),
    ("surname_core", "first_name"),
    ("surname_core", "initials", "birth_year"),
    ("postcode", "house_number"),
    ("surname_core", "postcode"),
    ("birth_date", "postcode"),
    ("street", "house_number", "birth_year"),
    ("bsn",),
    # sparse sources (no birth date, no postcode, a misspelt surname): still find the pair
    ("surname_key", "initial1", "pc4"),
    ("surname_key", "initial1", "birth_year"),
    ("surname_core", "initial1", "street"),
    ("initial1", "street", "house_number"),
    ("first_name", "postcode"),
)
_PERSON_BLOCKING_SQL = (
    (
        {"surname_alt", "surname_core", "birth_year"},
        "l.surname_alt = r.surname_core and l.birth_year = r.birth_year",
    ),
    (
        {"surname_alt", "surname_core", "birth_year"},
        "l.surname_core = r.surname_alt and l.birth_year = r.birth_year",
    ),
    (
        {"first_name", "surname_core"},
        "l.first_name = r.surname_core and l.surname_core = r.first_name",
    ),
)
_COMPANY_BLOCKING = (
    ("kvk_number",),
    ("name_core",),
    ("name_sorted",),
    ("postcode", "house_number"),
    ("name_core", "pc4"),
)
_COMPANY_BLOCKING_SQL = (
    ({"name_trade", "name_core"}, "l.name_trade = r.name_core"),
    ({"name_trade", "name_core"}, "l.name_core = r.name_trade"),
    (
        {"name_core", "pc4"},
        "substr(l.name_core, 1, 4) = substr(r.name_core, 1, 4) and l.pc4 = r.pc4",
    ),
)


def blocking_rules_for(entity: str, present: set[str]) -> list[str]:
    """Blocking rules (as SQL) that use only fields present on both sides."""
    plain = _PERSON_BLOCKING if entity == "person" else _COMPANY_BLOCKING
    custom = _PERSON_BLOCKING_SQL if entity == "person" else _COMPANY_BLOCKING_SQL
    rules = [" and ".join(f"l.{c} = r.{c}" for c in cols) for cols in plain if set(cols) <= present]
    rules += [sql for cols, sql in custom if cols <= present]
    if not rules:
        # last resort, e.g. only a city: compare everything within the same city
        fallback = [c for c in ("pc4", "city", "initial1", "legal_form") if c in present]
        if not fallback:
            raise ValueError("no usable fields in common to compare the records on")
        rules = [f"l.{fallback[0]} = r.{fallback[0]}"]
    return rules


# EM training blocks, most informative first; each estimates m for the comparisons
# it does not block on.
_PERSON_TRAINING = (
    ("birth_date",),
    ("surname_core", "initial1"),
    ("postcode", "house_number"),
    ("surname_core",),
)
_COMPANY_TRAINING = (("postcode",), ("name_core",), ("kvk_number",))


# Fields compared against another field of the other record (the partner's or second
# surname against the surname, the trade name against the statutory name): useful when only
# one of the inputs has them, e.g. a register without double names against a police source
# that writes 'de Strigter-Momberg'.
_ONE_SIDED = ("surname_alt", "name_trade")


def present_fields(tables: Sequence[pd.DataFrame], entity: str) -> set[str]:
    """Feature columns with at least one value in every input table (the one-sided ones: in
    any input table)."""
    features = PERSON_FEATURES if entity == "person" else COMPANY_FEATURES

    def has(table: pd.DataFrame, column: str) -> bool:
        return column in table.columns and bool(table[column].notna().any())

    present = set(features)
    for table in tables:
        present &= {c for c in features if has(table, c)}
    present |= {c for c in _ONE_SIDED if c in features and any(has(t, c) for t in tables)}
    return present


# ------------------------------------------------------------------ backends

_SPARK: SparkSession | None = None


def spark_session() -> SparkSession:
    """One shared local SparkSession (local[2], UI off)."""
    global _SPARK
    if _SPARK is None:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location

        _SPARK = (
            SparkSession.builder.master("local[2]")
            .config("spark.jars", similarity_jar_location())
            .appName("doorbraak-linkage")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.default.parallelism", "4")
            .config("spark.driver.memory", "2g")
            .config("spark.sql.ansi.enabled", "false")
            .getOrCreate()
        )
        _SPARK.sparkContext.setLogLevel("ERROR")
        # a private directory (mode 0700) of its own, never a fixed, guessable path in /tmp
        _SPARK.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="doorbraak-spark-"))
    return _SPARK


def make_db_api(backend: str = "duckdb", spark: SparkSession | None = None) -> DatabaseAPISubClass:
    if backend == "duckdb":
        import os
        import tempfile

        import duckdb
        from splink import DuckDBAPI

        # bounded memory: DuckDB spills to disk instead of growing with the data
        limit = os.environ.get("DOORBRAAK_DUCKDB_MEMORY", "3GB")
        connection = duckdb.connect(
            config={"memory_limit": limit, "temp_directory": tempfile.gettempdir()}
        )
        return DuckDBAPI(connection)
    if backend == "spark":
        from splink import SparkAPI

        session = spark or spark_session()
        api = SparkAPI(spark_session=session, break_lineage_method="persist")
        from pyspark.sql.types import DoubleType

        # same SQL as on DuckDB: expose Splink's Jaro-Winkler UDF under DuckDB's name
        session.udf.registerJavaFunction(
            "jaro_winkler_similarity", "uk.gov.moj.dash.linkage.JaroWinklerSimilarity", DoubleType()
        )
        return api
    raise ValueError(f"unknown backend {backend!r} (use 'duckdb' or 'spark')")


def _register(db_api: DatabaseAPISubClass, table: pd.DataFrame, name: str) -> SplinkDataFrame:
    table = table.astype(object).where(table.notna(), None)
    if type(db_api).__name__.startswith("Spark"):
        from pyspark.sql.types import StringType, StructField, StructType

        schema = StructType([StructField(c, StringType(), True) for c in table.columns])
        rows = [
            tuple(None if v is None else str(v) for v in row)
            for row in table.itertuples(index=False)
        ]
        from splink import SparkAPI

        sdf = cast(SparkAPI, db_api).spark.createDataFrame(rows, schema=schema)
        return db_api.register(sdf, table_name=name)
    import pyarrow as pa

    arrow = pa.Table.from_pandas(
        table, schema=pa.schema([(c, pa.string()) for c in table.columns]), preserve_index=False
    )
    return db_api.register(arrow, table_name=name)


# ------------------------------------------------------------------ the model


@dataclass
class LinkageModel:
    """A trained Splink model plus what Doorbraak needs around it."""

    entity: str
    link_type: str  # 'link_only' or 'dedupe_only'
    settings: dict[str, Any]  # Splink's trained settings (JSON-serialisable)
    present: list[str]
    thresholds: Thresholds = field(default_factory=Thresholds)
    training_log: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {
                "entity": self.entity,
                "link_type": self.link_type,
                "settings": self.settings,
                "present": self.present,
                "thresholds": [self.thresholds.link, self.thresholds.review],
                "training_log": self.training_log,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> "LinkageModel":
        data = json.loads(text)
        return cls(
            data["entity"],
            data["link_type"],
            data["settings"],
            data["present"],
            Thresholds(*data["thresholds"]),
            data.get("training_log", []),
        )

    # level labels by comparison and gamma value, for explanations
    def level_table(self) -> dict[str, dict[int, dict[str, Any]]]:
        table: dict[str, dict[int, dict[str, Any]]] = {}
        for comp in self.settings["comparisons"]:
            name = comp["output_column_name"]
            levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
            table[name] = {}
            for i, lv in enumerate(levels):
                gamma = len(levels) - 1 - i
                m, u = lv.get("m_probability"), lv.get("u_probability")
                weight = math.log2(m / u) if m and u else 0.0
                table[name][gamma] = {
                    "level": lv.get("label_for_charts", lv["sql_condition"]),
                    "m": m,
                    "u": u,
                    "match_weight": weight,
                }
            table[name][-1] = {"level": "missing", "m": None, "u": None, "match_weight": 0.0}
        return table


def _default_prior(n_records: int, link_type: str) -> float:
    """About one match per record among all pairs: 2/n for linking, 1/n for dedupe."""
    n = max(n_records, 10)
    return min(0.1, (2.0 if link_type == "link_only" else 1.0) / n)


def build_settings(
    entity: str, link_type: LinkType, present: set[str], prior: float = 0.0001
) -> SettingsCreator:
    from splink import SettingsCreator
    from splink.blocking_rule_library import CustomRule

    comparisons = (
        _person_comparisons(present) if entity == "person" else _company_comparisons(present)
    )
    if not comparisons:
        raise ValueError(f"no fields to compare {entity} records on; map at least a name")
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[_to_splink_comparison(*c) for c in comparisons],
        blocking_rules_to_generate_predictions=[
            CustomRule(sql) for sql in blocking_rules_for(entity, present)
        ],
        probability_two_random_records_match=prior,
        retain_matching_columns=True,  # gamma_* columns, needed for explanations
        retain_intermediate_calculation_columns=True,
        max_iterations=20,
        em_convergence=0.001,
    )


def _linker(
    model_or_settings: LinkageModel | SettingsCreator,
    tables: Sequence[pd.DataFrame],
    backend: str,
    spark: SparkSession | None = None,
) -> tuple[Linker, list[SplinkDataFrame]]:
    from splink import Linker

    db_api = make_db_api(backend, spark)
    import uuid

    run = uuid.uuid4().hex[:8]  # a shared Spark session keeps temp views between runs
    names = [f"records_{run}_{i}" for i in range(len(tables))]
    registered = [_register(db_api, t, n) for t, n in zip(tables, names, strict=True)]
    settings = (
        model_or_settings.settings
        if isinstance(model_or_settings, LinkageModel)
        else model_or_settings
    )
    inputs = registered[0] if len(registered) == 1 else registered
    logging.getLogger("splink").setLevel(logging.ERROR)  # Splink's training chatter
    return Linker(inputs, settings, log_level=None), registered


def _estimate_prior(
    linker: Any, entity: str, present: set[str], n_records: int, link_type: str, log: list[str]
) -> None:
    """The prior (share of pairs that match) from near-certain rules, or from the number of
    records when those give nothing plausible."""
    from splink import block_on

    det_rules: list[BlockingRuleCreator] = []
    cols: tuple[str, ...]
    if entity == "person":
        for cols in (
            ("bsn",),
            ("surname_core", "first_name", "birth_date"),
            ("surname_core", "initials", "birth_date"),
        ):
            if set(cols) <= present:
                det_rules.append(block_on(*cols))
    else:
        for cols in (("kvk_number",), ("name_core", "postcode")):
            if set(cols) <= present:
                det_rules.append(block_on(*cols))
    if det_rules:
        try:
            linker.training.estimate_probability_two_random_records_match(det_rules, recall=0.7)
            prior = linker._settings_obj._probability_two_random_records_match
            if not 1e-9 < prior < 0.5:  # no near-certain pairs at all, e.g. a small clean file
                linker._settings_obj._probability_two_random_records_match = _default_prior(
                    n_records, link_type
                )
                log.append(f"prior {prior:g} implausible; set from the number of records")
            else:
                log.append("prior estimated from deterministic rules")
        except Exception as exc:  # e.g. no pairs at all in tiny files
            log.append(f"prior kept at default: {exc}")


def train_model(
    tables: Sequence[pd.DataFrame],
    entity: str = "person",
    thresholds: Thresholds | None = None,
    backend: str = "duckdb",
    min_records_for_em: int = 1000,
    u_max_pairs: float | None = None,
    em_max_pairs: float = 2e6,
    spark: SparkSession | None = None,
) -> tuple[LinkageModel, Linker]:
    """Fit comparisons to the fields present and estimate the parameters.

    One table = deduplication, two tables = linking. u by random sampling (seeded), m by
    EM on training blocks (deterministic). Returns the model and the live Splink linker.
    """
    link_type: LinkType = "dedupe_only" if len(tables) == 1 else "link_only"
    present = present_fields(tables, entity)
    settings = build_settings(entity, link_type, present)
    linker, _ = _linker(settings, tables, backend, spark)
    log: list[str] = []
    n_records = sum(len(t) for t in tables)
    from splink import block_on

    _estimate_prior(linker, entity, present, n_records, link_type, log)
    if u_max_pairs is None:  # enough pairs for rare levels, bounded for big inputs
        u_max_pairs = min(5e6, max(3e5, 200.0 * n_records))
    if len(tables) == 2:
        possible = float(len(tables[0]) * len(tables[1]))
    else:
        possible = n_records * (n_records - 1) / 2.0
    u_max_pairs = max(1.0, min(u_max_pairs, possible))
    try:
        linker.training.estimate_u_using_random_sampling(
            max_pairs=u_max_pairs, seed=SEED, num_chunks=1, min_count_per_level=None
        )
        log.append("u estimated by random sampling")
    except Exception as exc:
        log.append(f"u priors kept: {exc}")
    if n_records >= min_records_for_em:
        candidates = _PERSON_TRAINING if entity == "person" else _COMPANY_TRAINING
        sessions = 0
        for cols in candidates:
            if not set(cols) <= present or sessions >= 2:
                continue
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    block_on(*cols),
                    estimate_without_term_frequencies=True,
                    max_pairs=em_max_pairs,
                )
                sessions += 1
                log.append(f"m estimated by EM blocked on {'+'.join(cols)}")
            except Exception as exc:
                log.append(f"EM on {'+'.join(cols)} skipped: {exc}")
    else:
        log.append(f"EM skipped: {n_records} records < {min_records_for_em}; m from priors")
    trained = linker.misc.save_model_to_json()
    model = LinkageModel(
        entity, link_type, trained, sorted(present), thresholds or Thresholds(), log
    )
    return model, linker


def score_pairs(linker: Linker, model: LinkageModel) -> pd.DataFrame:
    """All blocked pairs at or above the review threshold, with their band."""
    predictions = linker.inference.predict(
        threshold_match_probability=model.thresholds.review, warning_mode="never"
    )
    return _tidy_predictions(predictions.as_pandas_dataframe(), model)


def _tidy_predictions(df: pd.DataFrame, model: LinkageModel) -> pd.DataFrame:
    gamma_cols = [c for c in df.columns if c.startswith(("gamma_", "mw_"))]
    keep = ["unique_id_l", "unique_id_r", "match_weight", "match_probability", *gamma_cols]
    if "source_dataset_l" in df.columns:
        keep = ["source_dataset_l", "source_dataset_r", *keep]
    out = df[keep].copy()
    out["unique_id_l"] = out["unique_id_l"].astype(str)
    out["unique_id_r"] = out["unique_id_r"].astype(str)
    if "source_dataset_l" in out.columns:
        # orient link pairs left -> right regardless of Splink's ordering
        swap = out["source_dataset_l"] > out["source_dataset_r"]
        for a, b in (("unique_id_l", "unique_id_r"), ("source_dataset_l", "source_dataset_r")):
            out.loc[swap, [a, b]] = out.loc[swap, [b, a]].values
    out["decision"] = [model.thresholds.decide(p) for p in out["match_probability"]]
    return out.sort_values(["unique_id_l", "unique_id_r"], kind="stable").reset_index(drop=True)


def explain_pair_row(model: LinkageModel, row: Mapping[str, Any] | pd.Series) -> dict[str, Any]:
    """Why a pair scored as it did: each comparison's agreeing level and its weight.

    ``row`` is one row of ``score_pairs`` (it carries the ``gamma_*`` columns).
    """
    table = model.level_table()
    prior = model.settings.get("probability_two_random_records_match", 0.0001)
    prior_weight = math.log2(prior / (1 - prior))
    parts = []
    for name, levels in table.items():
        gamma = row.get(f"gamma_{name}")
        if gamma is None or (isinstance(gamma, float) and math.isnan(gamma)):
            continue
        info = levels.get(int(gamma), levels[-1])
        parts.append(
            {
                "comparison": name,
                "level": info["level"],
                "match_weight": round(info["match_weight"], 3),
                "m_probability": info["m"],
                "u_probability": info["u"],
            }
        )
    return {
        "left_id": str(row.get("unique_id_l")),
        "right_id": str(row.get("unique_id_r")),
        "prior_match_weight": round(prior_weight, 3),
        "match_weight": round(float(row["match_weight"]), 3),
        "match_probability": float(row["match_probability"]),
        "decision": model.thresholds.decide(float(row["match_probability"])),
        "comparisons": parts,
    }
