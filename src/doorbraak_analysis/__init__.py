"""Doorbraak analytics: pure functions over tables (DuckDB by default, Spark at scale).

This package never imports Django (enforced by tests/test_architecture.py).
"""

try:
    from importlib.metadata import version as _version

    __version__ = _version("doorbraak")
except Exception:  # noqa: BLE001 - not installed (a checkout on the path)
    __version__ = "0+unknown"
