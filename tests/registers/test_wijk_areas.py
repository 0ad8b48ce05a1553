"""The importer accepts the wijken configured as areas (codes and names), and only those."""

from __future__ import annotations

import json
from datetime import date

from doorbraak.areas.models import Area, AreaKind
from doorbraak.registers.importers import import_file
from doorbraak.registers.models import Premises

HEADER = "verblijfsobject_id;openbare_ruimte;huisnummer;huisletter;huisnummertoevoeging;postcode;woonplaats;wijk;gebruiksdoel;oppervlakte;lat;lon\n"


def _bag(tmp_path, *wijken):
    rows = [
        f"03440100002000{i:02d};Teststraat;{i};;;3511AB;Utrecht;{w};woonfunctie;60;52.09;5.12\n"
        for i, w in enumerate(wijken, 1)
    ]
    path = tmp_path / "bag.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_a_new_wijk_is_accepted_once_it_is_an_area(sources, tmp_path):
    path = _bag(tmp_path, "Binnenstad", "leidsche rijn", "Vleuten-De Meern", "Papendorp")
    first = import_file(
        sources["bag"], path, received_on=date(2026, 11, 1), username="test", announce=False
    )
    assert first.batch.status == "rejected"
    assert {(r.row, r.field, r.reason) for r in first.batch.rejections.all()} == {
        (4, "wijk", "onbekende wijk")
    }
    Area.objects.create(
        kind=AreaKind.WIJK,
        code="papendorp",
        name="Papendorp",
        parent=Area.objects.get(code="utrecht"),
        geometry=json.dumps(
            {
                "type": "Polygon",
                "coordinates": [[[5.08, 52.07], [5.09, 52.07], [5.09, 52.08], [5.08, 52.07]]],
            }
        ),
    )
    second = import_file(
        sources["bag"], path, received_on=date(2026, 11, 1), username="test", announce=False
    )
    assert second.batch.status == "accepted"
    assert list(Premises.objects.order_by("house_number").values_list("wijk", flat=True)) == [
        "binnenstad",
        "leidsche_rijn",
        "vleuten_de_meern",
        "papendorp",
    ]
    shown = Premises.objects.get(wijk="papendorp")
    assert shown.get_wijk_display() == "Papendorp"
