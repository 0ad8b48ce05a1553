"""Logging in: password plus TOTP for every role that sees personal data; lockout."""

from __future__ import annotations

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from doorbraak.audit.models import AuditEntry
from tests import factories as f


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_password_and_code_reach_the_home_page(client, world):
    user = world.users["analyst"]
    device = user.totpdevice_set.get()
    response = client.post(
        reverse("login"),
        {"username": "analist", "password": f.PASSWORD, "otp_token": _code(device)},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert AuditEntry.objects.filter(action="login", username="analist").exists()


def test_password_without_code_is_refused_for_roles_with_personal_data(client, world):
    response = client.post(reverse("login"), {"username": "analist", "password": f.PASSWORD})
    assert response.status_code == 401
    assert "Verificatiecode" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    response = client.post(
        reverse("login"), {"username": "analist", "password": f.PASSWORD, "otp_token": "000000"}
    )
    assert response.status_code == 401


def test_policy_staff_logs_in_with_password_only(client, world):
    response = client.post(reverse("login"), {"username": "beleid", "password": f.PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("monitoring")).status_code == 200


def test_first_login_without_device_must_enrol_a_second_factor(client, world):
    user = f.UserFactory(username="nieuw", organisation=world.orgs["politie"], with_totp=False)
    response = client.post(reverse("login"), {"username": "nieuw", "password": f.PASSWORD})
    assert response["Location"] == reverse("otp_setup")
    assert client.get(reverse("case_list"))["Location"] == reverse("otp_setup")
    assert client.get(reverse("api_cases")).status_code == 403
    page = client.get(reverse("otp_setup"))
    assert "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(reverse("otp_setup"), {"otp_token": "123"}).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # django-otp backs off after a wrong code; the test does not wait
    response = client.post(reverse("otp_setup"), {"otp_token": _code(device)})
    # set up: the backup codes are shown, once, with the way on to the home page
    assert response.status_code == 200 and len(response.context["codes"]) == 10
    assert reverse("home") in response.content.decode()
    assert client.get(reverse("case_list")).status_code == 200


def test_wrong_password_five_times_locks_the_account(client, world):
    for _ in range(5):
        client.post(reverse("login"), {"username": "regisseur", "password": "fout-wachtwoord"})
    device = world.users["case_director"].totpdevice_set.get()
    response = client.post(
        reverse("login"),
        {"username": "regisseur", "password": f.PASSWORD, "otp_token": _code(device)},
    )
    assert response.status_code == 429
    assert "geblokkeerd" in response.content.decode()
    assert AuditEntry.objects.filter(action="login_failed", username="regisseur").count() >= 5


def test_english_is_available(client, world):
    client.post(reverse("set_language"), {"language": "en", "next": "/inloggen/"})
    page = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in page
    assert "Log in to Doorbraak" in page
