"""Long lists come a page at a time, with accessible Utrecht pagination controls."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse

from doorbraak.careers.models import CaseRecord, Contact, ContactKind
from doorbraak.web.pagination import page_window, paginate
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _rows(html: str, heading_id: str) -> int:
    """Rows of the table that follows the heading with this id."""
    section = html.split(f'id="{heading_id}"', 1)[1].split("</table>", 1)[0]
    return section.count("<tr>") - 1  # minus the header row


def _nav(html: str, label: str) -> str:
    match = re.search(
        rf'<nav class="utrecht-pagination[^"]*"[^>]*aria-label="Paginering: {label}">(.*?)</nav>',
        html,
        re.S,
    )
    assert match, f"no pagination for {label}"
    return match.group(1)


def test_a_case_with_many_contacts_shows_them_a_page_at_a_time(client, world):
    case = world.cases["a"]
    start = date(2026, 1, 1)
    Contact.objects.bulk_create(
        Contact(
            case=case,
            person=case.subject,
            organisation=world.orgs["oov"],
            contact_on=start + timedelta(days=i),
            kind=ContactKind.FACE,
            note=f"contact {i:02d}",
        )
        for i in range(80)
    )
    CaseRecord.objects.bulk_create(
        CaseRecord(
            case=case,
            category="justice",
            organisation=world.orgs["politie"],
            occurred_on=start + timedelta(days=i),
            title=f"melding {i:02d}",
        )
        for i in range(30)
    )
    login(client, world.users["case_director"])
    url = reverse("case_detail", args=[case.pk])
    html = client.get(url).content.decode()
    assert _rows(html, "contacten") == 20 and "contact 79" in html and "contact 59" not in html
    nav = _nav(html, "Contacten")
    assert 'aria-current="page"' in nav and 'rel="next"' in nav and 'rel="prev"' not in nav
    assert 'href="?contacten=4#contacten"' in nav  # the last page is always offered
    assert "1–20 van 80" in nav

    # page 4 of the contacts; the timeline keeps its own page
    html = client.get(url, {"contacten": 4, "tijdlijn": 2}).content.decode()
    assert _rows(html, "contacten") == 20 and "contact 00" in html and "contact 20" not in html
    nav = _nav(html, "Contacten")
    assert 'rel="prev"' in nav and 'rel="next"' not in nav
    assert re.search(r'aria-current="page" href="\?contacten=4&amp;tijdlijn=2#contacten"', nav)
    assert (
        _rows(html, "tijdlijn") == 12
    )  # 32 records: the world's 2 plus 30, the second page has 12
    # nonsense page numbers give a page, not an error
    assert client.get(url, {"contacten": "x", "tijdlijn": 999}).status_code == 200


def test_one_page_needs_no_controls(client, world):
    login(client, world.users["case_director"])
    html = client.get(reverse("case_detail", args=[world.cases["b"].pk])).content.decode()
    assert "utrecht-pagination" not in html


def test_page_window_keeps_first_last_and_neighbours():
    request = RequestFactory().get("/", {"page": "10"})
    page = paginate(request, list(range(500)), 25)
    assert page_window(page) == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert page_window(paginate(RequestFactory().get("/"), list(range(50)), 25)) == [1, 2]
