"""Pages of the risk picture (/risico/): thin; access and audit in access.py, reads in
selectors.py, writes in actions.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorbraak import policy
from doorbraak.policy import Capability as C
from doorbraak.web.decorators import page
from doorbraak.web.pagination import paginate

from . import access, actions, display, exports, selectors
from .models import ObjectType, RuleSetStatus

PER_PAGE = 25


def _filters(request) -> dict:
    g = request.GET
    # Without a choice the picture starts at the signal threshold (one weak signal alone, such
    # as a vulnerable sector, is context rather than a reason to look); ?min=0 shows all.
    min_score = settings.RISK_PICTURE_MIN_SCORE if "min" not in g else None
    try:
        if g.get("min"):
            min_score = float(g["min"].replace(",", "."))
    except ValueError:
        min_score = settings.RISK_PICTURE_MIN_SCORE
    object_type = g.get("soort", "")
    return {
        "area_code": g.get("gebied", "") or selectors.city_code(),
        "object_type": object_type if object_type in ObjectType.values else "",
        "sector": g.get("sector", "").strip()[:6],
        "indicator": g.get("indicator", "").strip()[:60],
        "min_score": min_score,
    }


def _run(request):
    pk = request.GET.get("run") or None
    if pk is not None and not str(pk).isdigit():
        raise Http404
    return access.run_for_user(request.user, pk)


@page(C.RISK_VIEW)
def picture(request):
    run = _run(request)
    f = _filters(request)
    area = selectors.get_area(f["area_code"])
    if area is None:
        raise Http404
    context = {
        "run": run,
        "area": area,
        "areas": selectors.areas(),
        "filters": f,
        "min_text": request.GET.get("min", f"{settings.RISK_PICTURE_MIN_SCORE:g}"),
        "tiles_url": settings.MAP_TILES_URL,
        "may_manage": policy.has(request.user, C.RULESETS_MANAGE),
    }
    if run is not None:
        qs = selectors.results(
            run,
            f["area_code"],
            f["object_type"] or None,
            f["sector"] or None,
            f["indicator"] or None,
            f["min_score"],
        )
        page_obj = paginate(request, qs, PER_PAGE)
        access.audit_list(request.user, page_obj.object_list)
        catalogue = selectors.catalogue_by_id(run.rule_set)
        context.update(
            {
                "page_obj": page_obj,
                "rows": display.rows(page_obj.object_list, catalogue),
                "catalogue": catalogue,
                "sectors": selectors.sector_composition(run, f["area_code"]),
                "changes": selectors.changes(run, f["area_code"]),
                "map_url": reverse("risk_map_data") + "?" + request.GET.urlencode(),
                "sector_choices": display.sector_choices(),
                "total": qs.count(),
            }
        )
    return render(request, "risk/picture.html", context)


@page(C.RISK_VIEW)
def map_data(request):
    """The map's points (premises in the area with a signal, by the list's filters) and the
    area outlines, as JSON for static/risk/map.js."""
    run = _run(request)
    f = _filters(request)
    area = selectors.get_area(f["area_code"])
    if area is None:
        raise Http404
    if run is None:
        return JsonResponse({"points": [], "outlines": display.outlines(area)})
    qs = selectors.results(
        run, f["area_code"], "premises", f["sector"] or None, f["indicator"] or None, f["min_score"]
    )
    points = display.points(qs[:2000])
    access.audit_list(request.user, qs[:2000])
    return JsonResponse({"points": points, "outlines": display.outlines(area)})


def _object_page(request, object_type: str, object_id: str):
    run = _run(request)
    if run is None:
        messages.info(request, _("Er is nog geen risicorun; er is geen score."))
        return redirect("risk_picture")
    result = access.get_result_for_user(request.user, run, object_type, object_id)
    subject = display.subject(object_type, object_id)
    if subject is None and result is None:
        raise Http404
    catalogue = selectors.catalogue_by_id(run.rule_set)
    from .panels import render_object_panels

    return render(
        request,
        "risk/object.html",
        {
            "run": run,
            "object_type": object_type,
            "object_id": object_id,
            "subject": subject,
            "place": display.place(subject),
            "result": result,
            "items": display.indicator_items(result, catalogue) if result else [],
            "entity_links": display.entity_links(object_type, subject),
            "company_results": display.company_results(run, object_type, subject),
            "panels": render_object_panels(request, object_type, object_id),
            "not_evaluated": run.not_evaluated,
        },
    )


@page(C.RISK_VIEW)
def premises_page(request, bag_id: str):
    return _object_page(request, "premises", bag_id)


@page(C.RISK_VIEW)
def company_page(request, kvk: str):
    return _object_page(request, "company", kvk)


# --- exports -----------------------------------------------------------------------------------


def _export_rows(request):
    run = _run(request)
    if run is None:
        raise Http404
    f = _filters(request)
    qs = selectors.results(
        run,
        f["area_code"],
        f["object_type"] or None,
        f["sector"] or None,
        f["indicator"] or None,
        f["min_score"],
    )
    return run, f, list(qs[: exports.MAX_ROWS])


@page(C.RISK_VIEW)
def export_csv(request):
    run, f, rows = _export_rows(request)
    access.audit_list(request.user, rows, export="csv")
    body = exports.csv_text(run, rows, selectors.catalogue_by_id(run.rule_set))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="gebiedsbeeld-{f["area_code"]}-run{run.pk}.csv"'
    )
    return response


@page(C.RISK_VIEW)
def export_pdf(request):
    run, f, rows = _export_rows(request)
    access.audit_list(request.user, rows, export="pdf")
    area = selectors.get_area(f["area_code"])
    pdf = exports.pdf_bytes(request, run, area, rows, selectors.catalogue_by_id(run.rule_set))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="gebiedsbeeld-{f["area_code"]}-run{run.pk}.pdf"'
    )
    return response


# --- fairness ----------------------------------------------------------------------------------


@page(C.RISK_VIEW)
def fairness(request):
    run = _run(request)
    f = _filters(request)
    area = selectors.get_area(f["area_code"])
    if area is None:
        raise Http404
    figures = selectors.fairness(run, f["area_code"]) if run else None
    return render(
        request,
        "risk/fairness.html",
        {
            "run": run,
            "area": area,
            "areas": selectors.areas(),
            "figures": figures,
            "catalogue": selectors.catalogue_by_id(run.rule_set) if run else {},
        },
    )


# --- runs --------------------------------------------------------------------------------------


@page(C.RISK_VIEW)
def run_list(request):
    access.require_view(request.user, "risk_run")
    page_obj = paginate(request, selectors.runs().order_by("-created_at", "-id"), PER_PAGE)
    return render(
        request,
        "risk/run_list.html",
        {
            "page_obj": page_obj,
            "may_manage": policy.has(request.user, C.RULESETS_MANAGE),
            "live": selectors.live_rule_set(),
        },
    )


@page(C.RISK_VIEW)
def run_detail(request, pk: int):
    run = access.get_run_for_user(request.user, pk)
    return render(
        request,
        "risk/run_detail.html",
        {
            "run": run,
            "previous": selectors.previous_run(run),
            "catalogue": selectors.catalogue_by_id(run.rule_set),
            "snapshot": sorted(run.snapshot.items()),
        },
    )


@require_POST
@page(C.RULESETS_MANAGE)
def run_start(request):
    run = actions.start_run(request.user)
    messages.success(request, _("Risicorun %(pk)s is gestart (achtergrondtaak).") % {"pk": run.pk})
    if run.job_id:
        return redirect("job_detail", pk=run.job_id)
    return redirect("risk_run", pk=run.pk)


# --- rule sets ---------------------------------------------------------------------------------


@page(C.RISK_VIEW)
def rule_set_list(request):
    access.require_view(request.user, "risk_rule_set")
    actions.live_rule_set()
    return render(
        request,
        "risk/rule_set_list.html",
        {
            "rule_sets": selectors.rule_sets(),
            "may_manage": policy.has(request.user, C.RULESETS_MANAGE),
        },
    )


@page(C.RISK_VIEW)
def rule_set_detail(request, pk: int):
    rule_set = access.get_rule_set_for_user(request.user, pk)
    try:
        catalogue = selectors.indicator_catalogue(rule_set)
        problem = ""
    except ValueError as exc:
        catalogue, problem = [], str(exc)
    return render(
        request,
        "risk/rule_set_detail.html",
        {
            "rule_set": rule_set,
            "catalogue": catalogue,
            "problem": problem,
            "may_adopt": policy.has(request.user, C.RULESETS_MANAGE)
            and rule_set.status == RuleSetStatus.DRAFT,
        },
    )


@page(C.RULESETS_MANAGE)
def rule_set_upload(request):
    from .forms import RuleSetForm

    form = RuleSetForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule_set = actions.upload_draft(
                request.user, form.rules_text(), form.cleaned_data["note"]
            )
        except actions.RuleSetRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Concept %(v)s is opgeslagen; stel het vast als het klaar is.")
                % {"v": rule_set.version},
            )
            return redirect("risk_rule_set", pk=rule_set.pk)
    return render(request, "risk/rule_set_upload.html", {"form": form})


@require_POST
@page(C.RULESETS_MANAGE)
def rule_set_adopt(request, pk: int):
    rule_set = access.get_rule_set_for_user(request.user, pk)
    try:
        actions.adopt(request.user, rule_set)
    except (actions.RuleSetRejected, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Regelset %(v)s is vastgesteld; nieuwe runs gebruiken hem.")
            % {"v": rule_set.version},
        )
    return redirect("risk_rule_set", pk=rule_set.pk)


# --- the Algoritmeregister entry ---------------------------------------------------------------


def _register_entry(request):
    from .algorithm_register import entry

    access.require_view(request.user, "risk_algorithm_register")
    return entry(actions.live_rule_set(), selectors.latest_run())


@page(C.RISK_VIEW)
def algorithm_register(request):
    return render(request, "risk/algorithm_register.html", {"entry": _register_entry(request)})


@page(C.RISK_VIEW)
def algorithm_register_json(request):
    return JsonResponse(
        _register_entry(request), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
