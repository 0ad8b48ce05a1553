"""Demo accounts: one per role plus a few partner professionals, so the need-to-know differences
between partners can be shown. All accounts share one demo password; every role that works with
personal data has a confirmed TOTP device whose key is derived from the username, so the codes
are reproducible and can be shown on the login page in demo mode (and added to an authenticator
app from the base32 secret).

These accounts exist only in a demo database: creating them, and showing their codes, needs demo
mode and a database the demo made (doorbraak.demo.guards).
"""

from __future__ import annotations

import hashlib
import time
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from doorbraak.partners.models import Organisation, Role, User
from doorbraak.policy import role_needs_second_factor, works_in_django_admin

from . import reference as ref
from .guards import demo_mode, require_demo_database
from .models import DemoDatabase

DEMO_PASSWORD = "Doorbraak-demo-2026"  # noqa: S105 (synthetic demo accounts, documented in the README)
DEVICE_NAME = "Demo-authenticator"
TOTP_STEP = 30


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organisation: str
    first_name: str
    last_name: str


DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount("regisseur", Role.CASE_DIRECTOR, ref.ORG_OOV, "Demo", "Procesregisseur"),
    DemoAccount(
        "professional", Role.PARTNER_PROFESSIONAL, ref.ORG_BUURTTEAMS, "Demo", "Buurtteammedewerker"
    ),
    DemoAccount("analist", Role.ANALYST, ref.ORG_RIEC, "Demo", "Analist"),
    DemoAccount("handhaver", Role.ENFORCEMENT_OFFICER, ref.ORG_VTH, "Demo", "Handhaver"),
    DemoAccount("jurist", Role.LAWYER, ref.ORG_JZ, "Demo", "Jurist"),
    DemoAccount("beleid", Role.POLICY_STAFF, ref.ORG_OOV, "Demo", "Beleidsmedewerker"),
    DemoAccount("privacy", Role.PRIVACY_OFFICER, ref.ORG_FG, "Demo", "Privacyfunctionaris"),
    DemoAccount("beheer", Role.ADMINISTRATOR, ref.ORG_ICT, "Demo", "Beheerder"),
    DemoAccount("programma", Role.PROGRAMME_OWNER, ref.ORG_OOV, "Demo", "Programma-eigenaar"),
    DemoAccount("gebied", Role.AREA_MANAGER, ref.ORG_OOV, "Demo", "Gebiedsmanager"),
    # Extra partner professionals: same role, different organisation, different view of a case.
    DemoAccount("politie", Role.PARTNER_PROFESSIONAL, ref.ORG_POLITIE, "Demo", "Wijkagent"),
    DemoAccount("school", Role.PARTNER_PROFESSIONAL, ref.ORG_ROC, "Demo", "Schoolmentor"),
    DemoAccount("jongerenwerk", Role.PARTNER_PROFESSIONAL, ref.ORG_JOU, "Demo", "Jongerenwerker"),
    DemoAccount(
        "reclassering", Role.PARTNER_PROFESSIONAL, ref.ORG_RN, "Demo", "Reclasseringswerker"
    ),
]
DEMO_USERNAMES = [a.username for a in DEMO_ACCOUNTS]
CASE_DIRECTOR_USERNAME = "regisseur"


def needs_second_factor(role: str) -> bool:
    return role_needs_second_factor(role)


def demo_totp_key(username: str) -> str:
    """Hex TOTP key (20 bytes) derived from the username: reproducible, demo only."""
    return hashlib.sha1(
        f"doorbraak-demo-totp:{username}".encode(), usedforsecurity=False
    ).hexdigest()


def _totp(hex_key: str, now: float | None = None) -> tuple[str, int]:
    totp = TOTP(unhexlify(hex_key), step=TOTP_STEP)
    if now is not None:
        totp.time = now
    t = now if now is not None else time.time()
    return f"{totp.token():06d}", int(TOTP_STEP - (t % TOTP_STEP))


def current_code(username: str, now: float | None = None) -> str:
    return _totp(demo_totp_key(username), now)[0]


