"""Background jobs as the person who started them sees them, and the worker heartbeats.

The queue itself is django-tasks' database backend (``django_tasks_db.DBTaskResult``); a
``Job`` is the user-facing record around one run: who started it, for which purpose, its status,
progress, the reason when it failed and a link to the result when it is done."""

from __future__ import annotations

import socket
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    kind = models.CharField(_("soort"), max_length=40, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
        verbose_name=_("gestart door"),
    )
    requested_by = models.CharField(_("gestart door (naam)"), max_length=150)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=JobStatus.choices,
        default=JobStatus.QUEUED,
        db_index=True,
    )
    # What the job works on (never file contents); personal data only where the kind says so.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    purpose = models.CharField(_("doel"), max_length=40, blank=True)
    data_categories = models.JSONField(_("gegevenscategorieën"), default=list, blank=True)
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), null=True, blank=True)
    progress_note = models.CharField(_("stap"), max_length=200, blank=True)
    summary = models.TextField(_("resultaat"), blank=True)
    result = models.JSONField(_("resultaatgegevens"), default=dict, blank=True)
    result_url = models.CharField(_("resultaat (link)"), max_length=300, blank=True)
    result_file = models.CharField(_("resultaatbestand"), max_length=300, blank=True)
    error = models.TextField(_("reden"), blank=True)
    task_id = models.CharField(max_length=64, blank=True, db_index=True)
    worker_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("maximaal aantal pogingen"), default=1)
    scheduled_for = models.DateField(_("gepland voor"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    started_at = models.DateTimeField(_("gestart"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("achtergrondtaak")
        verbose_name_plural = _("achtergrondtaken")
        constraints = [
            # The worker schedules each daily job once per day, however many workers run.
            models.UniqueConstraint(
                fields=["kind", "scheduled_for"],
                condition=Q(scheduled_for__isnull=False),
                name="jobs_one_scheduled_run_per_day",
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def kind_label(self) -> str:
        from .registry import label_of

        return label_of(self.kind)

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def duration(self) -> timedelta | None:
        if self.started_at is None:
            return None
        return (self.finished_at or timezone.now()) - self.started_at


def _boot_id() -> str:
    try:
        with open("/proc/sys/kernel/random/boot_id") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def process_start_ticks(pid: int) -> int | None:
    """When a live process started (clock ticks since boot, /proc/PID/stat field 22); tells a
    live worker from a later process that happens to have the same pid. None when there is no
    such process, or only its corpse (a zombie, killed but not yet reaped by its parent)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            stat = fh.read()
    except OSError:
        return None
    try:
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] in {"Z", "X", "x"}:
            return None
        return int(fields[19])
    except (IndexError, ValueError):
        return None


class WorkerHeartbeat(models.Model):
    """One row per worker process, refreshed every few seconds while it runs."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    boot_id = models.CharField(max_length=64, blank=True)
    pid = models.PositiveIntegerField()
    pid_started = models.BigIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"worker {self.worker_id} ({self.hostname}:{self.pid})"

    def age(self, now=None) -> float:
        return ((now or timezone.now()) - self.last_seen).total_seconds()

    def on_this_machine(self) -> bool:
        return (
            self.hostname == socket.gethostname()
            and bool(self.boot_id)
            and self.boot_id == _boot_id()
        )

    def process_alive(self) -> bool | None:
        """True/False when the process can be checked (same machine), None when it cannot."""
        if not self.on_this_machine():
            return None
        ticks = process_start_ticks(self.pid)
        return ticks is not None and (self.pid_started is None or ticks == self.pid_started)

    def is_alive(self, now=None) -> bool:
        """A stopped worker is gone; on this machine the process table decides (a long write
        transaction on SQLite can hold the heartbeat up without the worker being dead); elsewhere
        a heartbeat older than DOORBRAAK_WORKER_STALE_SECONDS means it is gone."""
        if self.stopped_at is not None:
            return False
        alive = self.process_alive()
        if alive is not None:
            return alive
        return self.age(now) < settings.JOBS_WORKER_STALE_SECONDS
