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


# RequestContext is frozen: the shared default can never be changed in place.
current = contextvars.ContextVar("doorbraak_request", default=RequestContext())  # noqa: B039


class ChainAfterResponse:
    """Set by the middleware for the length of a request: written entries are chained once the
    response has gone out (not while the client waits)."""

    __slots__ = ("needed",)

    def __init__(self) -> None:
        self.needed = False


chain_after_response: contextvars.ContextVar[ChainAfterResponse | None] = contextvars.ContextVar(
    "doorbraak_chain_after_response", default=None
)
