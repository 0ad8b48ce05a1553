"""Every write of the risk app: starting a run (a background job), carrying it out, uploading a
draft rule set and adopting one. Atomic, audited in the same transaction; events on commit."""

from __future__ import annotations

import logging
import secrets
import shutil
from datetime import date
from pathlib import Path

import django.dispatch
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.partners.models import DataCategory

from . import services
from .models import RiskResult, RiskRun, RuleSet, RuleSetStatus, RunStatus

logger = logging.getLogger("doorbraak.risk")

SYSTEM = "systeem:risico"
SHIPPED = "meegeleverd"
run_finished = django.dispatch.Signal()  # sender=RiskRun, run=...
rule_set_adopted = django.dispatch.Signal()  # sender=RuleSet, rule_set=...


class RuleSetRejected(ValueError):
    """A draft that cannot be stored, with the reason in Dutch."""


def _who(user, requested_by: str = "") -> str:
    if requested_by:
        return requested_by[:150]
    if user is not None and getattr(user, "is_authenticated", False):
        return user.get_username()
    return SYSTEM


def _user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


# --- rule sets -------------------------------------------------------------------------------


def live_rule_set() -> RuleSet:
    """The adopted rule set. A fresh installation adopts the shipped one (``rules.yaml``) the
    first time it is needed, recorded and audited as such."""
    current = RuleSet.objects.filter(status=RuleSetStatus.ADOPTED).first()
    if current is not None:
        return current
    text = services.shipped_rules_text()
    import yaml

    from doorbraak_analysis.risk.rules import parse_rules

    parsed = parse_rules(yaml.safe_load(text), text, "rules.yaml")
    with transaction.atomic():
        rule_set, _created = RuleSet.objects.get_or_create(
            version=parsed.version,
            defaults={
                "title": parsed.title,
                "yaml": text,
                "sha256": parsed.sha256,
                "created_by": SHIPPED,
                "note": _("De regelset die met Doorbraak wordt meegeleverd."),
            },
        )
        RuleSet.objects.filter(status=RuleSetStatus.ADOPTED).exclude(pk=rule_set.pk).update(
            status=RuleSetStatus.RETIRED, retired_at=timezone.now()
        )
        rule_set.status = RuleSetStatus.ADOPTED
        rule_set.adopted_by = rule_set.adopted_by or SHIPPED
        rule_set.adopted_at = rule_set.adopted_at or timezone.now()
        rule_set.save(update_fields=["status", "adopted_by", "adopted_at"])
        audit.record(
            AuditAction.UPDATE,
            username=SYSTEM,
            purpose=policy.PURPOSE_RISK_ANALYSIS,
            object_type="risk_rule_set",
            object_id=rule_set.pk,
            detail={"version": rule_set.version, "adopted": SHIPPED},
        )
    return rule_set


def upload_draft(user, text: str, note: str = "") -> RuleSet:
    """A draft rule set, validated by the analytics' own loader; nothing stored if it fails."""
    import yaml

    from doorbraak_analysis.risk.rules import RulesError, parse_rules

    policy.require(user, policy.Capability.RULESETS_MANAGE, object_type="risk_rule_set")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleSetRejected(_("Geen geldige YAML: %(e)s") % {"e": exc}) from exc
    try:
        parsed = parse_rules(raw, text, "upload")
    except RulesError as exc:
        raise RuleSetRejected(str(exc)) from exc
    if RuleSet.objects.filter(version=parsed.version).exists():
        raise RuleSetRejected(
            _("Versie %(v)s bestaat al; geef de nieuwe regelset een eigen versie.")
            % {"v": parsed.version}
        )
    with transaction.atomic():
        rule_set = RuleSet.objects.create(
            version=parsed.version,
            title=parsed.title,
            yaml=text,
            sha256=parsed.sha256,
            status=RuleSetStatus.DRAFT,
            note=note,
            created_by=_who(user),
        )
        audit.record(
            AuditAction.CREATE,
            user=user,
            purpose=policy.PURPOSE_RISK_ANALYSIS,
            object_type="risk_rule_set",
            object_id=rule_set.pk,
            detail={"version": rule_set.version, "sha256": rule_set.sha256},
        )
    return rule_set


