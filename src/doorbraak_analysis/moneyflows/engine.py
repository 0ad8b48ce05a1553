"""The SQL engines are shared by every analysis: ``doorbraak_analysis.engine``."""

from doorbraak_analysis.engine import DuckDBEngine, SparkEngine, local_spark

__all__ = ["DuckDBEngine", "SparkEngine", "local_spark"]
