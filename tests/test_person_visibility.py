"""Issue 10: who sees which person where. Every role against every kind of person (case subject,
family member, company officer in and outside the enforcement areas, resident, subject of a
police signal) on every page and endpoint that shows persons, on a real database.

The expected table is written out by hand. Each cell is one of:

  N  the person's name is shown; date of birth and home address are not
  P  pseudonymised: the pseudonym is shown; name, date of birth and home address are not
  -  the page answers but the person is not on it at all
  D  denied (403), and the denial is in the audit log

and every page that answers logs its reads under the purpose of the role's work.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from doorbraak.audit.models import AuditEntry
from doorbraak.careers.models import CaseDecision, CaseMember, Concern
from doorbraak.entities.models import EntityAssignment, LinkageRun, ReviewPair
from doorbraak.registers.models import RegisterEntry
from tests import factories as f
from tests.conftest import login

ROLES = [
    "case_director",
    "partner_professional",
    "school",
    "analyst",
    "enforcement_officer",
    "lawyer",
    "policy_staff",
    "privacy_officer",
    "administrator",
]
KINDS = [
    "case_subject",
    "family_member",
    "officer_in_area",
    "officer_elsewhere",
    "resident",
    "police_signal",
]

# surface            kind               cd pp sc an en la po pr ad
TABLE = """
person_page          case_subject       D  D  D  P  D  D  D  D  D
person_page          family_member      D  D  D  P  D  D  D  D  D
person_page          officer_in_area    D  D  D  P  D  D  D  D  D
person_page          officer_elsewhere  D  D  D  P  D  D  D  D  D
person_page          resident           D  D  D  P  D  D  D  D  D
person_page          police_signal      D  D  D  P  D  D  D  D  D
person_api           case_subject       D  D  D  P  D  D  D  D  D
person_api           family_member      D  D  D  P  D  D  D  D  D
person_api           officer_in_area    D  D  D  P  D  D  D  D  D
person_api           officer_elsewhere  D  D  D  P  D  D  D  D  D
person_api           resident           D  D  D  P  D  D  D  D  D
person_api           police_signal      D  D  D  P  D  D  D  D  D
person_entity        case_subject       D  D  D  P  D  D  D  D  D
person_entity        family_member      D  D  D  P  D  D  D  D  D
person_entity        officer_in_area    D  D  D  P  D  D  D  D  D
person_entity        officer_elsewhere  D  D  D  P  D  D  D  D  D
person_entity        resident           D  D  D  P  D  D  D  D  D
person_entity        police_signal      D  D  D  P  D  D  D  D  D
search_pseudonym     case_subject       D  D  D  P  -  D  D  D  D
search_pseudonym     family_member      D  D  D  P  -  D  D  D  D
search_pseudonym     officer_in_area    D  D  D  P  -  D  D  D  D
search_pseudonym     officer_elsewhere  D  D  D  P  -  D  D  D  D
search_pseudonym     resident           D  D  D  P  -  D  D  D  D
search_pseudonym     police_signal      D  D  D  P  -  D  D  D  D
search_name          case_subject       D  D  D  -  -  D  D  D  D
search_name          family_member      D  D  D  -  -  D  D  D  D
search_name          officer_in_area    D  D  D  -  -  D  D  D  D
search_name          officer_elsewhere  D  D  D  -  -  D  D  D  D
search_name          resident           D  D  D  -  -  D  D  D  D
search_name          police_signal      D  D  D  -  -  D  D  D  D
review_queue         case_subject       D  D  D  P  -  D  D  D  D
review_queue         family_member      D  D  D  P  -  D  D  D  D
review_queue         officer_in_area    D  D  D  P  -  D  D  D  D
review_queue         officer_elsewhere  D  D  D  P  -  D  D  D  D
review_queue         resident           D  D  D  P  -  D  D  D  D
review_queue         police_signal      D  D  D  P  -  D  D  D  D
company_page         case_subject       D  D  D  -  -  D  D  D  D
company_page         family_member      D  D  D  -  -  D  D  D  D
company_page         officer_in_area    D  D  D  P  N  D  D  D  D
company_page         officer_elsewhere  D  D  D  P  P  D  D  D  D
company_page         resident           D  D  D  -  -  D  D  D  D
company_page         police_signal      D  D  D  -  -  D  D  D  D
company_entity       case_subject       D  D  D  -  -  D  D  D  D
company_entity       family_member      D  D  D  -  -  D  D  D  D
company_entity       officer_in_area    D  D  D  P  N  D  D  D  D
company_entity       officer_elsewhere  D  D  D  P  P  D  D  D  D
company_entity       resident           D  D  D  -  -  D  D  D  D
company_entity       police_signal      D  D  D  -  -  D  D  D  D
case_page            case_subject       N  N  N  D  D  D  D  D  D
case_page            family_member      N  N  N  D  D  D  D  D  D
case_page            officer_in_area    -  -  -  D  D  D  D  D  D
case_page            officer_elsewhere  -  -  -  D  D  D  D  D  D
case_page            resident           -  -  -  D  D  D  D  D  D
case_page            police_signal      -  -  -  D  D  D  D  D  D
case_api             case_subject       N  N  N  D  D  D  D  D  D
case_api             family_member      N  N  N  D  D  D  D  D  D
case_api             officer_in_area    -  -  -  D  D  D  D  D  D
case_api             officer_elsewhere  -  -  -  D  D  D  D  D  D
case_api             resident           -  -  -  D  D  D  D  D  D
case_api             police_signal      -  -  -  D  D  D  D  D  D
"""

PURPOSES = {"analyst": "risicoanalyse", "enforcement_officer": "handhaving"}
CASE_SURFACES = {"case_page", "case_api"}


def _expected():
    out = {}
    for line in TABLE.strip().splitlines():
        surface, kind, *cells = line.split()
        assert len(cells) == len(ROLES), line
        out.update({(surface, kind, role): cell for role, cell in zip(ROLES, cells, strict=True)})
    return out


EXPECTED = _expected()
SURFACES = sorted({s for s, _k, _r in EXPECTED})


def test_the_table_covers_every_role_kind_and_surface():
    assert {(s, k, r) for s in SURFACES for k in KINDS for r in ROLES} == set(EXPECTED)


@pytest.fixture
def people(world):
    """The six kinds of person, each with a unique name, a date of birth and a home of their own."""
    today = timezone.localdate()
    homes = {
        k: f.PremisesFactory(
            street=f"Woonstraat{i}", postcode=f"35{i}1XY", wijk="zuid", area="", use="woonfunctie"
        )
        for i, k in enumerate(KINDS, start=1)
    }
    homes["resident"].area, homes["resident"].street = (
        "amsterdamsestraatweg",
        "Amsterdamsestraatweg",
    )
    homes["resident"].save()
    p = {
        "case_subject": world.persons["subject_a"],  # subject of case A, turned 18 today
        "family_member": f.PersonFactory(
            given_names="Lina", surname_prefix="", surname="Gezinslidtest"
        ),
        "officer_in_area": world.persons["officer"],  # officer of the garage in Nieuw Overvecht
        "officer_elsewhere": f.PersonFactory(
            given_names="Otto", surname_prefix="", surname="Elderstest"
        ),
        "resident": f.PersonFactory(given_names="Ria", surname_prefix="", surname="Bewonertest"),
        "police_signal": f.PersonFactory(
            given_names="Sven", surname_prefix="", surname="Signaaltest"
        ),
    }
    p["officer_in_area"].given_names, p["officer_in_area"].surname_prefix = "Olaf", ""
    p["officer_in_area"].surname = "Gebiedtest"
    p["case_subject"].birth_date = today.replace(year=today.year - 18)
    for kind, person in p.items():
        person.residence = homes[kind]
        person.save()
    elsewhere = f.CompanyFactory(
        name="Garage Elders B.V.",
        establishment=f.PremisesFactory(
            street="Verrestraat", wijk="zuid", area="", postcode="3523AA"
        ),
    )
    f.OfficerFactory(company=elsewhere, person=p["officer_elsewhere"])
    companies = {"officer_in_area": world.companies["garage"], "officer_elsewhere": elsewhere}
    RegisterEntry.objects.create(
        source=homes["resident"].source,
        received_on=today,
        kind="police_signal",
        key="PS-1",
        occurred_on=today,
        description="Melding overlast",
        premises=homes["resident"],
        data={"pseudonym": p["police_signal"].pseudonym},
    )
    # case A: the subject and a sibling, each through a decision of the case conference
    case = world.cases["a"]
    for kind, role in (("case_subject", "subject"), ("family_member", "sibling")):
        concern = Concern.objects.create(
            person=p[kind],
            organisation=world.orgs["politie"],
            received_on=date(2026, 1, 5),
            description="Signalen van ronselen.",
            status="decided",
        )
        decision = CaseDecision.objects.create(
            concern=concern,
            person=p[kind],
            decided_on=date(2026, 1, 10),
            outcome="individual",
            case=case,
            reasons="Besloten.",
            legal_basis="AVG",
        )
        CaseMember.objects.create(
            case=case, person=p[kind], role=role, decision=decision, since=date(2026, 1, 10)
        )
    # a linkage run: each person its own entity and in one pair of the review queue with a namesake
    now = timezone.now()
    run = LinkageRun.objects.create(
        entity_type="person", started_at=now, finished_at=now, started_by="test"
    )
    crun = LinkageRun.objects.create(
        entity_type="company", started_at=now, finished_at=now, started_by="test"
    )
    entities = {}
    for i, (kind, person) in enumerate(p.items(), start=1):
        entities[kind] = f"per-k{i}"
        EntityAssignment.objects.create(
            run=run, record_type="person", record_id=person.pk, entity_id=f"per-k{i}"
        )
        twin = f.PersonFactory(
            given_names="Tweeling", surname_prefix="", surname=f"Dubbel{i}", birth_date=None
        )
        ReviewPair.objects.create(
            run=run,
            left_record=f"person-{person.pk}",
            right_record=f"person-{twin.pk}",
            match_probability=0.7,
            explanation={"comparisons": []},
        )
    company_entities = {}
    for i, company in enumerate((world.companies["garage"], elsewhere), start=1):
        EntityAssignment.objects.create(
            run=crun, record_type="company", record_id=company.pk, entity_id=f"org-k{i}"
        )
        company_entities[company.pk] = f"org-k{i}"
    return {
        "persons": p,
        "entities": entities,
        "companies": companies,
        "company_entities": company_entities,
    }


def _request(client, world, people, surface, kind):
    person = people["persons"][kind]
    company = people["companies"].get(kind, people["companies"]["officer_elsewhere"])
    if surface == "person_page":
        return client.get(reverse("person_detail", kwargs={"pk": person.pk}))
    if surface == "person_api":
        return client.get(reverse("api_person", kwargs={"pk": person.pk}))
    if surface == "person_entity":
        return client.get(reverse("entity_detail", kwargs={"entity_id": people["entities"][kind]}))
    if surface == "search_pseudonym":
        return client.get(reverse("entity_search"), {"q": person.pseudonym})
    if surface == "search_name":
        return client.get(reverse("entity_search"), {"q": person.surname})
    if surface == "review_queue":
        return client.get(reverse("entity_review"))
    if surface == "company_page":
        return client.get(reverse("company_detail", kwargs={"pk": company.pk}))
    if surface == "company_entity":
        return client.get(
            reverse("entity_detail", kwargs={"entity_id": people["company_entities"][company.pk]})
        )
    if surface == "case_page":
        return client.get(reverse("case_detail", kwargs={"pk": world.cases["a"].pk}))
    if surface == "case_api":
        return client.get(reverse("api_dossier", kwargs={"pk": world.cases["a"].pk}))
    raise AssertionError(surface)


def _shown(text: str, person) -> dict:
    birth = person.birth_date
    birth_forms = set()
    if birth:
        birth_forms = {birth.isoformat(), birth.strftime("%d-%m-%Y")}
        for lang in ("nl", "en"):
            with translation.override(lang):
                birth_forms |= {
                    formats.date_format(birth),
                    formats.date_format(birth, "SHORT_DATE_FORMAT"),
                }
    return {
        "name": person.full_name in text,
        "birth_date": any(b in text for b in birth_forms),
        "address": person.residence.address in text or person.residence.street in text,
        "pseudonym": person.pseudonym in text,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("surface", SURFACES)
def test_who_sees_which_person_where(client, world, people, surface, role):
    user = world.users[role]
    login(client, user)
    problems = []
    for kind in KINDS:
        expected = EXPECTED[(surface, kind, role)]
        person = people["persons"][kind]
        last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = _request(client, world, people, surface, kind)
        entries = list(AuditEntry.objects.filter(id__gt=last_audit))
        where = f"{surface} × {kind} × {role}"
        if expected == "D":
            if response.status_code != 403:
                problems.append(f"{where}: expected denied, got {response.status_code}")
            elif not any(e.action == "deny" and e.username == user.username for e in entries):
                problems.append(f"{where}: denial not audited")
            continue
        if response.status_code != 200:
            problems.append(f"{where}: expected {expected}, got HTTP {response.status_code}")
            continue
        text = response.content.decode()
        if surface.startswith(
            "search_"
        ):  # the query itself is echoed in the search box: look at the results
            text = text.split('id="resultaten"', 1)[1] if 'id="resultaten"' in text else ""
        shown = _shown(text, person)
        want = {"N": {"name"}, "P": {"pseudonym"}, "-": set()}[expected]
        got = {k for k, v in shown.items() if v}
        if expected == "N":
            got.discard("pseudonym")  # a name may come with the pseudonym
        if got != want:
            problems.append(f"{where}: expected {expected} ({sorted(want)}), shows {sorted(got)}")
        purpose = "casusaanpak" if surface in CASE_SURFACES else PURPOSES[role]
        reads = [e for e in entries if e.action == "read"]
        if not reads and expected != "-":
            problems.append(f"{where}: the read is not audited")
        wrong = sorted({e.purpose for e in reads} - {purpose})
        if wrong:
            problems.append(f"{where}: read logged under {wrong}, not {purpose}")
        if surface not in CASE_SURFACES:
            identity_logged = any("identity" in (e.data_categories or "") for e in reads)
            if identity_logged != (expected == "N"):
                problems.append(
                    f"{where}: identity category logged={identity_logged} for {expected}"
                )
    assert problems == []


def test_an_enforcement_officer_sees_an_officer_only_as_a_fact_about_the_company(
    client, world, people
):
    """The named officer of a company in the area: name and function on the company page, and no
    link to a page about the person, no residence and no other companies in the network."""
    login(client, world.users["enforcement_officer"])
    officer = people["persons"]["officer_in_area"]
    page = client.get(
        reverse("company_detail", kwargs={"pk": world.companies["garage"].pk})
    ).content.decode()
    assert officer.full_name in page and "bestuurder" in page
    assert reverse("person_detail", kwargs={"pk": officer.pk}) not in page
    network = client.get(reverse("entity_detail", kwargs={"entity_id": "org-k1"})).content.decode()
    assert officer.full_name in network and "woont op" not in network
    assert reverse("person_detail", kwargs={"pk": officer.pk}) not in network
    assert "per-k3" not in network  # the officer's person entity is not linked


def test_without_the_covenant_grant_the_enforcement_officer_sees_no_officer_names(
    client, world, people
):
    from doorbraak.partners.models import CovenantGrant

    CovenantGrant.objects.filter(organisation=world.orgs["vth"], data_category="identity").delete()
    login(client, world.users["enforcement_officer"])
    page = client.get(
        reverse("company_detail", kwargs={"pk": world.companies["garage"].pk})
    ).content.decode()
    officer = people["persons"]["officer_in_area"]
    assert officer.full_name not in page and officer.pseudonym in page
