"""Account security: lock-out per account across addresses, one answer for every failed login,
all password validators, the idle-session timeout, backup codes for the second factor and their
audited reset by an administrator, and the second-factor rule for policy staff (ADR 0005)."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from doorbraak import policy
from doorbraak.audit.models import AuditEntry
from doorbraak.web.auth import LOGIN_FAILED_MESSAGE, SessionTimeoutMiddleware
from tests import factories as f
from tests.conftest import login


def _code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _post_login(client, username, password, otp="", addr="192.0.2.10"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password, "otp_token": otp},
        REMOTE_ADDR=addr,
    )


# --- lock-out --------------------------------------------------------------------------------


def test_guessing_one_account_from_many_addresses_locks_it(client, world):
    """Password spraying across addresses: each address fails once only, yet the account locks."""
    for i in range(5):
        _post_login(client, "regisseur", f"geraden-wachtwoord-{i}", addr=f"198.51.100.{i + 1}")
    device = world.users["case_director"].totpdevice_set.get()
    response = _post_login(client, "regisseur", f.PASSWORD, _code(device), addr="198.51.100.200")
    assert response.status_code == 429
    assert client.get(reverse("home")).status_code == 302  # not logged in
    # Another account is not affected.
    device = world.users["analyst"].totpdevice_set.get()
    response = _post_login(client, "analist", f.PASSWORD, _code(device), addr="198.51.100.1")
    assert response.status_code == 302 and response["Location"] == reverse("home")


# --- one answer for every failure ------------------------------------------------------------


def test_login_answers_the_same_whatever_was_wrong(client, world):
    device = world.users["analyst"].totpdevice_set.get()
    answers = []
    for username, password, otp in [
        ("analist", "verkeerd-wachtwoord-1", _code(device)),  # wrong password, right code
        ("analist", f.PASSWORD, "000000"),  # right password, wrong code
        ("analist", f.PASSWORD, ""),  # right password, no code
        ("bestaat-niet", "verkeerd-wachtwoord-2", "123456"),  # no such account
    ]:
        response = _post_login(client, username, password, otp)
        body = response.content.decode()
        assert str(LOGIN_FAILED_MESSAGE) in body
        answers.append((response.status_code, body.count('role="alert"')))
    assert len(set(answers)) == 1 and answers[0][0] == 401
    for text in ("wachtwoord onjuist", "Verificatiecode ontbreekt", "code is onjuist"):
        assert text not in body


# --- passwords -------------------------------------------------------------------------------


def test_all_django_password_validators_apply(world):
    user = world.users["analyst"]
    for weak in ("123456789012345", "password1234", "analist12345", "kort"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("paard-batterij-nietje-correct", user)


# --- idle timeout ----------------------------------------------------------------------------


def _age_session(client, seconds: int) -> None:
    session = client.session
    session[SessionTimeoutMiddleware.KEY] = int(time.time()) - seconds
    session.save()


def test_an_idle_session_ends_and_an_active_one_does_not(client, world, settings):
    settings.SESSION_IDLE_MINUTES = 30
    login(client, world.users["analyst"])
    assert client.get(reverse("home")).status_code == 200  # the first request records the time
    _age_session(client, 29 * 60)
    assert client.get(reverse("home")).status_code == 200
    _age_session(client, 31 * 60)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302  # logged out, not just redirected once
    assert AuditEntry.objects.filter(
        username="analist", object_type="session", detail__reason="idle"
    ).exists()


def test_an_idle_api_session_gets_a_401_problem(client, world, settings):
    login(client, world.users["analyst"])
    client.get(reverse("api_me"))
    _age_session(client, (settings.SESSION_IDLE_MINUTES + 1) * 60)
    response = client.get(reverse("api_me"))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_the_eight_hour_limit_stays(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert 0 < settings.SESSION_IDLE_MINUTES * 60 < settings.SESSION_COOKIE_AGE


# --- backup codes ----------------------------------------------------------------------------


def _enrol(client, user):
    """First login and TOTP set-up; returns the backup codes shown afterwards."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _post_login(client, user.username, f.PASSWORD)
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("otp_setup"), {"otp_token": _code(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert code in response.content.decode()
    return codes


def test_backup_codes_are_shown_once_and_each_works_once(client, world):
    user = f.UserFactory(username="nieuw", organisation=world.orgs["politie"], with_totp=False)
    codes = _enrol(client, user)
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    # a backup code instead of the app's code
    response = _post_login(client, "nieuw", f.PASSWORD, codes[0])
    assert response.status_code == 302 and response["Location"] == reverse("home")
    entry = AuditEntry.objects.filter(action="login", username="nieuw").last()
    assert entry.detail["backup_code"] is True
    client.post(reverse("logout"))
    # ... once
    assert _post_login(client, "nieuw", f.PASSWORD, codes[0]).status_code == 401
    assert StaticToken.objects.filter(device__user=user).count() == 9
    # The page says how many are left, and never shows them again. (django-otp backs off after
    # the wrong code above; the test does not wait.)
    StaticDevice.objects.filter(user=user).update(throttling_failure_count=0)
    assert _post_login(client, "nieuw", f.PASSWORD, codes[1]).status_code == 302
    page = client.get(reverse("otp_backup_codes")).content.decode()
    assert "8" in page and codes[2] not in page


def test_new_backup_codes_replace_the_old_ones(client, world):
    user = world.users["analyst"]
    login(client, user)
    first = client.post(reverse("otp_backup_codes")).context["codes"]
    second = client.post(reverse("otp_backup_codes")).context["codes"]
    assert not set(first) & set(second)
    tokens = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert tokens == set(second)
    assert (
        AuditEntry.objects.filter(username="analist", object_type="otp_backup_codes").count() == 2
    )


def test_policy_staff_have_no_backup_codes_page(client, world):
    login(client, world.users["policy_staff"])
    assert client.get(reverse("otp_backup_codes"))["Location"] == reverse("home")


def test_administrator_reset_removes_app_and_backup_codes_and_is_audited(client, world):
    user = world.users["analyst"]
    login(client, user)
    codes = client.post(reverse("otp_backup_codes")).context["codes"]
    client.post(reverse("logout"))
    login(client, world.users["administrator"])
    response = client.post(reverse("user_reset_second_factor", args=[user.pk]))
    assert response.status_code == 302
    assert not StaticDevice.objects.filter(user=user).exists()
    assert not user.totpdevice_set.exists()
    entry = AuditEntry.objects.filter(
        username="beheer", object_type="user", object_id=str(user.pk)
    ).last()
    assert "second_factor" in str(entry.detail) and entry.detail.get("devices_removed") == 2
    client.post(reverse("logout"))
    # An old backup code no longer opens the account: it has to enrol again.
    response = _post_login(client, "analist", f.PASSWORD, codes[0])
    assert response["Location"] == reverse("otp_setup")


# --- policy staff (ADR 0005) -----------------------------------------------------------------


def test_policy_staff_second_factor_follows_the_setting(world, settings):
    beleid = world.users["policy_staff"]
    settings.SECOND_FACTOR_ALL_ROLES = False
    assert not policy.requires_second_factor(beleid)
    assert policy.requires_second_factor(world.users["analyst"])
    settings.SECOND_FACTOR_ALL_ROLES = True
    assert policy.requires_second_factor(beleid)
    assert not policy.is_verified(beleid)  # no device yet: must enrol first


def test_policy_staff_see_no_personal_data_capability():
    """The ADR's premise: the role without a second factor holds no capability on personal data."""
    aggregates_only = {
        getattr(policy.Capability, name)
        for name in ("MONITORING_VIEW", "MONITORING_REPORT", "PREVENTION_REGISTER")
        if hasattr(policy.Capability, name)
    }
    assert policy.Role.POLICY_STAFF in policy.ROLES_WITHOUT_PERSONAL_DATA
    for role in policy.ROLES_WITHOUT_PERSONAL_DATA:
        assert policy.ROLE_CAPABILITIES[role] <= aggregates_only, role
