"""What the jobs app adds to the site: "my jobs" in every user's menu (registered in ``ready()``)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from doorbraak.web.navigation import register_nav


def register() -> None:
    register_nav("job_list", gettext_noop("Mijn taken"), None, order=220)
