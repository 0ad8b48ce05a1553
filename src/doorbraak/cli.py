"""The one `doorbraak` command.

Analysis sub-commands (`link`, `flows`, `risk`) run without Django so they work on any machine
with only the data files; everything else is a Django management command.
"""

from __future__ import annotations

import os
import sys

PURE_COMMANDS = {
    "link": "doorbraak_analysis.linkage.cli",
    "flows": "doorbraak_analysis.moneyflows.cli",
    "risk": "doorbraak_analysis.risk.cli",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in PURE_COMMANDS:
        import importlib

        module = importlib.import_module(PURE_COMMANDS[argv[0]])
        return int(module.main(argv[1:]) or 0)
    if argv[:1] == ["demo"]:
        # The demo serves synthetic data and says so on every page.
        os.environ.setdefault("DOORBRAAK_DEMO_MODE", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorbraak.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings: a missing one is said in one line)
    except ImproperlyConfigured as exc:
        print(f"doorbraak: {exc}", file=sys.stderr)  # noqa: T201
        return 2

    execute_from_command_line(["doorbraak", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
