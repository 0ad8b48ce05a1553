"""The request an audited action came from, carried in a context variable."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str = ""
    method: str = ""
    path: str = ""


current = contextvars.ContextVar("doorbraak_request", default=RequestContext())
