"""What the money-flows app adds to the site: its menu item (registered in ``ready()``)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from doorbraak.policy import Capability as C
from doorbraak.web.navigation import register_nav


def register() -> None:
    register_nav("sector_view", gettext_noop("Kwetsbare sectoren"), C.MONEYFLOWS_VIEW, order=130)
