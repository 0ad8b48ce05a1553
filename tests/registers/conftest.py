from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def sources(db, areas):
    """The sources of the verwerkingsregister the fixtures belong to."""
    from doorbraak.privacy.models import ActivityKind
    from tests import factories as f

    owner = f.OrganisationFactory(code="gemeente-oov", name="Gemeente Utrecht OOV")
    purpose = f.PurposeFactory(code="risicoanalyse")

    def source(code, name, categories):
        return f.ActivityFactory(
            code=code,
            name=name,
            kind=ActivityKind.SOURCE,
            controller=owner,
            purpose=purpose,
            data_categories=categories,
            retention_days=730,
            refreshed_on=None,
        )

    return {
        "bag": source("bron-bag", "BAG", ["premises"]),
        "kvk": source("bron-kvk-handelsregister", "Handelsregister", ["identity", "premises"]),
        "brp": source("bron-brp-bewoning", "BRP-bewoning", ["identity", "contact", "premises"]),
        "closures": source("bron-sluitingen", "Sluitingen", ["identity", "premises", "justice"]),
    }


@pytest.fixture
def run(sources):
    """Import a fixture file: run("bag", "bag_v1.csv", received_on=...)."""
    from doorbraak.registers.importers import import_file

    def _run(source: str, name: str | Path, received_on=date(2026, 10, 1), **kwargs):
        path = name if isinstance(name, Path) else FIXTURES / name
        return import_file(
            sources[source], path, received_on=received_on, username="test:import", **kwargs
        )

    return _run
