"""Hand-made register data for the risk app: few enough objects to know every number."""

from __future__ import annotations

from datetime import date

import pytest

AS_OF = date(2026, 12, 1)


def bsn(n: int) -> str:
    """A synthetic BSN passing the 11-test (the n-th one from 10000000 on)."""
    while True:
        base = f"{10000000 + n:08d}"
        check = sum(int(d) * w for d, w in zip(base, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return base + str(check)
        n += 1


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def register(world, var_dir):
    """Nieuw Overvecht: a registration address with 5 active companies (one of which, a car
    business, had 3 officer changes in 24 months), a closed premises where residents are
    registered although it is not a dwelling, and a quiet office; Oost: a café without a permit
    and a dwelling with residents. The world fixture adds one car garage (Nieuw Overvecht)."""
    from doorbraak.registers.models import RegisterEntry
    from tests import factories as f

    kvk = f.ActivityFactory(code="kvk", name="KvK")
    closures = f.ActivityFactory(code="bron-sluitingen", name="Sluitingen")
    permits = f.ActivityFactory(code="bron-vergunningen", name="Vergunningen")
    hub = f.PremisesFactory(bag_id="0344010000900001", street="Nevadadreef", house_number=10)
    closed = f.PremisesFactory(bag_id="0344010000900002", street="Nevadadreef", house_number=12)
    quiet = f.PremisesFactory(bag_id="0344010000900003", street="Nevadadreef", house_number=14)
    cafe_p = f.PremisesFactory(
        bag_id="0344010000900004",
        street="Biltstraat",
        house_number=5,
        postcode="3572AA",
        wijk="oost",
        area="",
        use="bijeenkomstfunctie",
        lat=52.09,
        lon=5.13,
    )
    home = f.PremisesFactory(
        bag_id="0344010000900005",
        street="Biltstraat",
        house_number=7,
        postcode="3572AA",
        wijk="oost",
        area="",
        use="woonfunctie",
        lat=52.091,
        lon=5.131,
    )
    shells = [
        f.CompanyFactory(
            kvk_number=f"9100000{i}",
            name=f"Holding {i} B.V.",
            sbi_code="70102" if i else "45111",
            sbi_description="Holdings" if i else "Handel in auto's",
            establishment=hub,
            source=kvk,
            registered_on=date(2024, 1, 1),
        )
        for i in range(5)
    ]
    car = shells[0]
    for n, (since, until) in enumerate(
        [(date(2025, 1, 10), date(2025, 8, 1)), (date(2025, 8, 1), None)]
    ):
        f.OfficerFactory(
            company=car,
            person=f.PersonFactory(bsn=""),
            since=since,
            until=until,
            role=f"bestuurder{n}",
            source=kvk,
        )
    # 3 changes: started 2025-01-10, ended 2025-08-01, started 2025-08-01
    f.CompanyFactory(
        kvk_number="91000010",
        name="Kantoor B.V.",
        sbi_code="6201",
        sbi_description="Software",
        establishment=quiet,
        source=kvk,
    )
    cafe = f.CompanyFactory(
        kvk_number="91000011",
        name="Café De Hoek",
        sbi_code="5630",
        sbi_description="Cafés",
        establishment=cafe_p,
        source=kvk,
        registered_on=date(2019, 5, 1),
    )
    RegisterEntry.objects.create(
        source=closures,
        kind="closure",
        key="13B-2024-007",
        occurred_on=date(2024, 3, 1),
        ends_on=date(2024, 9, 1),
        description="Opiumwet art. 13b",
        premises=closed,
        received_on=date(2026, 10, 1),
        data={"duration_months": 6, "object_type": "lokaal"},
    )
    RegisterEntry.objects.create(
        source=permits,
        kind="permit",
        key="EXP-2018-1",
        occurred_on=date(2018, 1, 1),
        ends_on=date(2023, 1, 1),
        description="Exploitatievergunning",
        company=cafe,
        premises=cafe_p,
        received_on=date(2026, 10, 1),
        data={"status": "verleend"},
    )
    for n in range(2):
        f.PersonFactory(residence=closed, bsn=bsn(n * 3), pseudonym=f"P-RES{n:05d}")
    f.PersonFactory(residence=home, bsn=bsn(100))
    return {
        "hub": hub,
        "closed": closed,
        "quiet": quiet,
        "cafe_premises": cafe_p,
        "home": home,
        "car": car,
        "cafe": cafe,
        "shells": shells,
    }


@pytest.fixture
def run(register):
    from doorbraak.risk import actions

    return actions.start_run(requested_by="test", as_of=AS_OF)
