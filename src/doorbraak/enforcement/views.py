"""Enforcement pages (/handhaving/). Thin: access decides and audits, actions write, selectors read."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorbraak import policy
from doorbraak.areas import selectors as areas
from doorbraak.partners.models import User
from doorbraak.policy import Capability as C
from doorbraak.web.decorators import page
from doorbraak.web.pagination import paginate

from . import access, actions, escalation, selectors
from . import forms as f
from .models import ActionType, DecisionStatus, Objection, ObjectType


def area_label(code: str) -> str:
    labels = dict(areas.area_choices())
    return str(labels.get(code, code or _("(geen gebied)")))


def _officers_for(premises) -> list:
    users = User.objects.filter(is_active=True, role__in=_planning_roles()).order_by("username")
    return [
        u
        for u in users
        if premises.area in access.user_areas_of(u) or premises.wijk in access.user_areas_of(u)
    ]


def _planning_roles() -> list[str]:
    return policy.roles_with(C.ENFORCEMENT_PLAN)


def _object_from_query(request, user):
    object_type = request.GET.get("object_type") or request.POST.get("object_type") or ""
    object_id = (request.GET.get("object_id") or request.POST.get("object_id") or "").strip()
    if object_type == ObjectType.COMPANY:
        company = access.get_company_for_user(user, object_id)
        return object_type, object_id, company.establishment, company
    premises = access.get_premises_for_user(user, object_id)
    return ObjectType.PREMISES, object_id, premises, None


# --- actions ------------------------------------------------------------------------------


@page(C.ENFORCEMENT_VIEW)
def action_list(request):
    user = request.user
    status = request.GET.get("status", "open")
    action_type = request.GET.get("soort", "")
    if action_type not in ActionType.values:
        action_type = ""
    qs = selectors.actions_for(access.visible_actions(user), status=status, action_type=action_type)
    page_obj = paginate(request, qs, 25)
    mine = access.user_areas(user)
    return render(
        request,
        "enforcement/action_list.html",
        {
            "page_obj": page_obj,
            "status": status,
            "action_type": action_type,
            "action_types": ActionType.choices,
            "areas": sorted(area_label(a) for a in mine) if mine is not None else None,
            "open_decisions": access.visible_decisions(user)
            .filter(status__in=[DecisionStatus.PROPOSED, DecisionStatus.APPROVED])
            .count(),
        },
    )


@page(C.ENFORCEMENT_PLAN)
def action_create(request):
    user = request.user
    object_type, object_id, premises, company = _object_from_query(request, user)
    access.require_plan(user, premises, object_id)
    risk_result = _risk_result(request, object_type, object_id)
    form = f.ActionForm(request.POST or None, officers=_officers_for(premises))
    if request.method == "POST" and form.is_valid():
        assignee = (
            User.objects.filter(pk=form.cleaned_data["assigned_to"]).first()
            if form.cleaned_data["assigned_to"]
            else None
        )
        try:
            action = actions.plan_action(
                user,
                object_type=object_type,
                object_id=object_id,
                action_type=form.cleaned_data["action_type"],
                reason=form.cleaned_data["reason"],
                assigned_to=assignee,
                risk_result=risk_result,
            )
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, _("De actie is gepland."))
            return redirect("enforcement_action", pk=action.pk)
    return render(
        request,
        "enforcement/action_form.html",
        {
            "form": form,
            "premises": premises,
            "company": company,
            "object_type": object_type,
            "object_id": object_id,
            "risk_result": risk_result,
            "area": area_label(premises.area or premises.wijk),
        },
        status=400 if request.method == "POST" else 200,
    )


def _risk_result(request, object_type: str, object_id: str):
    """The risk result the officer came from (risk's object page passes ?resultaat=<pk>), if it
    is about this object; only context for the plan, never its cause."""
    pk = request.GET.get("resultaat") or request.POST.get("resultaat")
    if not pk or not str(pk).isdigit():
        return None
    try:
        from doorbraak.risk.models import RiskResult
    except ImportError:
        return None
    return (
        RiskResult.objects.select_related("run__rule_set")
        .filter(pk=int(pk), object_type=object_type, object_id=object_id)
        .first()
    )


@page(C.ENFORCEMENT_VIEW)
def action_detail(request, pk: int):
    user = request.user
    action = access.get_action_for_user(user, pk)
    findings = None
    if access.may_plan(user, action.premises):
        initial = {
            "carried_out_on": action.carried_out_on or timezone.localdate(),
            "outcome": action.outcome,
            "irregularities": action.irregularities,
            "note": action.findings_note,
            "bibob_outcome": action.bibob_outcome,
        }
        findings = f.FindingsForm(initial=initial)
    return _action_page(request, action, findings)


def _action_page(request, action, findings, status=200):
    return render(
        request,
        "enforcement/action_detail.html",
        {
            "action": action,
            "findings_form": findings,
            "area": area_label(action.area_code or action.wijk),
            "decisions": action.decisions.all(),
            "may_propose": policy.has(request.user, C.DECISIONS_PROPOSE)
            and access.in_user_areas(request.user, action.premises),
        },
        status=status,
    )


@require_POST
@page(C.ENFORCEMENT_PLAN)
def action_findings(request, pk: int):
    user = request.user
    action = access.get_action_for_user(user, pk)
    form = f.FindingsForm(request.POST)
    if form.is_valid():
        try:
            actions.record_findings(
                user,
                action,
                carried_out_on=form.cleaned_data["carried_out_on"],
                outcome=form.cleaned_data["outcome"],
                irregularities=form.cleaned_data["irregularities"],
                note=form.cleaned_data["note"],
                bibob_outcome=form.cleaned_data["bibob_outcome"],
            )
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, _("De bevindingen zijn vastgelegd."))
            return redirect("enforcement_action", pk=action.pk)
    return _action_page(request, action, form, status=400)


# --- decisions ----------------------------------------------------------------------------


@page(C.ENFORCEMENT_VIEW)
def decision_list(request):
    status = request.GET.get("status", "")
    if status not in DecisionStatus.values:
        status = ""
    qs = selectors.decisions_for(access.visible_decisions(request.user), status=status)
    return render(
        request,
        "enforcement/decision_list.html",
        {
            "page_obj": paginate(request, qs, 25),
            "status": status,
            "statuses": DecisionStatus.choices,
        },
    )


@page(C.DECISIONS_PROPOSE)
def decision_create(request):
    user = request.user
    object_type, object_id, premises, company = _object_from_query(request, user)
    access.require_area(user, premises, "enforcement_decision", object_id)
    action_pk = request.GET.get("actie") or request.POST.get("actie") or ""
    action = access.get_action_for_user(user, int(action_pk)) if action_pk.isdigit() else None
    kind = escalation.premises_kind(premises)
    steps = escalation.ladder(kind)
    today = timezone.localdate()
    proposed = escalation.proposed_step(premises, today)
    form = f.DecisionForm(request.POST or None, steps=steps)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            decision = actions.propose_decision(
                user,
                object_type=object_type,
                object_id=object_id,
                action=action,
                decision_type=d["decision_type"],
                legal_basis=d["legal_basis"],
                legal_basis_detail=d["legal_basis_detail"],
                summary=d["summary"],
                escalation_step=d["escalation_step"],
                closure_months=d["closure_months"],
                proportionality_suitable=d["proportionality_suitable"],
                proportionality_necessary=d["proportionality_necessary"],
                proportionality_balanced=d["proportionality_balanced"],
            )
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, _("Het besluit is voorgesteld."))
            return redirect("enforcement_decision", pk=decision.pk)
    return render(
        request,
        "enforcement/decision_form.html",
        {
            "form": form,
            "premises": premises,
            "company": company,
            "object_type": object_type,
            "object_id": object_id,
            "action": action,
            "premises_kind": kind,
            "previous_closures": escalation.previous_closures(premises, today),
            "proposed_step": proposed,
        },
        status=400 if request.method == "POST" else 200,
    )


def _decision_page(request, decision, forms=None, status=200):
    user = request.user
    forms = forms or {}
    may_decide = policy.has(user, C.DECISIONS_PROPOSE) and access.in_user_areas(
        user, decision.premises
    )
    today = timezone.localdate()
    ctx = {
        "decision": decision,
        "objections": decision.objections.all(),
        "may_approve": decision.status == DecisionStatus.PROPOSED
        and decision.needs_four_eyes
        and policy.has(user, C.DECISIONS_APPROVE)
        and decision.proposed_by_id != user.pk,
        "own_proposal": decision.proposed_by_id == user.pk,
        "issue_form": forms.get("issue")
        or (
            f.IssueForm(initial={"decision_date": today, "announced_on": today})
            if may_decide
            and (
                decision.status == DecisionStatus.APPROVED
                or (decision.status == DecisionStatus.PROPOSED and not decision.needs_four_eyes)
            )
            else None
        ),
        "objection_form": forms.get("objection")
        or (f.ObjectionForm() if may_decide and decision.status == DecisionStatus.ISSUED else None),
        "decide_forms": forms.get("decide") or {},
        "may_decide": may_decide,
    }
    if may_decide:
        for o in ctx["objections"]:
            if not o.outcome and o.pk not in ctx["decide_forms"]:
                ctx["decide_forms"][o.pk] = f.ObjectionDecideForm(prefix=f"o{o.pk}")
    ctx["objection_rows"] = [(o, ctx["decide_forms"].get(o.pk)) for o in ctx["objections"]]
    return render(request, "enforcement/decision_detail.html", ctx, status=status)


@page(C.ENFORCEMENT_VIEW)
def decision_detail(request, pk: int):
    decision = access.get_decision_for_user(request.user, pk)
    return _decision_page(request, decision)


@require_POST
@page(C.DECISIONS_APPROVE)
def decision_approve(request, pk: int):
    decision = access.get_decision_for_user(request.user, pk)
    try:
        actions.approve_decision(request.user, decision)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("Het besluit is goedgekeurd (vier ogen)."))
    return redirect("enforcement_decision", pk=decision.pk)


@require_POST
@page(C.DECISIONS_PROPOSE)
def decision_issue(request, pk: int):
    decision = access.get_decision_for_user(request.user, pk)
    form = f.IssueForm(request.POST)
    if form.is_valid():
        try:
            actions.issue_decision(request.user, decision, **form.cleaned_data)
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, _("Het besluit is genomen; de bezwaartermijn loopt."))
            return redirect("enforcement_decision", pk=decision.pk)
    return _decision_page(request, decision, {"issue": form}, status=400)


@require_POST
@page(C.DECISIONS_PROPOSE)
def objection_create(request, pk: int):
    decision = access.get_decision_for_user(request.user, pk)
    form = f.ObjectionForm(request.POST)
    if form.is_valid():
        try:
            objection = actions.record_objection(request.user, decision, **form.cleaned_data)
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Het bezwaar is vastgelegd (tijdig).")
                if objection.in_time
                else _("Het bezwaar is vastgelegd (niet tijdig)."),
            )
            return redirect("enforcement_decision", pk=decision.pk)
    return _decision_page(request, decision, {"objection": form}, status=400)


@require_POST
@page(C.DECISIONS_PROPOSE)
def objection_decide(request, pk: int):
    objection = get_object_or_404(Objection, pk=pk)
    decision = access.get_decision_for_user(request.user, objection.decision_id)
    form = f.ObjectionDecideForm(request.POST, prefix=f"o{objection.pk}")
    if form.is_valid():
        try:
            actions.decide_objection(request.user, objection, **form.cleaned_data)
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, _("De uitkomst van het bezwaar is vastgelegd."))
            return redirect("enforcement_decision", pk=decision.pk)
    return _decision_page(request, decision, {"decide": {objection.pk: form}}, status=400)


# --- ledgers ------------------------------------------------------------------------------


@page(C.ENFORCEMENT_VIEW)
def ledger_premises(request, bag_id: str):
    premises = access.get_premises_for_user(request.user, bag_id)
    return _ledger_page(request, ObjectType.PREMISES, bag_id, premises, None)


@page(C.ENFORCEMENT_VIEW)
def ledger_company(request, kvk_number: str):
    company = access.get_company_for_user(request.user, kvk_number)
    return _ledger_page(request, ObjectType.COMPANY, kvk_number, company.establishment, company)


def _ledger_page(request, object_type, object_id, premises, company):
    user = request.user
    return render(
        request,
        "enforcement/ledger.html",
        {
            "object_type": object_type,
            "object_id": object_id,
            "premises": premises,
            "company": company,
            "companies": premises.companies.order_by("name") if company is None else [],
            "entries": selectors.ledger(
                premises=premises if company is None else None, company=company
            ),
            "summary": selectors.ledger_summary(
                premises=premises if company is None else None, company=company
            ),
            "area": area_label(premises.area or premises.wijk),
            "may_plan": access.may_plan(user, premises),
            "may_propose": policy.has(user, C.DECISIONS_PROPOSE),
            "risk_url": _risk_url(object_type, object_id),
        },
    )


def _risk_url(object_type: str, object_id: str) -> str:
    name = "risk_premises" if object_type == ObjectType.PREMISES else "risk_company"
    try:
        return reverse(name, args=[object_id])
    except Exception:  # noqa: BLE001 (the risk app's pages are not installed)
        return ""


# --- feedback: precision and backtest ------------------------------------------------------


@page(C.ENFORCEMENT_FEEDBACK)
def precision_view(request):
    version = request.GET.get("versie", "")
    versions = selectors.rule_set_versions()
    if version not in versions:
        version = ""
    area = request.GET.get("gebied", "")
    rows = selectors.precision(version=version, area=area)
    quarters = sorted({q for r in rows for q in r.by_quarter})
    row_areas = sorted({a for r in rows for a in r.by_area})
    policy.audit_list_read(request.user, "enforcement_precision", ["aggregaat"], access.PURPOSE, [])
    return render(
        request,
        "enforcement/precision.html",
        {
            "rows": [
                {
                    "row": r,
                    "quarters": [r.by_quarter.get(q) for q in quarters],
                    "areas": [r.by_area.get(a) for a in row_areas],
                }
                for r in rows
            ],
            "quarters": quarters,
            "areas": [(a, area_label(a)) for a in row_areas],
            "area_choices": areas.area_choices(),
            "area": area,
            "version": version,
            "versions": versions,
            "min_base": selectors.MIN_BASE,
            "indicator_names": _indicator_names(),
        },
    )


def _indicator_names() -> dict[str, str]:
    try:
        from doorbraak.risk import selectors as risk_selectors

        run = risk_selectors.latest_run()
        if run is None:
            return {}
        return {
            i["id"]: i.get("description", i["id"])
            for i in risk_selectors.indicator_catalogue(run.rule_set)
        }
    except Exception:  # noqa: BLE001 (risk not installed or no rule set yet: show the ids)
        return {}


# --- trainings and reach -------------------------------------------------------------------


@page(C.ENFORCEMENT_VIEW)
def trainings(request):
    user = request.user
    mine = access.user_areas(user)
    form = None
    if policy.has(user, C.ENFORCEMENT_PLAN):
        choices = [(a, area_label(a)) for a in sorted(mine or [])]
        form = f.TrainingForm(
            request.POST or None, areas=choices, initial={"held_on": timezone.localdate()}
        )
        if request.method == "POST" and form.is_valid():
            try:
                actions.record_training(user, **form.cleaned_data)
            except ValidationError as exc:
                f.apply_errors(form, exc)
            else:
                messages.success(request, _("De training is vastgelegd."))
                return redirect("enforcement_trainings")
    today = timezone.localdate()
    year_start = date(today.year - 1, 1, 1)
    reach = selectors.reach_by_area((year_start, today))
    return render(
        request,
        "enforcement/trainings.html",
        {
            "form": form,
            "reach": [{**r, "label": area_label(r["area_code"])} for r in reach],
            "since": year_start,
            "sessions": selectors.TrainingSession.objects.all()[:20],
        },
        status=400 if request.method == "POST" else 200,
    )


@page(C.ENFORCEMENT_FEEDBACK)
def backtest_view(request):
    """Choose a draft rule set and a past run; see what the draft would have changed against the
    findings of past actions, before anyone adopts it."""
    from doorbraak.risk.models import RuleSet, RuleSetStatus
    from doorbraak.risk.services import SnapshotError

    from . import backtest

    drafts = RuleSet.objects.filter(status=RuleSetStatus.DRAFT).order_by("-pk")
    runs = [r for r in _finished_runs() if not r.snapshot_removed_at]
    draft = (
        drafts.filter(pk=int(request.GET["regelset"])).first()
        if request.GET.get("regelset", "").isdigit()
        else None
    )
    run = next((r for r in runs if str(r.pk) == request.GET.get("run", "")), None)
    result, error = None, ""
    if draft is not None and run is not None:
        try:
            result = backtest.run_backtest(draft, run)
        except (SnapshotError, ValueError) as exc:
            error = str(exc)
        policy.audit_list_read(
            request.user,
            "enforcement_backtest",
            [f"regelset {draft.pk} op run {run.pk}"],
            access.PURPOSE,
            [],
        )
    return render(
        request,
        "enforcement/backtest.html",
        {
            "drafts": drafts,
            "runs": runs,
            "draft": draft,
            "run": run,
            "result": result,
            "error": error,
        },
    )


def _finished_runs():
    from doorbraak.risk import selectors as risk_selectors
    from doorbraak.risk.models import RunStatus

    return list(risk_selectors.runs().filter(status=RunStatus.DONE).order_by("-as_of", "-id")[:20])
