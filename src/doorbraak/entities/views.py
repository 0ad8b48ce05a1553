"""Analyst pages for entity resolution: the review queue, judging a pair, an entity's records,
network and timeline, and the FtM export. Persons are pseudonymised unless revealed."""

from __future__ import annotations

import math

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.partners.models import DataCategory, Role
from doorbraak.policy import Capability as C
from doorbraak.registers.models import Company, Person
from doorbraak.web.decorators import page
from doorbraak.web.display import person_label, shows_identity

from . import services
from .models import EntityType, ReviewPair, Verdict, parse_record_key


def _purpose(user) -> str:
    return policy.PURPOSE_ENFORCEMENT if user.role == Role.ENFORCEMENT_OFFICER else policy.PURPOSE_RISK_ANALYSIS


def _describe(request, obj) -> dict:
    """How one record is shown: label, and identity values only where need-to-know allows."""
    if isinstance(obj, Person):
        revealed = shows_identity(request.user, obj, request.session)
        values = []
        if revealed:
            values = [(_("Naam"), obj.full_name), (_("Geboortedatum"), obj.birth_date or "—"),
                      (_("Woonadres"), obj.residence.address if obj.residence else "—")]
        return {"obj": obj, "kind": "person", "label": person_label(request.user, obj, request.session),
                "revealed": revealed, "values": values}
    if isinstance(obj, Company):
        return {"obj": obj, "kind": "company", "label": obj.name, "revealed": True,
                "values": [(_("KvK-nummer"), obj.kvk_number), (_("Rechtsvorm"), obj.legal_form),
                           (_("Vestiging"), obj.establishment.address)]}
    return {"obj": None, "kind": "", "label": "—", "revealed": False, "values": []}


def _audit_persons(request, persons, object_type="person", detail=None):
    persons = [p for p in persons if isinstance(p, Person)]
    if not persons:
        return
    revealed = any(shows_identity(request.user, p, request.session) for p in persons)
    policy.audit_list_read(request.user, object_type, [p.pk for p in persons], _purpose(request.user),
                           [DataCategory.IDENTITY] if revealed else [])


@page(C.REGISTERS_VIEW)
def review_queue(request):
    entity = request.GET.get("soort", "")
    entity = entity if entity in EntityType.values else None
    pairs = list(services.open_pairs(entity)[:100])
    records = services.load_records({k for p in pairs for k in (p.left_record, p.right_record)})
    entity_ids = {**services.current_entity_ids(EntityType.PERSON), **services.current_entity_ids(EntityType.COMPANY)}
    rows = []
    for p in pairs:
        sides = []
        for key in (p.left_record, p.right_record):
            d = _describe(request, records.get(key))
            d["key"] = key
            d["entity_id"] = entity_ids.get(parse_record_key(key), "")
            sides.append(d)
        comparisons = p.explanation.get("comparisons", [])
        rows.append({"pair": p, "left": sides[0], "right": sides[1], "sides": sides, "comparisons": comparisons,
                     "probability": f"{p.match_probability:.0%}",
                     "prior": p.explanation.get("prior_match_weight"), "total": p.explanation.get("match_weight")})
    _audit_persons(request, records.values())
    runs = [r for r in (services.latest_run(e) for e in EntityType.values) if r is not None]
    return render(request, "entities/review_queue.html", {
        "rows": rows, "runs": runs, "entity": entity or "", "entity_types": EntityType.choices,
        "verdicts": Verdict.choices, "can_judge": policy.has(request.user, C.PERSONS_REVEAL),
    })


@require_POST
@page(C.PERSONS_REVEAL)
def judge(request):
    """Same / not the same / unsure, for a pair of the review queue (``pair``) or for two
    records of one entity type (``left``, ``right``, e.g. from an entity page)."""
    verdict = request.POST.get("verdict", "")
    if verdict not in Verdict.values:
        messages.error(request, _("Kies dezelfde, niet dezelfde of twijfel."))
        return redirect("entity_review")
    if request.POST.get("pair"):
        pair = get_object_or_404(ReviewPair.objects.select_related("run"), pk=request.POST["pair"])
    else:
        left, right = request.POST.get("left", ""), request.POST.get("right", "")
        try:
            kinds = {parse_record_key(left)[0], parse_record_key(right)[0]}
        except ValueError:
            raise Http404 from None
        records = services.load_records([left, right])
        if len(kinds) != 1 or left == right or len(records) != 2:
            raise Http404
        run = services.latest_run(kinds.pop())
        if run is None:
            raise Http404
        pair = ReviewPair(run=run, left_record=left, right_record=right, match_probability=0.0)
    judgement = services.judge_pair(pair, verdict, request.user, request.POST.get("note", ""))
    messages.success(request, _("Oordeel vastgelegd: %(v)s. Het geldt vanaf de volgende koppelrun.")
                     % {"v": judgement.get_verdict_display()})
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("entity_review")


