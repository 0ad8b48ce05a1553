"""Reads of areas. Other apps use these (filters, home pages, the importer's validation, the
enforcement areas in policy); registers store the codes."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Area, AreaKind


def areas(include_inactive: bool = False) -> QuerySet[Area]:
    qs = Area.objects.select_related("parent")
    return qs if include_inactive else qs.filter(active=True)


def city() -> Area | None:
    """The municipality (the first active city: one per installation)."""
    return Area.objects.filter(kind=AreaKind.CITY, active=True).order_by("pk").first()


def wijken() -> QuerySet[Area]:
    return Area.objects.filter(kind=AreaKind.WIJK, active=True).order_by("name")


def focus_areas() -> QuerySet[Area]:
    return Area.objects.filter(kind=AreaKind.FOCUS_AREA, active=True).order_by("name")


def get_area(code: str) -> Area:
    """The area with this code; Area.DoesNotExist if there is none."""
    return Area.objects.select_related("parent").get(code=code)


def names(kind: str) -> dict[str, str]:
    """Code -> name of every area of one kind, inactive ones included (older records name them)."""
    return dict(Area.objects.filter(kind=kind).values_list("code", "name"))


def wijk_choices() -> list[tuple[str, str]]:
    return list(wijken().values_list("code", "name"))


def focus_area_choices() -> list[tuple[str, str]]:
    return list(focus_areas().values_list("code", "name"))


def area_choices() -> list[tuple[str, str]]:
    """(code, name) for filters: the focus areas, then the wijken, then the city."""
    out = focus_area_choices() + wijk_choices()
    town = city()
    if town is not None:
        out.append((town.code, town.name))
    return out


def premises_filter(code: str, prefix: str = "") -> dict[str, str]:
    """Filter keyword arguments on the registers' Premises fields for the area with this code:
    {"wijk": code} for a wijk, {"area": code} for a focus area, {} for the city (all premises).
    `prefix` reaches premises through a relation, e.g. "establishment__". Area.DoesNotExist for
    an unknown code. (Registers own Premises; this names its fields without importing it.)"""
    area = Area.objects.only("kind").get(code=code)
    if area.kind == AreaKind.WIJK:
        return {f"{prefix}wijk": code}
    if area.kind == AreaKind.FOCUS_AREA:
        return {f"{prefix}area": code}
    return {}


def wijk_codes() -> dict[str, str]:
    """Every way an import may name a wijk (its code, its name, lower case, with spaces or
    hyphens as underscores), to the wijk's code. Inactive wijken included: old files name them."""
    out: dict[str, str] = {}
    for code, name in Area.objects.filter(kind=AreaKind.WIJK).values_list("code", "name"):
        for key in (code, name.strip().lower()):
            out[key] = code
            out[key.replace(" ", "_").replace("-", "_")] = code
    return out


def areas_at(lat: float, lon: float, kind: str | None = None) -> list[Area]:
    """The active areas (of one kind, if given) whose outline contains the point."""
    qs = areas().exclude(geometry="")
    if kind:
        qs = qs.filter(kind=kind)
    return [a for a in qs if a.contains(lat, lon)]


def wijk_at(lat: float, lon: float) -> Area | None:
    found = areas_at(lat, lon, AreaKind.WIJK)
    return found[0] if found else None
