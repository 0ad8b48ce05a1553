"""Demo code never touches a real installation: demo accounts only in demo mode and only in a
database the demo made; `demo_city --reset` and the demo bank data refuse any other database."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from doorbraak.careers.models import Case
from doorbraak.demo.accounts import (
    DEMO_USERNAMES,
    create_demo_accounts,
    demo_accounts_with_codes,
    demo_totp_key,
)
from doorbraak.demo.generator import build_demo_city, reset_demo_data
from doorbraak.demo.guards import NotADemo
from doorbraak.demo.models import DemoDatabase
from doorbraak.moneyflows.models import SectorFigureSet
from doorbraak.partners.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_no_demo_accounts_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(NotADemo):
        build_demo_city(businesses=50, cases=0)
    with pytest.raises(NotADemo):
        create_demo_accounts()
    with pytest.raises(CommandError, match="demomodus"):
        call_command("demo_city", "--businesses", "50", "--cases", "0", "--no-registers")
    assert not User.objects.exists() and not DemoDatabase.objects.exists()


def test_demo_city_refuses_a_database_it_did_not_make(world, demo_mode):
    users = set(User.objects.values_list("username", flat=True))
    with pytest.raises(CommandError, match="niet door de demo gemaakt"):
        call_command("demo_city", "--businesses", "50", "--cases", "0", "--no-registers")
    assert set(User.objects.values_list("username", flat=True)) == users  # no demo account added
    assert not DemoDatabase.objects.exists()


def test_reset_refused_on_a_non_demo_database(world, demo_mode):
    cases, users = Case.objects.count(), User.objects.count()
    assert cases and users
    with pytest.raises(CommandError, match="niet door de demo gemaakt"):
        call_command("demo_city", "--reset")
    with pytest.raises(NotADemo):
        reset_demo_data()
    assert Case.objects.count() == cases and User.objects.count() == users  # nothing emptied


def test_reset_refused_outside_demo_mode_even_on_the_demo_database(settings):
    settings.DEMO_MODE = True
    build_demo_city(businesses=50, cases=2)
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demomodus"):
        call_command("demo_city", "--reset")
    assert User.objects.filter(username__in=DEMO_USERNAMES).count() == len(DEMO_USERNAMES)
    settings.DEMO_MODE = True
    reset_demo_data()  # the demo's own database, in demo mode: allowed, and it stays the demo's
    assert not User.objects.exists() and DemoDatabase.objects.count() == 1


def test_demo_codes_never_shown_for_a_real_installation(client, settings):
    """A real user who happens to be called `analist`, even with a key like the demo's, is not a
    demo account: no code on the login page (even with demo mode switched on by mistake), and
    `demo_codes` refuses."""
    user = f.UserFactory(username="analist")
    TOTPDevice.objects.create(user=user, name="app", key=demo_totp_key("analist"), confirmed=True)
    settings.DEMO_MODE = True
    assert demo_accounts_with_codes() == []
    page = client.get(reverse("login")).content.decode()
    assert "Doorbraak-demo-2026" not in page
    with pytest.raises(CommandError, match="niet door de demo gemaakt"):
        call_command("demo_codes")


def test_demo_bank_data_refused_on_a_non_demo_database(world, demo_mode, tmp_path):
    demo_mode.VAR_DIR = tmp_path
    with pytest.raises(CommandError, match="niet door de demo gemaakt"):
        call_command("demo_bank", "--transactions", "1000")
    assert not SectorFigureSet.objects.exists() and not (tmp_path / "demo-bank").exists()


def test_a_demo_database_built_before_the_marker_is_recognised():
    from importlib import import_module

    adopt = import_module("doorbraak.demo.migrations.0001_initial").adopt_earlier_demo_database
    real = f.UserFactory(username="regisseur")
    TOTPDevice.objects.create(user=real, name="app", key="ab" * 20, confirmed=True)
    adopt(apps, None)
    assert not DemoDatabase.objects.exists()  # a real user of that name: not a demo database
    TOTPDevice.objects.create(
        user=real, name="Demo-authenticator", key=demo_totp_key("regisseur"), confirmed=True
    )
    adopt(apps, None)
    assert DemoDatabase.objects.count() == 1
