"""The demo's help on the login page: the demo accounts, their current second-factor codes and
the shared password. A context processor that settings.TEMPLATES installs only in demo mode
(DOORBRAAK_DEMO_MODE=1), so the login page (web/auth.py) never imports the demo; the login
template shows the help when it is in its context."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .accounts import DEMO_PASSWORD, demo_accounts_with_codes


def login_help(request) -> dict:
    # Lazy: the accounts are looked up (one query) only by a page that shows them.
    return {
        "demo_accounts": SimpleLazyObject(demo_accounts_with_codes),
        "demo_password": DEMO_PASSWORD,
    }
