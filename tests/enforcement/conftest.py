"""A small enforcement world on top of the shared one: premises in the two focus areas and one
outside them, a second enforcement officer and a second lawyer (for four eyes)."""

from __future__ import annotations

import pytest

from tests import factories as f


def verified(user):
    user.is_verified = lambda: True
    return user


@pytest.fixture
def ew(world):
    import importlib

    from django.apps import apps

    from doorbraak.partners.models import Role

    # The ladder is seeded by a data migration; a transactional test elsewhere in the run (on
    # PostgreSQL) flushes it, so it is seeded again here, the same way.
    importlib.import_module("doorbraak.enforcement.migrations.0002_escalation_ladder").seed(
        apps, None
    )

    u = world.users
    for name in list(u):
        verified(u[name])
    u["officer2"] = verified(
        f.UserFactory(
            username="handhaver2", organisation=world.orgs["vth"], role=Role.ENFORCEMENT_OFFICER
        )
    )
    u["lawyer2"] = verified(
        f.UserFactory(username="jurist2", organisation=world.orgs["jz"], role=Role.LAWYER)
    )
    world.premises = {
        "shop": f.PremisesFactory(bag_id="0344010000900001", area="nieuw_overvecht"),
        "home": f.PremisesFactory(
            bag_id="0344010000900002",
            area="amsterdamsestraatweg",
            wijk="noordwest",
            use="woonfunctie",
            street="Amsterdamsestraatweg",
        ),
        "outside": f.PremisesFactory(
            bag_id="0344010000900003", area="", wijk="zuid", street="Rivierenlaan"
        ),
    }
    world.companies["shop_co"] = f.CompanyFactory(
        kvk_number="91000001", establishment=world.premises["shop"]
    )
    return world


@pytest.fixture
def officer(ew):
    return ew.users["enforcement_officer"]


@pytest.fixture
def lawyer(ew):
    return ew.users["lawyer"]
