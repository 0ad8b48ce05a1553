"""The two SQL engines behind the analysis, behind one small interface.

All analysis SQL is written once in the common subset of DuckDB and Spark SQL (no engine
specific functions; integer buckets via CAST(floor(..) AS BIGINT), NULLIF on every divisor,
concat_ws/CAST(.. AS STRING) for keys, RANGE window frames on epoch seconds). What differs
between the engines — how a named intermediate table is materialised and how Arrow goes in
and out — lives here and only here.
"""

from __future__ import annotations

from typing import Any, Protocol

import pyarrow as pa


class Engine(Protocol):
    """What an analysis needs of an engine: tables in, named intermediate tables, Arrow out."""

    name: str

    def register(self, name: str, table: pa.Table) -> None: ...

    def create(self, name: str, sql: str) -> None: ...

    def to_arrow(self, sql: str) -> pa.Table: ...

    def drop(self, name: str) -> None: ...


class DuckDBEngine:
    """DuckDB in memory (TEMP tables), or on a database file (`database`): then the named
    tables are ordinary tables of that file, compressed and buffer-managed, so under
    `memory_limit` DuckDB evicts them to the file instead of failing — bounded memory for
    inputs larger than memory (`doorbraak flows score`)."""

    name = "duckdb"

    def __init__(
        self,
        con: Any = None,
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        temp_directory: str | None = None,
        database: str | None = None,
    ) -> None:
        import duckdb

        if con is not None and database is not None:
            raise ValueError("give a connection or a database file, not both")
        self.con = con or duckdb.connect(database or ":memory:")
        # TEMP tables live in memory; on a database file the tables are the file's own
        self.temp = "" if database else "TEMP "
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if memory_limit:  # beyond it DuckDB spills to disk instead of growing: bounded memory
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        if temp_directory:
            self.con.execute(f"SET temp_directory = '{temp_directory}'")
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute("SET enable_progress_bar = false")

    def register(self, name: str, table: pa.Table) -> None:
        self.con.register(f"{name}__arrow", table)
        self.con.execute(
            f"CREATE OR REPLACE {self.temp}TABLE {name} AS SELECT * FROM {name}__arrow"
        )
        self.con.unregister(f"{name}__arrow")

    def create(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE {self.temp}TABLE {name} AS {sql}")

    def to_arrow(self, sql: str) -> pa.Table:
        return self.con.sql(sql).to_arrow_table()

    def drop(self, name: str) -> None:
        self.con.execute(f"DROP TABLE IF EXISTS {name}")


class SparkEngine:
    name = "spark"

    def __init__(self, spark: Any) -> None:
        self.spark = spark
        self._cached: dict[str, Any] = {}

    def register(self, name: str, table: pa.Table) -> None:
        df = self.spark.createDataFrame(table)
        df.createOrReplaceTempView(name)
        self._cached[name] = df

    def create(self, name: str, sql: str) -> None:
        # materialise now and cut the lineage: later steps reuse it, and the plans stay small
        df = self.spark.sql(sql).localCheckpoint(eager=True)
        df.createOrReplaceTempView(name)
        self._cached[name] = df

    def to_arrow(self, sql: str) -> pa.Table:
        return self.spark.sql(sql).toArrow()

    def drop(self, name: str) -> None:
        self._cached.pop(name, None)
        self.spark.catalog.dropTempView(name)


def local_spark(app: str = "doorbraak-analysis", cores: int = 2) -> Any:
    """A local-mode SparkSession for tests and single machines."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    try:  # the session is shared by every analysis in a process: linkage needs Splink's UDF jar
        from splink.backends.spark import similarity_jar_location

        builder = builder.config("spark.jars", similarity_jar_location()).config(
            "spark.sql.ansi.enabled", "false"
        )
    except ImportError:
        pass
    return (
        builder.master(f"local[{cores}]")
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate()
    )
