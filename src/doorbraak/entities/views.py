"""Analyst pages for entity resolution: the review queue, judging a pair, an entity's records,
network and timeline, and the FtM export. Persons are pseudonymised unless revealed."""

from __future__ import annotations

import math

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.http import require_http_methods, require_POST

from doorbraak import policy
from doorbraak.limits import OLDEST_AGE, REASON_MAX
from doorbraak.policy import Capability as C
from doorbraak.registers.models import Company, Officer, Person
from doorbraak.web.decorators import page
from doorbraak.web.display import officer_label, person_label, shows_identity
from doorbraak.web.pagination import paginate

from . import access, services
from . import labels as linkage_labels
from .models import EntityType, ReviewPair, Verdict, parse_record_key


def _purpose(user) -> str:
    return policy.purpose_for(user, "entity")


_sees_persons = access.sees_persons


def _describe(request, obj) -> dict:
    """How one record is shown: label, and identity values only where need-to-know allows."""
    if isinstance(obj, Person):
        revealed = shows_identity(request.user, obj, request.session)
        values = []
        if revealed:
            values = [
                (_("Naam"), obj.full_name),
                (_("Geboortedatum"), obj.birth_date or "—"),
                (_("Woonadres"), obj.residence.address if obj.residence else "—"),
            ]
        return {
            "obj": obj,
            "kind": "person",
            "label": person_label(request.user, obj, request.session),
            "revealed": revealed,
            "values": values,
        }
    if isinstance(obj, Company):
        return {
            "obj": obj,
            "kind": "company",
            "label": obj.name,
            "revealed": True,
            "values": [
                (_("KvK-nummer"), obj.kvk_number),
                (_("Rechtsvorm"), obj.legal_form),
                (_("Vestiging"), obj.establishment.address),
            ],
        }
    return {"obj": None, "kind": "", "label": "—", "revealed": False, "values": []}


def _audit_persons(request, persons, named=False):
    access.audit_persons_shown(request.user, persons, session=request.session, named=named)


REVIEW_PAGE_SIZE = 10  # pairs per page of the review queue


@page(C.REGISTERS_VIEW)
def review_queue(request):
    entity = request.GET.get("soort", "")
    entity = entity if entity in EntityType.values else None
    entity_types = EntityType.choices
    if not _sees_persons(request.user):  # enforcement: company pairs only
        entity, entity_types = EntityType.COMPANY, [(EntityType.COMPANY, EntityType.COMPANY.label)]
    page_obj = paginate(request, services.open_pairs(entity), REVIEW_PAGE_SIZE)
    pairs = list(page_obj)
    records = services.load_records({k for p in pairs for k in (p.left_record, p.right_record)})
    entity_ids = {
        **services.current_entity_ids(EntityType.PERSON),
        **services.current_entity_ids(EntityType.COMPANY),
    }
    rows = []
    for p in pairs:
        sides = []
        for key in (p.left_record, p.right_record):
            d = _describe(request, records.get(key))
            d["key"] = key
            d["entity_id"] = entity_ids.get(parse_record_key(key), "")
            sides.append(d)
        comparisons = linkage_labels.explained(p.explanation.get("comparisons", []))
        rows.append(
            {
                "pair": p,
                "left": sides[0],
                "right": sides[1],
                "sides": sides,
                "comparisons": comparisons,
                "probability": f"{p.match_probability:.0%}",
                "prior": p.explanation.get("prior_match_weight"),
                "total": p.explanation.get("match_weight"),
            }
        )
    _audit_persons(request, records.values())
    runs = [r for r in (services.latest_run(e) for e in EntityType.values) if r is not None]
    return render(
        request,
        "entities/review_queue.html",
        {
            "rows": rows,
            "page_obj": page_obj,
            "runs": runs,
            "entity": entity or "",
            "entity_types": entity_types,
            "verdicts": Verdict.choices,
            "can_judge": policy.has(request.user, C.PERSONS_REVEAL),
            "can_link": policy.has(request.user, C.REGISTERS_IMPORT),
        },
    )


