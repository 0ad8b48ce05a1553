"""Entity search for analysts and enforcement officers: companies by name, KvK number and
address, persons by pseudonym; by name, address and birth year only where the identity is
shown (reveal rules). Pseudonymisation kept, every search audited, other roles denied."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.entities import services
from tests import factories as f
from tests.conftest import login

URL = reverse("entity_search")


@pytest.fixture
def linked(register):
    services.run_register_linkage("person")
    services.run_register_linkage("company")
    return register


def entity_id(register, name, kind="person"):
    obj = register.persons[name] if kind == "person" else register.companies[name]
    return services.assignments_of(services.latest_run(kind))[f"{kind}-{obj.pk}"]


def search(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def result_links(page):
    return re.findall(r'<td><a class="utrecht-link" href="([^"]+)">', page)


def test_companies_by_name_kvk_and_address(client, world, linked):
    login(client, world.users["analyst"])
    shisha = reverse("entity_detail", kwargs={"entity_id": entity_id(linked, "shisha", "company")})
    kapper = reverse("entity_detail", kwargs={"entity_id": entity_id(linked, "kapper", "company")})
    page = search(client, q="shisha")
    assert (
        result_links(page) == [shisha]
        and "Shisha Lounge Noord V.O.F." in page
        and "1 resultaat" in page
    )
    assert result_links(search(client, q="23456789")) == [shisha]
    # postcode + house number: the companies established there; the residents (pseudonymised) not
    page = search(client, q="3513 ag 100")
    assert set(result_links(page)) == {shisha, kapper}
    assert (
        linked.persons["kees"].pseudonym not in page
        and linked.persons["kees2"].pseudonym not in page
    )
    # two garages (other KvK numbers: two entities)
    page = search(client, q="Autobedrijf Zeeweg")
    garages = [entity_id(linked, "garage", "company"), entity_id(linked, "garage2", "company")]
    assert set(result_links(page)) == {
        reverse("entity_detail", kwargs={"entity_id": g}) for g in garages
    }
    entry = AuditEntry.objects.filter(action="read", object_type="entity_search").last()
    assert entry.username == "analist" and entry.purpose == "risicoanalyse"
    assert entry.detail["q"] == "Autobedrijf Zeeweg" and entry.detail["how"] == "name"
    assert set(entry.detail["shown"]) == set(garages) and entry.object_id == "2 resultaten"
    assert AuditEntry.objects.filter(action="read", object_type="entity_search").count() == 4


def test_persons_by_pseudonym_stay_pseudonymised(client, world, linked):
    login(client, world.users["analyst"])
    jan2 = linked.persons["jan2"]
    page = search(client, q=jan2.pseudonym.lower())
    assert result_links(page) == [
        reverse("entity_detail", kwargs={"entity_id": entity_id(linked, "jan2")})
    ]
    assert jan2.pseudonym in page and "gepseudonimiseerd" in page
    assert "Berg" not in page and "1980" not in page and "Nijverheidsweg" not in page
    read = AuditEntry.objects.filter(action="read", object_type="person").last()
    assert read.detail["ids"] == [str(jan2.pk)] and read.data_categories == ""
    search_entry = AuditEntry.objects.get(action="read", object_type="entity_search")
    assert search_entry.data_categories == "" and search_entry.detail["how"] == "pseudonym"


def test_analyst_finds_persons_by_name_only_after_reveal(client, world, linked):
    login(client, world.users["analyst"])
    piet, moved = linked.persons["piet"], linked.persons["piet_moved"]
    for params in (
        {"q": "Piet Bakker"},
        {"q": "Bakker", "soort": "person"},
        {"q": "3526KL 7"},
        {"q": moved.pseudonym, "geboortejaar": "1969"},
        {"q": "Bakker", "geboortejaar": "1969"},
    ):
        page = search(client, **params)
        assert result_links(page) == [] and "0 resultaten" in page, params
        assert piet.pseudonym not in page and "Kanaalweg" not in page
    client.post(
        reverse("person_reveal", kwargs={"pk": piet.pk}), {"reason": "Onderzoek pand Kanaalweg 7"}
    )
    page = search(client, q="piet bakker")
    assert result_links(page) == [
        reverse("entity_detail", kwargs={"entity_id": entity_id(linked, "piet")})
    ]
    assert "Piet Bakker" in page and moved.pseudonym not in page
    # birth year narrows the revealed persons; pseudonymised ones are never searched by it
    assert len(result_links(search(client, q="Bakker", geboortejaar="1969"))) == 1
    assert result_links(search(client, q="Bakker", geboortejaar="1970")) == []
    assert result_links(search(client, q=moved.pseudonym, geboortejaar="1969")) == []
    # by address: the revealed resident and nothing about the others
    page = search(client, q="3526KL 7", soort="person")
    assert "Piet Bakker" in page and linked.persons["sam_namesake"].pseudonym not in page
    entry = AuditEntry.objects.filter(action="read", object_type="entity_search").last()
    assert entry.data_categories == "identity"


def test_enforcement_officer_finds_no_persons_even_with_identity_in_the_covenant(
    client, world, linked
):
    """Issue 10: enforcement sees who runs a company in its areas on the company's page, and
    nothing else about persons: not by name, not by pseudonym (the covenant grant does not open it)."""
    login(client, world.users["enforcement_officer"])
    page = search(client, q="Fatima")
    assert "Fatima el Amrani" not in page and "Fatima el Amranni" not in page
    assert result_links(page) == []
    entry = AuditEntry.objects.get(action="read", object_type="entity_search")
    assert entry.purpose == "handhaving" and entry.data_categories == ""
    assert result_links(search(client, q=linked.persons["fat1"].pseudonym)) == []


def test_unlinked_records_pagination_and_errors(client, world, register):
    for i in range(30):
        f.CompanyFactory(name=f"Testhandel {i:02d} B.V.", kvk_number=f"7700{i:04d}")
    login(client, world.users["analyst"])
    page = search(client, q="testhandel")  # no linkage run yet: each record is its own result
    assert (
        "30 resultaten" in page and len(result_links(page)) == 25 and "nog niet gekoppeld" in page
    )
    assert "/bedrijven/" in result_links(page)[0] or "company" in result_links(page)[0]
    assert "?q=testhandel&amp;page=2" in page  # the next page keeps the query (& escaped in HTML)
    page2 = search(client, q="testhandel", page=2)
    assert len(result_links(page2)) == 5
    assert "ten minste twee tekens" in search(client, q="x")
    assert "vier cijfers" in search(client, q="Bakker", geboortejaar="19")
    empty = search(client)
    assert 'id="resultaten"' not in empty and 'role="search"' in empty
    assert AuditEntry.objects.filter(object_type="entity_search").count() == 2  # only real searches


@pytest.mark.parametrize(
    "role",
    [
        "case_director",
        "partner_professional",
        "lawyer",
        "policy_staff",
        "privacy_officer",
        "administrator",
    ],
)
def test_other_roles_are_denied_and_it_is_audited(client, world, linked, role):
    login(client, world.users[role])
    response = client.get(URL, {"q": "shisha"})
    assert response.status_code == 403
    denial = AuditEntry.objects.filter(action="deny").last()
    assert denial.username == world.users[role].username and denial.object_id == "entity_search"
    assert not AuditEntry.objects.filter(object_type="entity_search").exists()


def test_search_is_in_the_navigation_and_linked_from_entity_pages(client, world, linked):
    login(client, world.users["analyst"])
    home = client.get(reverse("home")).content.decode()
    assert f'href="{URL}"' in home
    page = client.get(
        reverse("entity_detail", kwargs={"entity_id": entity_id(linked, "jan1")})
    ).content.decode()
    assert f'href="{URL}"' in page
    login(client, world.users["lawyer"])
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()
