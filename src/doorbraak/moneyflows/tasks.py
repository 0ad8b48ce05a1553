"""Background jobs of the money-flow part: training and scoring the model on a bank's transaction
files. The analysis itself is the pure package ``doorbraak_analysis.moneyflows`` (no Django).
(The demo city's bank data are the demo app's job ``demo_bank``, in doorbraak/demo/tasks.py.)"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorbraak.jobs import progress
from doorbraak.jobs.registry import JobFailed, job_kind


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
