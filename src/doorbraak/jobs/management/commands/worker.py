"""`doorbraak worker`: run the background jobs (django-tasks' database worker, plus a heartbeat,
recovery of jobs whose worker died, and the daily jobs)."""

from __future__ import annotations

import logging

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from doorbraak.jobs import actions
from doorbraak.jobs.worker import Heartbeat, maintain


class Command(DbWorkerCommand):
    help = (
        "Voert de achtergrondtaken uit (importen, koppelen, exports, bewaartermijnen, de dagelijkse taken) uit de "
        "takenwachtrij in de database. Start er één of meer naast de webserver; stoppen met Ctrl+C of SIGTERM "
        "(de lopende taak wordt eerst afgemaakt)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Production default: no auto-reload (a reload would cut a running job short).
        parser.set_defaults(reload=False)

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        jobs_logger = logging.getLogger("doorbraak.jobs")
        jobs_logger.setLevel(logging.INFO if verbosity >= 1 else logging.WARNING)
        if not any(getattr(h, "_doorbraak_worker", False) for h in jobs_logger.handlers):
            handler = logging.StreamHandler(self.stdout)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            handler._doorbraak_worker = True
            jobs_logger.addHandler(handler)
            jobs_logger.propagate = False

    def handle(self, *args, **options):
        worker_id = options["worker_id"]
        self.configure_logging(options["verbosity"])
        actions.register_worker(worker_id)
        logging.getLogger("doorbraak.jobs").info("worker %s gestart", worker_id)
        maintain()  # first: pick up what a worker that died left behind, and today's daily jobs
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
            actions.stop_worker(worker_id)
