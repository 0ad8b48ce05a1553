"""Outlines as GeoJSON (RFC 7946): a Polygon or MultiPolygon in WGS84, longitude first.
Pure Python: parse and validate an outline, and decide whether a point lies inside it."""

from __future__ import annotations

import json
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_POSITIONS = 20_000  # a simplified outline; a cadastral one belongs elsewhere

Ring = list[tuple[float, float]]  # (lon, lat)
Polygon = list[Ring]  # exterior ring, then holes


def _position(value: Any, where: str) -> tuple[float, float]:
    if (
        not isinstance(value, list)
        or len(value) < 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in value[:2])
    ):
        raise ValidationError(
            _("%(where)s: een punt is [lengtegraad, breedtegraad].") % {"where": where}
        )
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and math.isfinite(lat)) or not (
        -180 <= lon <= 180 and -90 <= lat <= 90
    ):
        raise ValidationError(
            _(
                "%(where)s: punt [%(lon)s, %(lat)s] ligt buiten de wereld (WGS84, lengtegraad eerst)."
            )
            % {"where": where, "lon": value[0], "lat": value[1]}
        )
    return lon, lat


def _ring(value: Any, where: str) -> Ring:
    if not isinstance(value, list):
        raise ValidationError(_("%(where)s: een ring is een lijst van punten.") % {"where": where})
    ring = [_position(p, where) for p in value]
    if len(ring) < 4:
        raise ValidationError(_("%(where)s: een ring heeft minstens 4 punten.") % {"where": where})
    if ring[0] != ring[-1]:
        raise ValidationError(
            _("%(where)s: een ring is gesloten (het laatste punt is gelijk aan het eerste).")
            % {"where": where}
        )
    if len(set(ring)) < 3 or abs(_signed_area(ring)) == 0:
        raise ValidationError(_("%(where)s: de ring omsluit geen oppervlak.") % {"where": where})
    return ring


def _polygon(value: Any, where: str) -> Polygon:
    if not isinstance(value, list) or not value:
        raise ValidationError(
            _("%(where)s: een polygoon is een lijst van ringen.") % {"where": where}
        )
    return [_ring(r, where) for r in value]


def parse_geometry(text: str | bytes | dict) -> dict:
    """The outline as a GeoJSON geometry dict ({"type": "Polygon"|"MultiPolygon", ...}), from
    JSON text or a dict: a geometry, or a Feature or a FeatureCollection of one feature around it.
    Raises ValidationError with a clear message otherwise."""
    if isinstance(text, dict):
        data: Any = text
    else:
        try:
            data = json.loads(text)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValidationError(_("Geen geldige JSON: %(e)s") % {"e": exc}) from None
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise ValidationError(
                _("Een FeatureCollection met precies één feature (het gebied), niet %(n)s.")
                % {"n": len(features) if isinstance(features, list) else 0}
            )
        data = features[0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise ValidationError(
            _("Een gebied is een GeoJSON Polygon of MultiPolygon, geen %(kind)s.") % {"kind": kind}
        )
    coordinates = data.get("coordinates")
    if data["type"] == "Polygon":
        polygons = [_polygon(coordinates, _("Polygoon"))]
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise ValidationError(_("Een MultiPolygon is een lijst van polygonen."))
        polygons = [
            _polygon(p, _("Polygoon %(n)s") % {"n": i}) for i, p in enumerate(coordinates, 1)
        ]
    if sum(len(r) for p in polygons for r in p) > MAX_POSITIONS:
        raise ValidationError(
            _("Te veel punten (meer dan %(n)s): vereenvoudig de omtrek.") % {"n": MAX_POSITIONS}
        )
    coords: Any = (
        [[list(p) for p in r] for r in polygons[0]]
        if data["type"] == "Polygon"
        else [[[list(p) for p in r] for r in poly] for poly in polygons]
    )
    return {"type": data["type"], "coordinates": coords}


def geometry_text(text: str | bytes | dict) -> str:
    """The validated outline as compact, canonical GeoJSON text (what Area.geometry stores)."""
    return json.dumps(parse_geometry(text), separators=(",", ":"))


def polygons(geometry: dict) -> list[Polygon]:
    if geometry["type"] == "Polygon":
        return [[[tuple(p) for p in r] for r in geometry["coordinates"]]]  # type: ignore[misc]
    return [[[tuple(p) for p in r] for r in poly] for poly in geometry["coordinates"]]  # type: ignore[misc]


def _signed_area(ring: Ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Even-odd rule (ray casting towards east)."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > lat) != (y2 > lat):
            x = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < x:
                inside = not inside
    return inside


def contains(geometry: dict | str, lat: float, lon: float) -> bool:
    """Whether the point (lat, lon) lies in the outline: inside an exterior ring and in none of
    its holes. A point exactly on an edge may fall either way."""
    geo = parse_geometry(geometry) if isinstance(geometry, str) else geometry
    for polygon in polygons(geo):
        outer, *holes = polygon
        if _in_ring(lon, lat, outer) and not any(_in_ring(lon, lat, h) for h in holes):
            return True
    return False


def bounds(geometry: dict) -> tuple[float, float, float, float]:
    """(min_lat, min_lon, max_lat, max_lon) of the outline."""
    points = [p for poly in polygons(geometry) for r in poly for p in r]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lats), min(lons), max(lats), max(lons)
