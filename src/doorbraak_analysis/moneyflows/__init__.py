"""Money-flow analysis: laundering typologies, a graph-feature model and sector vulnerability.

Pure functions over tables (DuckDB by default, Spark for big data); never imports Django.
See FORMAT.md for the file formats and rules, and cli.py for `doorbraak flows ...`.
"""
