"""Logging filters."""

from __future__ import annotations

import logging


class RefusalWithoutTraceback(logging.Filter):
    """A refused request (HTTP 403) is expected behaviour, already written to the audit log:
    Django's request logger keeps one line for it ("Forbidden (Permission denied): /path"),
    not a full traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
