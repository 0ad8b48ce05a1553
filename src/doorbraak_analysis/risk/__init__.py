"""The area risk picture: explainable indicators per premises and company (never per person),
as SQL over register extracts, on DuckDB and unchanged on Spark."""