def adopt(user, rule_set: RuleSet) -> RuleSet:
    """Make a draft the live rule set; the one in use until now is retired. New runs use it."""
    policy.require(user, policy.Capability.RULESETS_MANAGE, object_type="risk_rule_set")
    if rule_set.status != RuleSetStatus.DRAFT:
        raise RuleSetRejected(_("Alleen een concept kan worden vastgesteld."))
    rule_set.parsed()  # still valid with this version of the analytics
    with transaction.atomic():
        previous = list(RuleSet.objects.select_for_update().filter(status=RuleSetStatus.ADOPTED))
        RuleSet.objects.filter(pk__in=[p.pk for p in previous]).update(
            status=RuleSetStatus.RETIRED, retired_at=timezone.now()
        )
        rule_set.status = RuleSetStatus.ADOPTED
        rule_set.adopted_by = _who(user)
        rule_set.adopted_at = timezone.now()
        rule_set.save(update_fields=["status", "adopted_by", "adopted_at"])
        audit.record(
            AuditAction.UPDATE,
            user=user,
            purpose=policy.PURPOSE_RISK_ANALYSIS,
            object_type="risk_rule_set",
            object_id=rule_set.pk,
            detail={
                "version": rule_set.version,
                "adopted": True,
                "retired": [p.version for p in previous],
            },
        )
        transaction.on_commit(lambda: rule_set_adopted.send(sender=RuleSet, rule_set=rule_set))
    return rule_set


# --- runs ----------------------------------------------------------------------------------------


def start_run(
    user=None, *, requested_by: str = "", as_of: date | None = None, now: bool = False
) -> RiskRun:
    """Queue a run of the live rule set over today's registers (a background job); ``now``:
    run it in this process (the management command, the demo build)."""
    from doorbraak.jobs.actions import start_job

    if user is not None:
        policy.require(user, policy.Capability.RULESETS_MANAGE, object_type="risk_run")
    rule_set = live_rule_set()
    who = _who(user, requested_by)
    with transaction.atomic():
        run = RiskRun.objects.create(
            rule_set=rule_set,
            rules_version=rule_set.version,
            rules_sha256=rule_set.sha256,
            as_of=as_of or timezone.localdate(),
            started_by=who,
            user=_user(user),
        )
        audit.record(
            AuditAction.CREATE,
            user=_user(user),
            username=None if _user(user) else who,
            purpose=policy.PURPOSE_RISK_ANALYSIS,
            object_type="risk_run",
            object_id=run.pk,
            categories=[DataCategory.PREMISES],
            detail={"rules_version": rule_set.version, "as_of": run.as_of.isoformat()},
        )
    job = start_job(
        "risk_run",
        user=_user(user),
        requested_by=who,
        params={"run": run.pk},
        purpose=policy.PURPOSE_RISK_ANALYSIS,
        now=now,
    )
    RiskRun.objects.filter(pk=run.pk).update(job=job)
    run.refresh_from_db()
    return run


def _row_facts() -> tuple[dict, dict]:
    from doorbraak.registers.models import Company, Premises

    premises = {
        p["bag_id"]: p
        for p in Premises.objects.values(
            "bag_id",
            "wijk",
            "area",
            "street",
            "house_number",
            "house_letter",
            "house_number_addition",
            "postcode",
            "city",
        )
    }
    companies = {
        c["kvk_number"]: c
        for c in Company.objects.values(
            "kvk_number",
            "name",
            "trade_name",
            "sbi_code",
            "establishment__bag_id",
            "establishment__wijk",
            "establishment__area",
            "registered_on",
            "deregistered_on",
        )
    }
    return premises, companies


def _address(p: dict) -> str:
    extra = p["house_letter"] + (
        f"-{p['house_number_addition']}" if p["house_number_addition"] else ""
    )
    return f"{p['street']} {p['house_number']}{extra}, {p['postcode'][:4]} {p['postcode'][4:]} {p['city']}"


