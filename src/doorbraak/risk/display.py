"""What the risk pages show, worked out from results and the registers (no access decisions)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SOURCE_LABELS = {
    "bag_premises": gettext_lazy("BAG (verblijfsobject)"),
    "kvk_companies": gettext_lazy("Handelsregister (bedrijf)"),
    "kvk_officers": gettext_lazy("Handelsregister (functionarissen van het bedrijf)"),
    "brp_occupancy": gettext_lazy("BRP (aantal inschrijvingen)"),
    "permits": gettext_lazy("Vergunningen"),
    "closures": gettext_lazy("Sluitingen"),
    "dor": gettext_lazy("Digitaal Opkopersregister"),
    "bank_sectors": gettext_lazy("Sectorinzichten bank"),
}
ENTRY_KINDS = {
    "permits": "permit",
    "closures": "closure",
    "dor": "dor",
    "bank_sectors": "bank_sector",
}

# Score bands for the map and the list: colour AND shape AND size AND a text label.
BANDS = (
    (4.0, "high", gettext_lazy("hoog")),
    (2.5, "medium", gettext_lazy("midden")),
    (0.0, "low", gettext_lazy("laag")),
)


def band(score: float) -> tuple[str, str]:
    for floor, key, label in BANDS:
        if score >= floor:
            return key, str(label)
    return "low", str(BANDS[-1][2])


def object_url(object_type: str, object_id: str) -> str:
    if object_type == "premises":
        return reverse("risk_premises", kwargs={"bag_id": object_id})
    return reverse("risk_company", kwargs={"kvk": object_id})


def place(subject) -> str:
    """Wijk (and focus area) of a premises or of a company's establishment, by name."""
    from .selectors import area_names

    if subject is None:
        return ""
    premises = getattr(subject, "establishment", subject)
    names = area_names()
    parts = [names.get(premises.wijk, premises.wijk)]
    if premises.area:
        parts.append(names.get(premises.area, premises.area))
    return " · ".join(p for p in parts if p)


def rows(results, catalogue: dict) -> list[dict]:
    from .selectors import area_names

    names = area_names()
    out = []
    for r in results:
        key, label = band(r.score)
        out.append(
            {
                "result": r,
                "band": key,
                "band_label": label,
                "url": object_url(r.object_type, r.object_id),
                "place": " · ".join(names.get(c, c) for c in (r.wijk, r.area) if c),
                "indicators": [
                    {
                        "id": i["id"],
                        "description": catalogue.get(i["id"], {}).get("description", ""),
                        "via": bool(i.get("via")),
                    }
                    for i in r.indicators
                ],
            }
        )
    return out


def sector_choices() -> list[tuple[str, str]]:
    from .selectors import sector_names

    return sorted(sector_names().items())


def points(results) -> list[dict]:
    from doorbraak.registers.models import Premises

    results = list(results)
    where = {
        p["bag_id"]: p
        for p in Premises.objects.filter(bag_id__in=[r.object_id for r in results]).values(
            "bag_id", "lat", "lon"
        )
    }
    out = []
    for r in results:
        p = where.get(r.object_id)
        if p is None:
            continue
        key, label = band(r.score)
        out.append(
            {
                "id": r.object_id,
                "lat": p["lat"],
                "lon": p["lon"],
                "score": r.score,
                "band": key,
                "band_label": label,
                "label": r.label,
                "rank": r.rank,
                "url": object_url(r.object_type, r.object_id),
                "indicators": [i["id"] for i in r.indicators],
            }
        )
    return out


