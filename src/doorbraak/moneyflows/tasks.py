"""Background jobs of the money-flow part: the demo city's bank data (generate, analyse, load the
sector figures) and training and scoring the model on a bank's transaction files. The analysis
itself is the pure package ``doorbraak_analysis.moneyflows`` (no Django)."""

from __future__ import annotations

import contextlib
import io
import time
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorbraak.jobs import progress
from doorbraak.jobs.registry import JobFailed, job_kind

DEMO_TRANSACTIONS = 1_000_000
DEMO_BANK_SEED = 20261128
DEMO_SOURCE = "bron-bank-sectorinzichten"


def _flows(argv: list[str]) -> str:
    """Run `doorbraak flows ...` in this process; its messages become the job's log."""
    from doorbraak_analysis.moneyflows.cli import main as flows

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = flows(argv)
    if code:
        raise JobFailed(
            _("De geldstroomanalyse stopte met code %(code)s: %(msg)s")
            % {"code": code, "msg": err.getvalue().strip()[-300:]}
        )
    return err.getvalue()


# Generating is deterministic and loading the figures is idempotent, so a second try is safe.
@job_kind("demo_bank", label=gettext_lazy("Bankgegevens van de demostad"), max_attempts=2)
def demo_bank(job, *, transactions: int | None = None, seed: int = DEMO_BANK_SEED) -> dict:
    from doorbraak.demo.bank import build_demo_bank
    from doorbraak.demo.clock import built_on
    from doorbraak.demo.guards import NotADemo, require_demo_database

    from .services import load_sector_figures

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


def _under_var(path: str) -> Path:
    p = Path(path)
    p = (p if p.is_absolute() else Path(settings.VAR_DIR) / p).resolve()
    if not p.exists():
        raise JobFailed(_("Bestand %(path)s bestaat niet.") % {"path": path})
    return p


def _model_dir(name: str) -> Path:
    if not name or "/" in name or name.startswith("."):
        raise JobFailed(_("Ongeldige modelnaam %(name)r.") % {"name": name})
    return Path(settings.VAR_DIR) / "models" / name


@job_kind("flows_train", label=gettext_lazy("Geldstroommodel trainen"), max_attempts=2)
def flows_train(job, *, input: str, model: str) -> dict:  # noqa: A002 - the CLI's own word
    source = _under_var(input)
    target = _model_dir(model)
    target.parent.mkdir(parents=True, exist_ok=True)
    progress.report(5, _("trainen"))
    log = _flows(["train", "--input", str(source), "--model", str(target)])
    return {
        "summary": _("Model %(name)s getraind op %(file)s.") % {"name": model, "file": source.name},
        "data": {"model": str(target), "log": log.strip().splitlines()[-5:]},
    }


@job_kind("flows_score", label=gettext_lazy("Transacties scoren (geldstroommodel)"), max_attempts=2)
def flows_score(job, *, input: str, model: str) -> dict:  # noqa: A002
    source = _under_var(input)
    model_dir = _model_dir(model)
    if not model_dir.exists():
        raise JobFailed(_("Model %(name)s bestaat niet; train het eerst.") % {"name": model})
    folder = Path(settings.JOBS_FILES_DIR) / "scores" / str(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"scores-{model}.csv"
    progress.report(5, _("scoren"))
    log = _flows(["score", "--input", str(source), "--model", str(model_dir), "--out", str(out)])
    return {
        "summary": log.strip().splitlines()[-1] if log.strip() else _("Gescoord."),
        "file": str(out),
    }
