"""Demo code never touches a real installation.

Demo mode (DOORBRAAK_DEMO_MODE=1) is set by `make demo` and `doorbraak demo`. The demo builds its
city only into a database without users or organisations (freshly migrated) and marks it
(`DemoDatabase`); from then on that database is a demo database. Demo accounts (a public password,
TOTP keys derived from the source), their codes, the demo bank data and `demo_city --reset` all
need both demo mode and the marker."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from .models import DemoDatabase


class NotADemo(RuntimeError):
    pass


def demo_mode() -> bool:
    return bool(settings.DEMO_MODE)


def is_demo_database() -> bool:
    return DemoDatabase.objects.exists()


def require_demo_mode(what: str) -> None:
    if not demo_mode():
        raise NotADemo(
            f"{what}: alleen in demomodus (DOORBRAAK_DEMO_MODE=1, zoals `make demo` en "
            f"`doorbraak demo` die zetten)."
        )


def require_demo_database(what: str) -> None:
    require_demo_mode(what)
    if not is_demo_database():
        raise NotADemo(
            f"{what}: deze database is niet door de demo gemaakt; demo-code raakt een echte "
            f"installatie nooit aan. Gebruik een eigen DOORBRAAK_VAR_DIR of database voor de demo."
        )


@transaction.atomic
def claim_for_demo(seed: int) -> None:
    """Mark a fresh database as the demo's; refuse one that already holds users or organisations."""
    from doorbraak.partners.models import Organisation, User

    require_demo_mode("De demostad bouwen")
    if is_demo_database():
        return
    if User.objects.exists() or Organisation.objects.exists():
        raise NotADemo(
            "De demostad bouwen: deze database heeft al gebruikers of organisaties en is niet door "
            "de demo gemaakt; de demo bouwt alleen in een lege database."
        )
    DemoDatabase.objects.create(seed=seed)
