from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery

from doorbraak.areas import selectors as area_selectors
from doorbraak.areas.models import Area

from .models import Company, Premises


def with_wijk_name(qs):
    """Premises annotated with `wijk_name`: the name of the Area with the premises' wijk code."""
    return qs.annotate(
        wijk_name=Subquery(Area.objects.filter(code=OuterRef("wijk")).values("name")[:1])
    )


def premises_search(wijk="", area="", use="", q=""):
    qs = with_wijk_name(Premises.objects.all())
    if wijk:
        qs = qs.filter(wijk=wijk)
    if area:
        qs = qs.filter(area=area)
    if use:
        qs = qs.filter(use=use)
    if q:
        qs = qs.filter(Q(street__icontains=q) | Q(postcode__iexact=q.replace(" ", "").upper()))
    return qs


def uses() -> list[str]:
    return list(Premises.objects.order_by().values_list("use", flat=True).distinct())


def company_search(wijk="", area="", sbi="", q=""):
    qs = Company.objects.select_related("establishment")
    if wijk:
        qs = qs.filter(establishment__wijk=wijk)
    if area:
        qs = qs.filter(establishment__area=area)
    if sbi:
        qs = qs.filter(sbi_code__startswith=sbi)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(trade_name__icontains=q) | Q(kvk_number=q))
    return qs


def sectors() -> list[tuple[str, str]]:
    return list(
        Company.objects.order_by("sbi_code").values_list("sbi_code", "sbi_description").distinct()
    )


def area_counts() -> list[dict]:
    """Premises and companies in each active focus area (home pages and the monitoring
    figures); the focus areas are Area rows (doorbraak.areas)."""
    rows = []
    for code, label in area_selectors.focus_area_choices():
        rows.append(
            {
                "code": code,
                "label": label,
                "premises": Premises.objects.filter(**area_selectors.premises_filter(code)).count(),
                "companies": Company.objects.filter(
                    **area_selectors.premises_filter(code, prefix="establishment__")
                ).count(),
            }
        )
    return rows
