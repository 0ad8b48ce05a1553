"""`doorbraak serve`: the production application server (gunicorn) with the settings from the
environment (see the top of settings.py and docs/deploy.md).

Collects the static files first (hashed names, gzip copies; whitenoise serves them), then runs
gunicorn in this process: threaded workers, JSON access and error logs on stderr."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections


def gunicorn_options(bind: str, workers: int, threads: int, timeout: int, log_level: str) -> dict:
    handler = {
        "class": "logging.StreamHandler",
        "formatter": settings.LOG_FORMAT,
        "stream": "ext://sys.stderr",
    }
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": timeout,
        "graceful_timeout": 30,
        "keepalive": 5,
        # Django is loaded once, before the workers are forked.
        "preload_app": True,
        # A worker is replaced after this many requests, so a slow leak never takes the server down.
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": log_level.lower(),
        # X-Forwarded-* only count from the proxy when the installation says there is one.
        # (Doorbraak itself takes the client address only from DOORBRAAK_TRUSTED_PROXIES, see
        # web/security.py; gunicorn's own setting decides the scheme it reports.)
        "forwarded_allow_ips": ",".join(settings.TRUSTED_PROXIES)
        if settings.TRUSTED_PROXIES
        else ("*" if settings.BEHIND_PROXY else "127.0.0.1,::1"),
        "proxy_allow_ips": "127.0.0.1,::1",
        # No gunicornc control socket in the home directory (shared by every server of the user).
        "control_socket_disable": True,
        "logconfig_dict": {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": settings.LOGGING["formatters"],
            "handlers": {"console": handler},
            "loggers": {
                "gunicorn.error": {"handlers": ["console"], "level": log_level, "propagate": False},
                # One line per request at INFO; DOORBRAAK_LOG_LEVEL=WARNING leaves them out.
                "gunicorn.access": {
                    "handlers": ["console"],
                    "level": log_level,
                    "propagate": False,
                },
            },
        },
    }


def run_gunicorn(options: dict) -> None:
    from django.core.wsgi import get_wsgi_application
    from gunicorn.app.base import BaseApplication

    application = get_wsgi_application()  # what doorbraak.wsgi serves, with these settings

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    # No database connection of this process may be shared by the forked workers.
    connections.close_all()
    Server().run()


class Command(BaseCommand):
    help = "Start de productieserver (gunicorn) met de instellingen uit de omgeving."

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport",
            nargs="?",
            default=None,
            help=f"Adres en poort (standaard DOORBRAAK_BIND of {settings.SERVE_BIND}).",
        )
        parser.add_argument("--workers", type=int, default=settings.SERVE_WORKERS)
        parser.add_argument("--threads", type=int, default=settings.SERVE_THREADS)
        parser.add_argument("--timeout", type=int, default=settings.SERVE_TIMEOUT)
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="De statische bestanden niet eerst verzamelen (al gedaan met collectstatic).",
        )

    def handle(self, *args, **options):
        if settings.DEBUG:
            self.stderr.write(
                self.style.WARNING("DOORBRAAK_DEBUG staat aan: niet gebruiken in productie.")
            )
        bind = options["addrport"] or settings.SERVE_BIND
        if ":" not in bind and not bind.startswith("unix:"):
            raise CommandError(f"Geef adres:poort op, niet {bind!r}.")
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        logging.getLogger("doorbraak.serve").info(
            "serving",
            extra={
                "bind": bind,
                "workers": options["workers"],
                "threads": options["threads"],
                "demo_mode": settings.DEMO_MODE,
            },
        )
        run_gunicorn(
            gunicorn_options(
                bind, options["workers"], options["threads"], options["timeout"], settings.LOG_LEVEL
            )
        )
