"""Doorbraak analytics: pure functions over tables (DuckDB by default, Spark at scale).

This package never imports Django (enforced by tests/test_architecture.py).
"""