@require_POST
@page(C.REGISTERS_IMPORT)
def start_linkage(request):
    """A new linkage run (full, or incremental with ``incrementeel``) as a background job."""
    entity = request.POST.get("soort", "")
    if entity not in EntityType.values:
        messages.error(request, _("Kies een soort (personen of bedrijven)."))
        return redirect("entity_review")
    from doorbraak.jobs.actions import start_job

    job = start_job(
        "linkage_run",
        user=request.user,
        purpose=policy.purpose_for(request.user, "linkage"),
        params={"entity": entity, "incremental": request.POST.get("incrementeel") == "1"},
    )
    return redirect("job_detail", pk=job.pk)


@require_POST
@page(C.PERSONS_REVEAL)
def judge(request):
    """Same / not the same / unsure, for a pair of the review queue (``pair``) or for two
    records of one entity type (``left``, ``right``, e.g. from an entity page)."""
    verdict = request.POST.get("verdict", "")
    if verdict not in Verdict.values:
        messages.error(request, _("Kies dezelfde, niet dezelfde of twijfel."))
        return redirect("entity_review")
    if len(request.POST.get("note", "")) > 300:
        messages.error(request, _("Een toelichting is ten hoogste 300 tekens."))
        return redirect("entity_review")
    if request.POST.get("pair"):
        pair = access.get_review_pair_for_user(request.user, request.POST["pair"])
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
    messages.success(
        request,
        _("Oordeel vastgelegd: %(v)s. Het geldt vanaf de volgende koppelrun.")
        % {"v": judgement.get_verdict_display()},
    )
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("entity_review")


# --- entity page -----------------------------------------------------------------------

KIND_STYLE = {
    "person": "db-node--person",
    "company": "db-node--company",
    "premises": "db-node--premises",
}


KIND_LABELS = {"person": _noop("persoon"), "company": _noop("bedrijf"), "premises": _noop("pand")}


def _short_label(label: str, limit: int = 28) -> str:
    """The text under a node: whole words from the start of its label, so that what is seen is
    part of the node's accessible name (WCAG 2.5.3); the full label is in the name and title."""
    if len(label) <= limit:
        return label
    short = ""
    for word in label.replace(",", " ,").split():
        candidate = f"{short} {word}".strip().replace(" ,", ",")
        if len(candidate) > limit:
            break
        short = candidate
    return short.rstrip(",") or label[:limit]


def _layout(net, labels, size=520):
    """Centre in the middle, its direct neighbours on an inner ring, the rest on an outer ring
    next to the neighbour they hang from (fewer crossing lines). Returns nodes with x/y, index,
    kind label and neighbour labels (for the accessible names), and edges by node index."""
    centre = size / 2
    adjacent: dict[str, list[str]] = {k: [] for k in net.nodes}
    for a, b, _label in net.edges:
        adjacent[a].append(b)
        adjacent[b].append(a)
    others = [k for k in net.nodes if k != net.centre]
    inner = [k for k in others if k in adjacent[net.centre]][:16]
    if len(inner) < 3:  # few direct neighbours: fill the inner ring
        inner += [k for k in others if k not in inner][: 12 - len(inner)]
    order = {k: i for i, k in enumerate(inner)}
    outer = sorted(
        (k for k in others if k not in order),
        key=lambda k: (
            min((order[n] for n in adjacent[k] if n in order), default=len(order)),
            others.index(k),
        ),
    )
    pos = {net.centre: (centre, centre)}
    for ring, radius, offset in ((inner, size * 0.23, 0.0), (outer, size * 0.38, 0.5)):
        for i, key in enumerate(ring):
            angle = 2 * math.pi * (i + offset) / max(len(ring), 1) - math.pi / 2
            pos[key] = (
                round(centre + radius * math.cos(angle), 1),
                round(centre + radius * math.sin(angle), 1),
            )
    index = {k: i for i, k in enumerate(net.nodes)}
    nodes = []
    for k, n in net.nodes.items():
        neighbours = sorted({labels[x] for x in adjacent[k]})
        nodes.append(
            {
                **n,
                "index": index[k],
                "x": pos[k][0],
                "y": pos[k][1],
                "label": labels[k],
                "short": _short_label(labels[k]),
                "css": KIND_STYLE.get(n["kind"], ""),
                "centre": k == net.centre,
                "url": _node_url(n),
                "kind_label": _(KIND_LABELS.get(n["kind"], n["kind"])),
                "neighbours": neighbours,
            }
        )
    edges = [
        {
            "x1": pos[a][0],
            "y1": pos[a][1],
            "x2": pos[b][0],
            "y2": pos[b][1],
            "label": _(label) if label else "",
            "a": labels[a],
            "b": labels[b],
            "ia": index[a],
            "ib": index[b],
            "url_a": _node_url(net.nodes[a]),
            "url_b": _node_url(net.nodes[b]),
        }
        for a, b, label in net.edges
    ]
    return nodes, edges