def execute_run(run: RiskRun) -> RiskRun:
    """Snapshot, evaluate, store: the results appear all at once or not at all. A run that
    fails keeps its reason and loses its half-written snapshot."""
    from doorbraak.jobs import progress

    RiskRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    # the run's own directory (a token too: installations or test databases may share VAR_DIR)
    relative = Path(services.SNAPSHOT_DIR) / f"run-{run.pk}-{secrets.token_hex(4)}"
    directory = services.var_dir() / relative
    try:
        progress.report(5, _("registers vastleggen (momentopname)"))
        if directory.exists():  # a retried job starts over
            shutil.rmtree(directory, ignore_errors=True)
        snapshot = services.write_snapshot(directory)
        run.snapshot_path, run.snapshot = str(relative), snapshot
        progress.report(35, _("regels evalueren"))
        rules = run.rule_set.parsed()
        result = services.evaluate_dir(directory, rules, run.as_of)
        progress.report(65, _("bronnen per signaal verzamelen"))
        objects = services.object_results(result)
        progress.report(80, _("uitkomst opslaan"))
        premises, companies = _row_facts()
        rows, rank = [], {"premises": 0, "company": 0}
        for o in objects:
            rank[o.object_type] += 1
            if o.object_type == "premises":
                p = premises.get(o.object_id, {})
                wijk, area, label, sbi = (
                    p.get("wijk", ""),
                    p.get("area", ""),
                    _address(p) if p else o.object_id,
                    "",
                )
            else:
                c = companies.get(o.object_id, {})
                wijk, area = c.get("establishment__wijk", ""), c.get("establishment__area", "")
                label = (c.get("trade_name") or c.get("name") or o.object_id)[:200]
                sbi = c.get("sbi_code", "")
            rows.append(
                RiskResult(
                    run=run,
                    object_type=o.object_type,
                    object_id=o.object_id,
                    score=o.score,
                    rank=rank[o.object_type],
                    indicators=o.indicators,
                    wijk=wijk or "",
                    area=area or "",
                    sbi_code=sbi or "",
                    label=label,
                )
            )
        _premises_sectors(rows, result)
        manifest = result.manifest()
        counts = {
            "premises": rank["premises"],
            "company": rank["company"],
            "premises_total": snapshot.get("bag_premises", {}).get("rows", 0),
            "company_total": snapshot.get("kvk_companies", {}).get("rows", 0),
            "fired": {k: v["fired"] for k, v in manifest["indicators"].items()},
        }
        with transaction.atomic():
            RiskResult.objects.bulk_create(rows, batch_size=1000)
            run.parameters = manifest["indicators"]
            run.not_evaluated = result.not_evaluated
            run.counts = counts
            run.results_sha256 = services.results_digest(result.rows)
            run.code_version = manifest["code_version"]
            run.status = RunStatus.DONE
            run.finished_at = timezone.now()
            run.save()
            audit.record(
                AuditAction.UPDATE,
                user=run.user,
                username=None if run.user else run.started_by,
                purpose=policy.PURPOSE_RISK_ANALYSIS,
                object_type="risk_run",
                object_id=run.pk,
                categories=[DataCategory.PREMISES],
                detail={
                    "status": "done",
                    "premises": counts["premises"],
                    "companies": counts["company"],
                    "results_sha256": run.results_sha256,
                },
            )
            transaction.on_commit(lambda: run_finished.send(sender=RiskRun, run=run))
        result.con.close()
    except Exception as exc:
        shutil.rmtree(directory, ignore_errors=True)
        RiskRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            snapshot_path="",
            snapshot={},
            error=str(exc)[:2000],
        )
        run.refresh_from_db()
        raise
    return run


def _premises_sectors(rows: list[RiskResult], result) -> None:
    """A premises' sector: that of the first (by KvK number) active company established there
    that carries a signal, else of the first active company there."""
    if "r_companies" not in result.tables:
        return
    from doorbraak_analysis.risk import indicators as ind

    active = ind.active("c", result.window.as_of)
    first: dict[str, str] = {}
    # SQL over the analytics' own prepared table; `active` is its own date condition (numbers)
    for _kvk, bag_id, sbi in result.con.execute(
        f"SELECT kvk, bag_id, sbi FROM r_companies c WHERE bag_id IS NOT NULL AND {active} "  # noqa: S608
        "ORDER BY bag_id, kvk"
    ).fetchall():
        first.setdefault(bag_id, sbi)
    flagged = {r.object_id: r.sbi_code for r in rows if r.object_type == "company"}
    for r in rows:
        if r.object_type == "premises":
            via = sorted({k for i in r.indicators for k in i.get("via", [])})
            sbi = next((flagged[k] for k in via if k in flagged), "")
            r.sbi_code = sbi or first.get(r.object_id, "")


def reproduce(run: RiskRun, user=None) -> tuple[bool, str]:
    """Evaluate the run's snapshot again with its own rule set and date: (identical?, digest)."""
    result = services.evaluate_snapshot(run.rule_set, run)
    digest = services.results_digest(result.rows)
    result.con.close()
    audit.record(
        AuditAction.READ,
        user=_user(user),
        username=None if _user(user) else SYSTEM,
        purpose=policy.PURPOSE_RISK_ANALYSIS,
        object_type="risk_run",
        object_id=run.pk,
        detail={"reproduced": digest == run.results_sha256, "results_sha256": digest},
    )
    return digest == run.results_sha256, digest


def remove_expired_snapshot(run: RiskRun) -> None:
    """Retention: the snapshot files go (they hold register rows); the results stay."""
    services.remove_snapshot(run)
    RiskRun.objects.filter(pk=run.pk).update(snapshot_removed_at=timezone.now())
