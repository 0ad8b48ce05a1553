"""The kinds of background job. Each app registers its own in its ``tasks.py``:

    from doorbraak.jobs.registry import job_kind, JobFailed

    @job_kind("register_import", label=gettext_lazy("Registerimport"), max_attempts=2)
    def register_import(job, *, source, path, ...):
        ...                                  # report progress with doorbraak.jobs.progress
        return {"summary": "...", "url": reverse(...)}

The handler gets the Job and its ``params``; it returns ``None`` or a dict with any of
``summary`` (one line for the person), ``url`` (where the result is), ``file`` (a path under
VAR_DIR the owner may download) and ``data`` (JSON for the API). Raising ``JobFailed`` marks the
job failed with that reason (and still links ``url``); any other exception marks it failed with a
generic reason (the traceback stays in the task record for the administrator).

``max_attempts`` > 1 only for handlers that are safe to run again after a worker died halfway
(all-or-nothing writes, idempotent); others are marked failed instead."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


class JobFailed(Exception):
    """The job ends as failed, with this message as the reason shown to the person."""

    def __init__(self, message: str, *, url: str = "", data: dict | None = None):
        super().__init__(message)
        self.url = url
        self.data = data or {}


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str | Promise
    handler: Callable
    max_attempts: int = 1
    daily: bool = False


_KINDS: dict[str, JobKind] = {}


def job_kind(name: str, *, label, max_attempts: int = 1, daily: bool = False):
    def register(fn: Callable) -> Callable:
        _KINDS[name] = JobKind(
            name=name, label=label, handler=fn, max_attempts=max_attempts, daily=daily
        )
        return fn

    return register


def get(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"unknown job kind {name!r}") from None


def label_of(name: str) -> str:
    kind = _KINDS.get(name)
    return str(kind.label) if kind else name


def kinds() -> dict[str, JobKind]:
    return dict(_KINDS)


def daily_kinds() -> list[JobKind]:
    return [k for k in _KINDS.values() if k.daily]
