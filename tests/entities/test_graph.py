"""The entity network: an SVG that works without JavaScript (links, text alternative), made
interactive by a small script of our own (zoom, pan, drag, highlight, keyboard)."""

from __future__ import annotations

import os
import re
import shutil
from urllib.parse import urlparse

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from doorbraak.entities import services
from tests import factories as f
from tests.conftest import login

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def jan_entity(register):
    services.run_register_linkage("person")
    services.run_register_linkage("company")
    return services.assignments_of(services.latest_run("person"))[
        f"person-{register.persons['jan1'].pk}"
    ]


def test_network_svg_links_and_text_alternative(client, world, register):
    eid = jan_entity(register)
    login(client, world.users["analyst"])
    page = client.get(reverse("entity_detail", kwargs={"entity_id": eid})).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    nodes = re.findall(
        r'<a href="([^"]+)" class="db-graph__node[^"]*" data-node="(\d+)" aria-label="([^"]+)"', svg
    )
    assert len(nodes) >= 6 and all(href.startswith("/") for href, _, _ in nodes)
    lines = re.findall(r'data-a="(\d+)" data-b="(\d+)"', svg)
    ids = {i for _, i, _ in nodes}
    assert lines and all(a in ids and b in ids for a, b in lines)
    # accessible names carry kind and neighbours, with pseudonyms, never the names
    labels = " ".join(label for _, _, label in nodes)
    assert register.persons["jan1"].pseudonym in labels and "verbonden met" in labels
    assert "Shisha Lounge Noord V.O.F. (bedrijf)" in labels
    assert "Berg" not in page and "Vanderberg" not in page
    assert 'role="group"' in svg and "<title" in svg and "<desc" in svg
    # the text alternative lists every node and every edge
    lists = page[page.index('id="netwerk-knooppunten"') : page.index("Tijdlijn")]
    assert lists.count("<li>") == len(nodes) + len(lines)
    # own script and style, nothing from elsewhere
    assert 'src="/static/entities/graph.js"' in page and 'href="/static/entities/graph.css"' in page
    script = open(finders.find("entities/graph.js"), encoding="utf-8").read()
    assert set(re.findall(r"https?://[^\s\"']+", script)) <= {"http://www.w3.org/2000/svg"}
    assert finders.find("entities/graph.css")


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
@pytest.mark.django_db(transaction=True)
def test_graph_is_interactive_in_a_browser(live_server, world, register, tmp_path):
    from django_otp.oath import TOTP
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    eid = jan_entity(register)
    user = world.users["analyst"]
    device = user.totpdevice_set.get()
    code = (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_context(
            locale="nl-NL", viewport={"width": 1280, "height": 1000}
        ).new_page()
        outside, errors = [], []
        page.on(
            "request",
            lambda r: (
                outside.append(r.url)
                if urlparse(r.url).hostname not in {"localhost", "127.0.0.1"}
                and not r.url.startswith("data:")
                else None
            ),
        )
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{live_server.url}/")
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill(f.PASSWORD)
        page.get_by_label("Verificatiecode").fill(code)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
        url = f"{live_server.url}{reverse('entity_detail', kwargs={'entity_id': eid})}"
        page.goto(url)
        page.wait_for_selector(".db-graph.is-interactive")
        viewport = page.locator("[data-viewport]")
        # zoom with the button and the wheel
        page.get_by_role("button", name="Inzoomen").click()
        assert "scale(1.25)" in viewport.get_attribute("transform")
        page.get_by_role("button", name="Beginweergave").click()
        assert "scale(1)" in viewport.get_attribute("transform")
        page.locator(".db-graph__svg").scroll_into_view_if_needed()
        box = page.locator(".db-graph__svg").bounding_box()
        page.mouse.move(box["x"] + 40, box["y"] + 40)
        page.mouse.wheel(0, -300)
        assert "scale(1)" not in viewport.get_attribute("transform")
        page.get_by_role("button", name="Beginweergave").click()
        # pan by dragging the background
        page.mouse.move(box["x"] + 10, box["y"] + box["height"] - 10)
        page.mouse.down()
        page.mouse.move(box["x"] + 60, box["y"] + box["height"] - 40, steps=5)
        page.mouse.up()
        assert viewport.get_attribute("transform").startswith(
            "translate("
        ) and "translate(0,0)" not in viewport.get_attribute("transform")
        page.get_by_role("button", name="Beginweergave").click()
        # drag a node: it moves, its lines follow, and the drag does not open its page
        node = page.locator('[data-node="1"]')
        before = node.locator("g").get_attribute("transform")
        nbox = node.locator(".db-graph__shape").bounding_box()
        page.mouse.move(nbox["x"] + nbox["width"] / 2, nbox["y"] + nbox["height"] / 2)
        page.mouse.down()
        page.mouse.move(nbox["x"] + 80, nbox["y"] + 50, steps=6)
        page.mouse.up()
        assert node.locator("g").get_attribute("transform") != before and page.url == url
        # hover highlights the neighbours
        page.locator('[data-node="0"] .db-graph__shape').hover()
        assert "is-highlighting" in page.locator(".db-graph").get_attribute("class")
        assert page.locator(".db-graph__node.is-neighbour").count() >= 1
        assert page.locator(".db-graph__edge.is-neighbour").count() >= 1
        page.mouse.move(5, 5)
        # keyboard: tab to the first node, visible focus ring, Enter opens its page
        page.get_by_role("button", name="Beginweergave").focus()
        page.keyboard.press("Tab")  # the figure itself: arrow keys pan, + and - zoom
        assert page.evaluate("document.activeElement.classList.contains('db-graph__svg')")
        page.keyboard.press("ArrowRight")
        assert viewport.get_attribute("transform") == "translate(-40,0) scale(1)"
        page.keyboard.press("+")
        assert "scale(1.25)" in viewport.get_attribute("transform")
        page.keyboard.press("0")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('data-node')") == "0"
        assert (
            page.evaluate(
                "getComputedStyle(document.activeElement.querySelector('.db-graph__ring')).visibility"
            )
            == "visible"
        )
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('data-node')") == "1"
        shots = os.environ.get("DOORBRAAK_SCREENSHOTS", "")  # a directory, to look at the screens
        if shots:
            page.screenshot(path=os.path.join(shots, "entity-graph.png"), full_page=True)
        target = page.evaluate("document.activeElement.getAttribute('href')")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}{target}")
        # the search page, reached from the navigation
        page.get_by_role("link", name="Entiteit zoeken").first.click()
        page.get_by_label("Naam, KvK-nummer, postcode en huisnummer of pseudoniem").fill(
            "3513AG 100"
        )
        page.get_by_role("button", name="Zoeken").click()
        page.wait_for_load_state()
        assert page.get_by_role("link", name="Shisha Lounge Noord V.O.F.").count() == 1
        if shots:
            page.screenshot(path=os.path.join(shots, "entity-search.png"), full_page=True)
        # without JavaScript the network is still a figure with links
        plain = browser.new_context(locale="nl-NL", java_script_enabled=False)
        plain.add_cookies(page.context.cookies())
        static = plain.new_page()
        static.goto(url)
        assert static.locator(".db-graph__node").count() >= 6
        assert static.locator(".db-graph.is-interactive").count() == 0
        if shots:
            static.screenshot(path=os.path.join(shots, "entity-graph-nojs.png"), full_page=True)
        assert outside == [] and errors == []
        browser.close()