def _node_url(node) -> str:
    if node.get("no_link"):
        return ""
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
    records, kind = access.get_entity_for_user(request.user, entity_id)
    sees_persons = _sees_persons(request.user)
    net = services.entity_network(
        entity_id,
        records,
        person_details=sees_persons,
        show_residence=lambda p: shows_identity(request.user, p, request.session),
    )
    # officers of this entity's companies, by the officer rule (enforcement: name where the policy allows)
    officers = (
        []
        if sees_persons or kind != EntityType.COMPANY
        else list(
            Officer.objects.filter(company__in=records).select_related(
                "person", "company__establishment"
            )
        )
    )
    officer_labels = {
        o.person_id: officer_label(request.user, o, request.session) for o in officers
    }
    named = any(policy.shows_officer_identity(request.user, o) for o in officers)
    labels = {}
    persons_shown = list(records) if kind == EntityType.PERSON else []
    for key, node in net.nodes.items():
        obj = node["obj"]
        if node["kind"] == "person":
            labels[key] = officer_labels.get(obj.pk) or person_label(
                request.user, obj, request.session
            )
            persons_shown.append(obj)
        elif node["kind"] == "company":
            labels[key] = obj.name
        else:
            labels[key] = obj.address
    if not sees_persons:  # no links to pages about persons the user may not open
        for node in net.nodes.values():
            if node["kind"] == "person":
                node["entity_id"], node["no_link"] = "", True
    nodes, edges = _layout(net, labels)
    described = [{**_describe(request, r), "key": f"{kind}-{r.pk}"} for r in records]
    timeline = services.entity_timeline(records)
    for event in timeline:
        officer = event.get("officer")
        event["what"] = (
            _("%(role)s sinds") % {"role": officer.role} if officer else _(event["what"])
        )
        event["about"] = (
            f"{officer_label(request.user, officer, request.session)} — {officer.company.name}"
            if officer
            else ""
        )
    _audit_persons(request, persons_shown, named=named)
    return render(
        request,
        "entities/entity_detail.html",
        {
            "entity_id": entity_id,
            "kind": kind,
            "records": described,
            "nodes": nodes,
            "edges": edges,
            "timeline": timeline,
            "can_judge": policy.has(request.user, C.PERSONS_REVEAL) and len(described) > 1,
            "title": described[0]["label"],
        },
    )


# --- entity search ---------------------------------------------------------------------------

SEARCH_PAGE_SIZE = 25
MATCHED_ON = {
    "kvk": _noop("KvK-nummer"),
    "address": _noop("adres"),
    "pseudonym": _noop("pseudoniem"),
    "name": _noop("naam"),
}


def _name_searchable_persons(request):
    """Persons the user may find by name, address or birth year: exactly those whose identity
    the pages show them (``web.display.shows_identity``): for an analyst the persons revealed with
    a purpose in this session, for an enforcement officer all if the covenant grants identity data
    for enforcement. Everyone else finds persons by pseudonym only."""
    ids = policy.name_searchable_person_ids(request.user, request.session)
    return Person.objects.filter(anonymised=False, pk__in=ids)


