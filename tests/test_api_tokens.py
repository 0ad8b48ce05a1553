"""The API for partner systems: tokens bound to an organisation and its covenant (hashed at rest,
expiring, revocable), throttling per user and per token (429 problem+json), the API-Version
header, and no browsable API outside DEBUG."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from doorbraak.api.actions import issue_token, revoke_token
from doorbraak.api.models import ApiToken, hash_token
from doorbraak.audit.models import AuditEntry
from tests import factories as f
from tests.conftest import login


@pytest.fixture(autouse=True)
def _fresh_throttle():
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


@pytest.fixture
def service(world):
    """The police's partner system: a service account in the police organisation."""
    from doorbraak.partners.models import Covenant, Role

    user = f.UserFactory(
        username="politie-systeem",
        organisation=world.orgs["politie"],
        role=Role.PARTNER_PROFESSIONAL,
        with_totp=False,
    )
    covenant = Covenant.objects.get()
    token, raw = issue_token(user=user, covenant=covenant, name="BVH-koppeling", issued_by="beheer")
    return user, covenant, token, raw


def _bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_acts_for_its_account_within_its_organisation(client, service):
    user, covenant, token, raw = service
    response = client.get(reverse("api_me"), **_bearer(raw))
    assert response.status_code == 200, response.content
    assert response.json()["username"] == "politie-systeem"
    # It sees what the account's role and organisation may: the police's cases, not the school's.
    assert client.get(reverse("api_cases"), **_bearer(raw)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    # Only the hash is stored; the token is nowhere in the database.
    assert token.key_hash == hash_token(raw) and raw not in str(vars(token))
    assert AuditEntry.objects.filter(object_type="api_token", action="create").exists()


@pytest.mark.parametrize(
    "spoil",
    ["revoked", "expired", "covenant_ended", "organisation_inactive", "left_organisation"],
)
def test_a_token_stops_working_with_its_binding(client, service, world, spoil):
    user, covenant, token, raw = service
    if spoil == "revoked":
        revoke_token(token, revoked_by="beheer")
    elif spoil == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(1))
    elif spoil == "covenant_ended":
        covenant.valid_until = timezone.localdate() - timedelta(days=1)
        covenant.save()
    elif spoil == "organisation_inactive":
        world.orgs["politie"].active = False
        world.orgs["politie"].save()
    else:
        user.organisation = world.orgs["school"]
        user.save()
    response = client.get(reverse("api_me"), **_bearer(raw))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert 'Bearer realm="Doorbraak"' in response["WWW-Authenticate"]
    assert AuditEntry.objects.filter(action="login_failed", object_type="api_token").exists()


def test_an_unknown_or_malformed_token_is_refused(client, service):
    for header in ("Bearer dbk_niet-bestaand", "Bearer", "Bearer a b"):
        response = client.get(reverse("api_me"), HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header


def test_no_token_for_superusers_administrators_or_outside_the_covenant(world):
    from doorbraak.partners.models import Covenant

    covenant = Covenant.objects.get()
    for user in (
        world.users["administrator"],
        world.users["privacy_officer"],
        f.UserFactory(username="root", is_superuser=True, organisation=world.orgs["politie"]),
    ):
        with pytest.raises(ValidationError):
            issue_token(user=user, covenant=covenant, name="x", issued_by="beheer")
    # the lawyer's organisation has no grant in the covenant
    with pytest.raises(ValidationError, match="not a party"):
        issue_token(user=world.users["lawyer"], covenant=covenant, name="x", issued_by="beheer")
    with pytest.raises(ValidationError):
        issue_token(
            user=world.users["analyst"], covenant=covenant, name="x", days=400, issued_by="b"
        )


def test_command_issues_lists_and_revokes(world, capsys):
    from doorbraak.partners.models import Covenant

    covenant = Covenant.objects.get()
    call_command(
        "api_token",
        "issue",
        "--user",
        "analist",
        "--covenant",
        str(covenant.pk),
        "--name",
        "RIEC-systeem",
        "--days",
        "30",
        "--by",
        "beheer",
    )
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    assert raw.startswith("dbk_")
    token = ApiToken.objects.get(key_hash=hash_token(raw))
    assert token.organisation == world.orgs["riec"] and token.covenant == covenant
    assert Client().get(reverse("api_me"), **_bearer(raw)).status_code == 200
    call_command("api_token", "list")
    assert "active" in capsys.readouterr().out
    call_command("api_token", "revoke", token.prefix, "--by", "beheer")
    assert Client().get(reverse("api_me"), **_bearer(raw)).status_code == 401
    with pytest.raises(CommandError):
        call_command(
            "api_token", "issue", "--user", "beheer", "--covenant", str(covenant.pk),
            "--name", "x", "--by", "beheer",
        )  # fmt: skip


# --- throttling ------------------------------------------------------------------------------


def _rates(**rates):
    from django.conf import settings

    conf = dict(settings.REST_FRAMEWORK)
    conf["DEFAULT_THROTTLE_RATES"] = {**conf["DEFAULT_THROTTLE_RATES"], **rates}
    return override_settings(REST_FRAMEWORK=conf)


def _reload_rates():
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


def test_each_token_is_throttled_on_its_own(service, world):
    user, covenant, token, raw = service
    _other, other_raw = issue_token(
        user=world.users["analyst"], covenant=covenant, name="RIEC", issued_by="beheer"
    )
    client = Client()
    with _rates(token="3/minute"):
        _reload_rates()
        try:
            codes = [client.get(reverse("api_me"), **_bearer(raw)).status_code for _ in range(4)]
            assert codes == [200, 200, 200, 429]
            response = client.get(reverse("api_me"), **_bearer(raw))
            assert response["Content-Type"] == "application/problem+json"
            assert response.json()["status"] == 429 and int(response["Retry-After"]) > 0
            # another token has its own count
            assert client.get(reverse("api_me"), **_bearer(other_raw)).status_code == 200
        finally:
            pass
    _reload_rates()


def test_each_user_is_throttled_on_its_own(world):
    alice, bob = Client(), Client()
    login(alice, world.users["analyst"])
    login(bob, world.users["enforcement_officer"])
    with _rates(user="2/minute"):
        _reload_rates()
        codes = [alice.get(reverse("api_me")).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        assert bob.get(reverse("api_me")).status_code == 200
    _reload_rates()


# --- headers and renderers -------------------------------------------------------------------


def test_every_api_response_names_the_api_version(client, world, settings):
    assert client.get(reverse("api_me"))["API-Version"] == settings.API_VERSION  # a 401, too
    login(client, world.users["analyst"])
    response = client.get(reverse("api_me"))
    assert response.status_code == 200 and response["API-Version"] == "1.0.0"
    assert "API-Version" not in client.get(reverse("home"))


def test_no_browsable_api_outside_debug(tmp_path):
    import subprocess
    import sys

    from tests.deploy.helpers import production_env

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['rest_framework.renderers.JSONRenderer']"
