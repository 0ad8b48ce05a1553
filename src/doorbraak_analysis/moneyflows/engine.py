"""The SQL engines are shared by every analysis: ``doorbraak_analysis.engine``."""

from doorbraak_analysis.engine import DuckDBEngine, Engine, SparkEngine, local_spark

__all__ = ["DuckDBEngine", "Engine", "SparkEngine", "local_spark"]
