"""What the entities app adds to the site: its menu items (registered in ``ready()``)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from doorbraak.policy import Capability as C
from doorbraak.web.navigation import register_nav


def register() -> None:
    register_nav("entity_review", gettext_noop("Entiteiten"), C.REGISTERS_VIEW, order=110)
    register_nav("entity_search", gettext_noop("Entiteit zoeken"), C.REGISTERS_VIEW, order=120)
