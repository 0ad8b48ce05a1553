"""Background jobs of the demo: the demo city's bank-partner data (generate about a million
synthetic transactions, analyse them as the bank would, load only the sector figures). Demo code
lives in the demo app; the money-flow app offers the loading (`moneyflows.services`)."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorbraak.jobs import progress
from doorbraak.jobs.registry import JobFailed, job_kind
from doorbraak.moneyflows.services import load_sector_figures

DEMO_TRANSACTIONS = 1_000_000
DEMO_BANK_SEED = 20261128
DEMO_SOURCE = "bron-bank-sectorinzichten"


# Generating is deterministic and loading the figures is idempotent, so a second try is safe.
@job_kind("demo_bank", label=gettext_lazy("Bankgegevens van de demostad"), max_attempts=2)
def demo_bank(job, *, transactions: int | None = None, seed: int = DEMO_BANK_SEED) -> dict:
    # the generator is loaded only when the demo is built, not in every worker at start-up
    from .bank import build_demo_bank
    from .clock import built_on
    from .guards import NotADemo, require_demo_database

    try:  # synthetic sector figures never go into a real installation
        require_demo_database(_("Demo-bankgegevens laden"))
    except NotADemo as exc:
        raise JobFailed(str(exc)) from exc
    transactions = int(transactions or DEMO_TRANSACTIONS)
    started = time.monotonic()
    progress.report(5, _("transacties maken en sectoren analyseren"))
    bank = build_demo_bank(
        Path(settings.VAR_DIR) / "demo-bank",
        transactions=transactions,
        seed=int(seed),
        today=built_on(),
    )
    progress.report(90, _("sectorcijfers laden"))
    figure_set, created = load_sector_figures(
        bank.sectors, source_code=DEMO_SOURCE, loaded_by="demo"
    )
    if created:  # monitoring shows the sector figures from its stored cube: make it again
        from doorbraak.jobs.actions import start_job

        start_job("monitoring_cube", requested_by="demo: na bankgegevens")
    return {
        "summary": _(
            "Bankgegevens (synthetisch): %(n)s transacties (%(start)s t/m %(end)s); %(rows)s sectorregels "
            "%(what)s in %(s)s s."
        )
        % {
            "n": transactions,
            "start": f"{bank.start:%d-%m-%Y}",
            "end": f"{bank.end:%d-%m-%Y}",
            "rows": figure_set.figures.count(),
            "what": _("geladen") if created else _("waren al geladen"),
            "s": round(time.monotonic() - started),
        },
        "url": reverse("sector_view"),
    }
