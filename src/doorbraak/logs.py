"""Structured logs: one JSON object a line, for the container runtime or a log collector."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else passed with `extra=` is logged as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            # gunicorn hands the request's atoms as the record's arguments: log them as fields.
            atoms = record.args
            entry.update(
                message="request",
                method=atoms.get("m"),
                path=atoms.get("U"),
                status=_int(atoms.get("s")),
                bytes=_int(atoms.get("B")),
                duration_ms=round(_int(atoms.get("M")) or 0),
                remote=atoms.get("h"),
                request_id=atoms.get("{x-request-id}o") or None,
            )
        else:
            entry["message"] = record.getMessage()
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
