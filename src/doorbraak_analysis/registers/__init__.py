"""Register extracts without Django: the field mappings of every source type, the validation of
Dutch register values, and a reader that `doorbraak risk` uses (the importer uses the same
mappings and validation)."""

from pathlib import Path

MAPPINGS_DIR = Path(__file__).parent / "mappings"