@page(C.REGISTERS_VIEW)
def entity_search(request):
    from urllib.parse import urlencode

    from django.core.paginator import Paginator

    text = (request.GET.get("q") or "").strip()[:100]
    kind = request.GET.get("soort", "")
    kind = kind if kind in EntityType.values else ""
    entity_types = EntityType.choices
    if not _sees_persons(request.user):  # enforcement finds companies, never persons
        kind, entity_types = EntityType.COMPANY, [(EntityType.COMPANY, EntityType.COMPANY.label)]
    year_text = (request.GET.get("geboortejaar") or "").strip()
    this_year = timezone.localdate().year
    birth_year = (
        int(year_text)
        if year_text.isdigit()
        and len(year_text) == 4
        and this_year - OLDEST_AGE <= int(year_text) <= this_year
        else None
    )
    query = services.parse_query(text)
    error = ""
    if year_text and birth_year is None:
        error = _("Geef een geboortejaar op als vier cijfers, bijvoorbeeld 1980.")
    elif text and query is None:
        error = _("Geef ten minste twee tekens op.")
    results, page_obj = [], None
    if query is not None and not error:
        records = services.search_records(
            query, kind=kind, name_persons=_name_searchable_persons(request), birth_year=birth_year
        )
        # the policy decides per record: a person found by name must be one whose identity is shown
        records = [
            (r, how)
            for r, how in records
            if not isinstance(r, Person)
            or how == "pseudonym"
            or shows_identity(request.user, r, request.session)
        ]
        groups = services.entities_of_records(records)
        page_obj = Paginator(groups, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        persons_shown = []
        for group in page_obj.object_list:
            first = group["records"][0]
            described = _describe(request, first)
            group["label"] = described["label"]
            group["revealed"] = described["revealed"]
            group["how_labels"] = [_(MATCHED_ON[h]) for h in group["how"] if h in MATCHED_ON]
            if group["kind"] == EntityType.COMPANY:
                group["address"] = first.establishment.address
            else:
                group["address"] = (
                    first.residence.address if described["revealed"] and first.residence else ""
                )
                persons_shown += group["records"]
            if group["entity_id"]:
                group["url"] = reverse("entity_detail", kwargs={"entity_id": group["entity_id"]})
            elif group["kind"] == EntityType.COMPANY:
                group["url"] = reverse("company_detail", kwargs={"pk": first.pk})
            else:
                group["url"] = reverse("person_detail", kwargs={"pk": first.pk})
            results.append(group)
        _audit_persons(request, persons_shown)
        revealed = any(g["kind"] == EntityType.PERSON and g["revealed"] for g in results)
        access.audit_search(
            request.user,
            results=page_obj.paginator.count,
            revealed=revealed,
            detail={
                "q": query.text,
                "how": query.how,
                "kind": kind,
                "birth_year": birth_year,
                "page": page_obj.number,
                "shown": [
                    g["entity_id"] or services.record_key(g["kind"], g["records"][0].pk)
                    for g in results
                ],
            },
        )
    extra = urlencode(
        {k: v for k, v in (("q", text), ("soort", kind), ("geboortejaar", year_text)) if v}
    )
    return render(
        request,
        "entities/search.html",
        {
            "q": text,
            "kind": kind,
            "birth_year": year_text,
            "entity_types": entity_types,
            "error": error,
            "page_obj": page_obj,
            "results": results,
            "extra": extra,
            "searched": query is not None and not error,
            "how": query.how if query else "",
        },
    )


# --- FtM export ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@page(C.PERSONS_REVEAL)
def ftm_export(request):
    available = services.ftm_available()
    if request.method == "POST":
        if not policy.can_reveal(request.user):
            policy.deny(
                request.user,
                "may not export identities",
                object_type="ftm_export",
                purpose=policy.purpose_for(request.user, "ftm_export"),
            )
        reason = (request.POST.get("reason") or "").strip()
        if not available:
            messages.error(request, services.FTM_MISSING)
        elif len(reason) < 10:
            messages.error(request, _("Geef een doel van ten minste 10 tekens op."))
        elif len(reason) > REASON_MAX:
            messages.error(
                request, _("Geef een doel van ten hoogste %(n)s tekens op.") % {"n": REASON_MAX}
            )
        else:
            text, _count = services.ftm_export(request.user, reason)
            response = HttpResponse(text, content_type="application/x-ndjson; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="doorbraak-entiteiten.ftm.json"'
            return response
    runs = [r for r in (services.latest_run(e) for e in EntityType.values) if r is not None]
    return render(
        request,
        "entities/export.html",
        {"available": available, "missing": services.FTM_MISSING, "runs": runs},
        status=200 if request.method == "GET" else 503 if not available else 400,
    )
