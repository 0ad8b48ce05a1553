"""The panel hook on the object page: other apps add panels, the page works without any."""

from __future__ import annotations

import pytest

from doorbraak.risk import panels
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def clean_panels():
    before = panels.object_panels()
    panels._PANELS.clear()
    yield
    panels._PANELS[:] = before


def test_page_renders_without_panels(client, world, run, register, clean_panels):
    login(client, world.users["enforcement_officer"])
    r = client.get(f"/risico/panden/{register['hub'].bag_id}/")
    assert r.status_code == 200


def test_registered_panel_is_rendered_and_a_broken_one_left_out(
    client, world, run, register, clean_panels
):
    seen = []

    def ledger(request, object_type, object_id):
        seen.append((object_type, object_id))
        return "risk/_panel.html", {
            "title": "Logboek",
            "lines": [f"Logboek {object_type} {object_id}"],
            "links": [("Actie plannen", "/handhaving/")],
        }

    def broken(request, object_type, object_id):
        raise RuntimeError("kapot")

    def nothing(request, object_type, object_id):
        return None

    for fn in (broken, ledger, nothing):
        panels.register_object_panel(fn)
    login(client, world.users["analyst"])
    kvk = register["car"].kvk_number
    r = client.get(f"/risico/bedrijven/{kvk}/")
    assert r.status_code == 200
    assert f"Logboek company {kvk}" in r.content.decode()
    assert 'href="/handhaving/"' in r.content.decode()
    assert seen == [("company", kvk)]