# --- entity page -----------------------------------------------------------------------

KIND_STYLE = {"person": "db-node--person", "company": "db-node--company", "premises": "db-node--premises"}


def _layout(net, labels, size=520):
    """Centre in the middle, the rest on one or two rings; returns nodes with x/y and edges."""
    centre = size / 2
    others = [k for k in net.nodes if k != net.centre]
    rings = [others[:12], others[12:]]
    pos = {net.centre: (centre, centre)}
    for ring, radius in zip(rings, (size * 0.30, size * 0.44)):
        for i, key in enumerate(ring):
            angle = 2 * math.pi * i / max(len(ring), 1) - math.pi / 2
            pos[key] = (round(centre + radius * math.cos(angle), 1), round(centre + radius * math.sin(angle), 1))
    nodes = [{**n, "x": pos[k][0], "y": pos[k][1], "label": labels[k], "css": KIND_STYLE.get(n["kind"], ""),
              "centre": k == net.centre, "url": _node_url(n)} for k, n in net.nodes.items()]
    edges = [{"x1": pos[a][0], "y1": pos[a][1], "x2": pos[b][0], "y2": pos[b][1], "label": label,
              "a": labels[a], "b": labels[b]} for a, b, label in net.edges]
    return nodes, edges


def _node_url(node) -> str:
    from django.urls import reverse

    if node["entity_id"]:
        return reverse("entity_detail", kwargs={"entity_id": node["entity_id"]})
    if node["kind"] == "premises":
        return reverse("premises_detail", kwargs={"pk": node["obj"].pk})
    if node["kind"] == "company":
        return reverse("company_detail", kwargs={"pk": node["obj"].pk})
    if node["kind"] == "person":
        return reverse("person_detail", kwargs={"pk": node["obj"].pk})
    return ""


@page(C.REGISTERS_VIEW)
def entity_detail(request, entity_id: str):
    records = services.entity_records(entity_id)
    if not records:
        raise Http404
    kind = services.entity_type_of(entity_id)
    net = services.entity_network(entity_id, records)
    labels = {}
    persons_shown = list(records) if kind == EntityType.PERSON else []
    for key, node in net.nodes.items():
        obj = node["obj"]
        if node["kind"] == "person":
            labels[key] = person_label(request.user, obj, request.session)
            persons_shown.append(obj)
        elif node["kind"] == "company":
            labels[key] = obj.name
        else:
            labels[key] = obj.address
    nodes, edges = _layout(net, labels)
    described = [{**_describe(request, r), "key": f"{kind}-{r.pk}"} for r in records]
    timeline = services.entity_timeline(records)
    for event in timeline:
        officer = event.get("officer")
        event["about"] = (f"{person_label(request.user, officer.person, request.session)} — {officer.company.name}"
                          if officer else "")
    _audit_persons(request, persons_shown)
    audit.record(AuditAction.READ, user=request.user, purpose=_purpose(request.user), object_type="entity",
                 object_id=entity_id, detail={"records": [d["key"] for d in described]})
    return render(request, "entities/entity_detail.html", {
        "entity_id": entity_id, "kind": kind, "records": described, "nodes": nodes, "edges": edges,
        "timeline": timeline, "can_judge": policy.has(request.user, C.PERSONS_REVEAL) and len(described) > 1,
        "title": described[0]["label"],
    })


# --- FtM export ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@page(C.PERSONS_REVEAL)
def ftm_export(request):
    available = services.ftm_available()
    if request.method == "POST":
        if not policy.can_reveal(request.user):
            policy.deny(request.user, "may not export identities", object_type="ftm_export",
                        purpose=policy.PURPOSE_RISK_ANALYSIS)
        reason = (request.POST.get("reason") or "").strip()
        if not available:
            messages.error(request, services.FTM_MISSING)
        elif len(reason) < 10:
            messages.error(request, _("Geef een doel van ten minste 10 tekens op."))
        else:
            text, _count = services.ftm_export(request.user, reason)
            response = HttpResponse(text, content_type="application/x-ndjson; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="doorbraak-entiteiten.ftm.json"'
            return response
    runs = [r for r in (services.latest_run(e) for e in EntityType.values) if r is not None]
    return render(request, "entities/export.html",
                  {"available": available, "missing": services.FTM_MISSING, "runs": runs},
                  status=200 if available or request.method == "GET" else 503)
