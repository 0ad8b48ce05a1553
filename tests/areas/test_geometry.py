"""Outlines: GeoJSON polygons validated with a clear message, and points placed in them."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from doorbraak.areas import geometry as geo

SQUARE = [[5.0, 52.0], [5.1, 52.0], [5.1, 52.1], [5.0, 52.1], [5.0, 52.0]]
HOLE = [[5.04, 52.04], [5.06, 52.04], [5.06, 52.06], [5.04, 52.06], [5.04, 52.04]]


def test_a_polygon_a_feature_and_a_collection_of_one_are_accepted():
    polygon = {"type": "Polygon", "coordinates": [SQUARE]}
    assert geo.parse_geometry(json.dumps(polygon)) == polygon
    feature = {"type": "Feature", "properties": {"naam": "x"}, "geometry": polygon}
    assert geo.parse_geometry(json.dumps(feature)) == polygon
    collection = {"type": "FeatureCollection", "features": [feature]}
    assert geo.parse_geometry(json.dumps(collection)) == polygon
    multi = {
        "type": "MultiPolygon",
        "coordinates": [[SQUARE], [[[6, 52], [6.1, 52], [6, 52.1], [6, 52]]]],
    }
    assert geo.parse_geometry(multi)["type"] == "MultiPolygon"
    # stored compact
    assert geo.geometry_text(json.dumps(polygon, indent=2)) == json.dumps(
        polygon, separators=(",", ":")
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{niet json", "Geen geldige JSON"),
        (json.dumps({"type": "Point", "coordinates": [5, 52]}), "geen Point"),
        (json.dumps([1, 2]), "geen list"),
        (json.dumps({"type": "Polygon", "coordinates": [SQUARE[:-1]]}), "gesloten"),
        (
            json.dumps({"type": "Polygon", "coordinates": [[[5, 52], [5.1, 52], [5, 52]]]}),
            "minstens 4",
        ),
        (
            json.dumps(
                {"type": "Polygon", "coordinates": [[[52, 500], [5.1, 52], [5, 52.1], [52, 500]]]}
            ),
            "buiten de wereld",
        ),
        (
            json.dumps(
                {"type": "Polygon", "coordinates": [[[5, 52], [5.1, 52], [5.2, 52], [5, 52]]]}
            ),
            "geen oppervlak",
        ),
        (
            json.dumps(
                {"type": "Polygon", "coordinates": [[["5", 52], [5.1, 52], [5, 52.1], ["5", 52]]]}
            ),
            "[lengtegraad, breedtegraad]",
        ),
        (json.dumps({"type": "Polygon", "coordinates": []}), "lijst van ringen"),
        (json.dumps({"type": "FeatureCollection", "features": []}), "precies één"),
    ],
)
def test_a_bad_outline_is_refused_with_a_clear_message(value, message):
    with pytest.raises(ValidationError) as exc:
        geo.parse_geometry(value)
    assert message in " ".join(exc.value.messages)


def test_point_in_polygon_honours_holes_and_multipolygons():
    square = {"type": "Polygon", "coordinates": [SQUARE]}
    assert geo.contains(square, 52.05, 5.05)
    assert not geo.contains(square, 52.15, 5.05)
    assert not geo.contains(square, 52.05, 4.99)
    holed = {"type": "Polygon", "coordinates": [SQUARE, HOLE]}
    assert not geo.contains(holed, 52.05, 5.05)
    assert geo.contains(holed, 52.02, 5.02)
    multi = {
        "type": "MultiPolygon",
        "coordinates": [[HOLE], [[[6, 52], [6.1, 52], [6.1, 52.1], [6, 52.1], [6, 52]]]],
    }
    assert geo.contains(multi, 52.05, 6.05) and geo.contains(multi, 52.05, 5.05)
    assert not geo.contains(multi, 52.02, 5.02)
    # a concave outline (an L): the notch is outside
    ell = {
        "type": "Polygon",
        "coordinates": [[[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]],
    }
    assert geo.contains(ell, 0.5, 1.5) and geo.contains(ell, 1.5, 0.5)
    assert not geo.contains(ell, 1.5, 1.5)
    assert geo.contains(json.dumps(square), 52.05, 5.05)  # text works too
    assert geo.bounds(square) == (52.0, 5.0, 52.1, 5.1)