def _hull(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (monotone chain) of (lon, lat) points."""
    pts = sorted(set(coords))
    if len(pts) < 3:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def outlines(area) -> list[dict]:
    """Outlines of the area (and, for the city, of each wijk) as GeoJSON features: the areas
    app's geometry when it has one, else the hull around the premises there (approximate)."""
    from doorbraak.registers.models import Premises

    from . import selectors

    wanted = (
        [a for a in selectors.areas() if a.kind in ("wijk", "focus_area")]
        if area.kind == "city"
        else [area]
    )
    geometry = _area_geometry()
    features = []
    for a in wanted:
        geo = geometry.get(a.code)
        approximate = geo is None
        if geo is None:
            qs = Premises.objects.all()
            qs = qs.filter(wijk=a.code) if a.kind == "wijk" else qs.filter(area=a.code)
            coords = [(lon, lat) for lat, lon in qs.values_list("lat", "lon")]
            if not coords:
                continue
            hull = _hull(coords)
            if len(hull) < 3:  # one or two places: a small box around them
                d = 0.0008
                xs, ys = [x for x, _ in coords], [y for _, y in coords]
                hull = [
                    (min(xs) - d, min(ys) - d),
                    (max(xs) + d, min(ys) - d),
                    (max(xs) + d, max(ys) + d),
                    (min(xs) - d, max(ys) + d),
                ]
            geo = {"type": "Polygon", "coordinates": [[[x, y] for x, y in [*hull, hull[0]]]]}
        features.append(
            {
                "type": "Feature",
                "geometry": geo,
                "properties": {
                    "code": a.code,
                    "name": a.name,
                    "kind": a.kind,
                    "approximate": approximate,
                },
            }
        )
    return features


def _area_geometry() -> dict:
    from doorbraak.areas import selectors as area_selectors

    out = {}
    for a in area_selectors.areas().exclude(geometry=""):
        geo = a.shape
        if isinstance(geo, dict) and geo.get("type") == "Feature":
            geo = geo.get("geometry")
        if isinstance(geo, dict) and geo.get("type") in ("Polygon", "MultiPolygon"):
            out[a.code] = geo
    return out


def subject(object_type: str, object_id: str):
    """The register object behind a result: a Premises or a Company (None if not there)."""
    from doorbraak.registers.models import Company, Premises

    if object_type == "premises":
        return Premises.objects.filter(bag_id=object_id).first()
    return Company.objects.filter(kvk_number=object_id).select_related("establishment").first()


def _source_rows(sources: list[dict]) -> list[dict]:
    from doorbraak.registers.models import Company, Premises, RegisterEntry

    kvks = {s["record"] for s in sources if s["source"] in ("kvk_companies", "kvk_officers")}
    bags = {s["record"] for s in sources if s["source"] == "bag_premises"}
    companies = {c.kvk_number: c for c in Company.objects.filter(kvk_number__in=kvks)}
    premises = {p.bag_id: p for p in Premises.objects.filter(bag_id__in=bags)}
    entries = {}
    for s in sources:
        kind = ENTRY_KINDS.get(s["source"])
        if kind:
            e = (
                RegisterEntry.objects.filter(kind=kind, key=s["record"])
                .select_related("premises", "company")
                .first()
            )
            if e:
                entries[(s["source"], s["record"])] = e
    out = []
    for s in sources:
        row = {
            "source": s["source"],
            "source_label": str(SOURCE_LABELS.get(s["source"], s["source"])),
            "record": s["record"],
            "row": s["row"],
            "text": "",
            "url": "",
        }
        if s["source"] in ("kvk_companies", "kvk_officers") and s["record"] in companies:
            c = companies[s["record"]]
            row["text"] = f"{c.name} ({c.kvk_number})"
            if s["source"] == "kvk_officers":
                row["text"] = _("functiewijziging bij %(c)s") % {"c": row["text"]}
            row["url"] = reverse("company_detail", kwargs={"pk": c.pk})
        elif s["source"] == "bag_premises" and s["record"] in premises:
            p = premises[s["record"]]
            row["text"] = f"{p.address} ({p.use})"
            row["url"] = reverse("premises_detail", kwargs={"pk": p.pk})
        elif s["source"] == "brp_occupancy":
            row["text"] = _("een inschrijving (wie, blijft buiten beeld)")
        elif (s["source"], s["record"]) in entries:
            e = entries[(s["source"], s["record"])]
            when = f"{e.occurred_on:%d-%m-%Y}" if e.occurred_on else ""
            row["text"] = " · ".join(x for x in (e.key, when, e.description) if x)
            if e.premises_id:
                row["url"] = reverse("premises_detail", kwargs={"pk": e.premises_id})
            elif e.company_id:
                row["url"] = reverse("company_detail", kwargs={"pk": e.company_id})
        out.append(row)
    return out


def indicator_items(result, catalogue: dict) -> list[dict]:
    items = []
    for i in result.indicators:
        info = catalogue.get(i["id"], {})
        items.append(
            {
                "id": i["id"],
                "value": i.get("value"),
                "weight": i.get("weight"),
                "level": i.get("level"),
                "description": info.get("description", ""),
                "legal_basis": info.get("legal_basis", ""),
                "rationale": info.get("rationale", ""),
                "via": [
                    {"kvk": k, "url": reverse("risk_company", kwargs={"kvk": k})}
                    for k in i.get("via", [])
                ],
                "sources": _source_rows(i.get("sources", [])),
            }
        )
    return items


def entity_links(object_type: str, subject) -> list[dict]:
    """Links to the entity network (entities app) of the company, or of each company at the
    premises, from the latest company linkage run."""
    if subject is None:
        return []
    from doorbraak.entities.models import EntityAssignment
    from doorbraak.entities.services import latest_run

    run = latest_run("company")
    if run is None:
        return []
    if object_type == "company":
        companies = [subject]
    else:
        companies = list(subject.companies.order_by("kvk_number")[:20])
    ids = dict(
        EntityAssignment.objects.filter(
            run=run, record_type="company", record_id__in=[c.pk for c in companies]
        ).values_list("record_id", "entity_id")
    )
    return [
        {
            "label": f"{c.name} ({c.kvk_number})",
            "url": reverse("entity_detail", kwargs={"entity_id": ids[c.pk]}),
        }
        for c in companies
        if c.pk in ids
    ]


def company_results(run, object_type: str, subject) -> list[dict]:
    """On a premises page: the companies established there, with their own score if any."""
    if object_type != "premises" or subject is None:
        return []
    from .models import RiskResult

    companies = list(subject.companies.order_by("-registered_on", "kvk_number")[:50])
    scores = dict(
        RiskResult.objects.filter(
            run=run, object_type="company", object_id__in=[c.kvk_number for c in companies]
        ).values_list("object_id", "score")
    )
    return [
        {
            "company": c,
            "score": scores.get(c.kvk_number),
            "active": c.deregistered_on is None or c.deregistered_on > run.as_of,
            "url": reverse("risk_company", kwargs={"kvk": c.kvk_number}),
            "register_url": reverse("company_detail", kwargs={"pk": c.pk}),
        }
        for c in companies
    ]
