"""The field mappings of the register source types (``mappings/<source_type>.yaml``), without
Django: the importer and the Django-free commands read extracts through the same mappings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from . import MAPPINGS_DIR

FIELD_TYPES = {
    "text",
    "prefix",
    "int",
    "float",
    "date",
    "bsn",
    "kvk",
    "bag_id",
    "postcode",
    "sbi",
    "house_number",
    "wijk",
}
TARGETS = {"premises", "company", "officer", "resident", "entry"}


class MappingError(ValueError):
    """An unknown source type or a mapping file that does not fit the format."""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    columns: tuple[str, ...]
    type: str = "text"
    required: bool = False
    default: object = None
    max_length: int | None = None


@dataclass(frozen=True)
class Mapping:
    source_type: str
    title: str
    target: str
    key: tuple[str, ...]
    fields: dict[str, FieldSpec]
    default_sources: tuple[str, ...] = ()
    entry_kind: str = ""


def norm_header(name: object) -> str:
    """Headers match case-insensitively, with spaces and hyphens read as ``_``."""
    return "_".join(str(name or "").strip().lower().replace("-", " ").split())


def source_types() -> list[str]:
    return sorted(p.stem for p in MAPPINGS_DIR.glob("*.yaml"))


@cache
def load_mapping(source_type: str) -> Mapping:
    if source_type not in source_types():
        raise MappingError(
            f"onbekend brontype {source_type!r} (bekend: {', '.join(source_types())})"
        )
    raw = yaml.safe_load((MAPPINGS_DIR / f"{source_type}.yaml").read_text(encoding="utf-8"))
    fields = {}
    for name, spec in raw["fields"].items():
        spec = dict(spec)
        if spec.get("type", "text") not in FIELD_TYPES:
            raise MappingError(f"{source_type}.yaml: field {name}: unknown type {spec.get('type')}")
        cols = spec.pop("columns", [name])
        cols = [cols] if isinstance(cols, str) else cols
        fields[name] = FieldSpec(name=name, columns=tuple(norm_header(c) for c in cols), **spec)
    mapping = Mapping(
        source_type=raw["source_type"],
        title=raw.get("title", source_type),
        target=raw["target"],
        key=tuple(raw["key"]),
        fields=fields,
        default_sources=tuple(raw.get("default_sources", ())),
        entry_kind=raw.get("entry_kind", ""),
    )
    if mapping.source_type != source_type or mapping.target not in TARGETS:
        raise MappingError(f"{source_type}.yaml: source_type/target do not fit")
    return mapping


def column_of(spec: FieldSpec, columns: list[str]) -> str | None:
    """The first of the field's columns that the file has."""
    return next((c for c in spec.columns if c in columns), None)
