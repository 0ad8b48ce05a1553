"""What the areas app adds to the site: its menu item (registered in ``AreasConfig.ready()``)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from doorbraak.policy import Capability as C
from doorbraak.web.navigation import register_nav


def register() -> None:
    register_nav("area_list", gettext_noop("Gebieden"), C.AREAS_MANAGE, order=215)