@transaction.atomic
def create_demo_accounts() -> list[User]:
    """Create or update the demo accounts and their TOTP devices (idempotent). Demo databases only."""
    require_demo_database("Demo-accounts aanmaken")
    orgs = {
        o.code: o
        for o in Organisation.objects.filter(code__in={a.organisation for a in DEMO_ACCOUNTS})
    }
    missing = {a.organisation for a in DEMO_ACCOUNTS} - orgs.keys()
    if missing:
        raise RuntimeError(
            f"Reference data missing (run seed_reference_data first): {sorted(missing)}"
        )
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: all demo accounts share it
    users = []
    for account in DEMO_ACCOUNTS:
        is_admin = works_in_django_admin(account.role)
        user, _ = User.objects.update_or_create(
            username=account.username,
            defaults={
                "role": account.role,
                "organisation": orgs[account.organisation],
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@demo.doorbraak.invalid",
                "is_active": True,
                "is_staff": is_admin,
                "is_superuser": False,
                "password": password_hash,
            },
        )
        if needs_second_factor(account.role):
            TOTPDevice.objects.update_or_create(
                user=user,
                name=DEVICE_NAME,
                defaults={
                    "key": demo_totp_key(account.username),
                    "confirmed": True,
                    "step": TOTP_STEP,
                },
            )
        else:
            TOTPDevice.objects.filter(user=user, name=DEVICE_NAME).delete()
        users.append(user)
    return users


def demo_accounts_with_codes(now: float | None = None) -> list[dict]:
    """The demo accounts with their current TOTP code, for the login page and the console.

    One query (device key via a subquery). An account listed here without a code either has no
    second factor (policy staff) or has no confirmed device yet. Outside a demo database there are
    no demo accounts: a real user who happens to be called `analist` is never listed."""
    if not demo_mode():
        return []
    device_key = (
        TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        .order_by("pk")
        .values("key")[:1]
    )
    rows = {
        u.username: u
        for u in User.objects.filter(
            Exists(DemoDatabase.objects.all()), username__in=DEMO_USERNAMES
        )
        .select_related("organisation")
        .annotate(device_key=Subquery(device_key))
    }
    result = []
    for account in DEMO_ACCOUNTS:
        user = rows.get(account.username)
        if user is None:
            continue
        needs_code = needs_second_factor(user.role)
        code, seconds_left, secret = "", 0, ""
        if needs_code and user.device_key:
            code, seconds_left = _totp(user.device_key, now)
            secret = b32encode(unhexlify(user.device_key)).decode()
        result.append(
            {
                "username": user.username,
                "password": DEMO_PASSWORD,
                "role": user.role,
                "role_label": str(Role(user.role).label),
                "organisation": user.organisation.name if user.organisation else "",
                "needs_code": needs_code,
                "code": code,
                "seconds_left": seconds_left,
                "secret": secret,
            }
        )
    return result


def format_demo_accounts(now: float | None = None) -> str:
    rows = demo_accounts_with_codes(now)
    if not rows:
        return "Geen demo-accounts gevonden. Bouw eerst de demostad: doorbraak demo_city"
    lines = [
        f"Demo-accounts (wachtwoord voor alle accounts: {DEMO_PASSWORD})",
        f"{'gebruiker':<14} {'rol':<22} {'code':<7} organisatie",
    ]
    for r in rows:
        code = r["code"] if r["needs_code"] else "—"
        lines.append(f"{r['username']:<14} {r['role_label']:<22} {code:<7} {r['organisation']}")
    seconds = next((r["seconds_left"] for r in rows if r["code"]), 0)
    if seconds:
        lines.append(
            f"Codes zijn nog {seconds} s geldig; `doorbraak demo_codes` toont nieuwe codes."
        )
    lines.append(
        "Authenticator-app: voeg het base32-geheim toe dat `doorbraak demo_codes --secrets` toont."
    )
    return "\n".join(lines)


def print_demo_accounts(stdout=None, now: float | None = None) -> None:
    text = format_demo_accounts(now)
    if stdout is None:
        print(text)  # noqa: T201
    else:
        stdout.write(text)
