"""The site on top (issue 11): the menu and the role home pages are composed from what the apps
register, and the toolkit below them imports neither the apps' demo nor the site."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from doorbraak.partners.models import Role
from doorbraak.policy import Capability as C
from doorbraak.site.navigation import nav_for
from doorbraak.web import panels as panel_registry
from tests.conftest import login

SRC = Path(__file__).resolve().parent.parent / "src" / "doorbraak"

# The menu as it was in web/context.py before the apps registered their own items (with the
# enforcement, areas and risk items added since): the same items, order and capabilities.
MENU = [
    ("home", None),
    ("case_list", C.CASES_VIEW),
    ("concern_list", C.CASES_MANAGE),
    ("my_concerns", C.CONCERNS_REPORT),
    ("catalogue", C.CASES_VIEW),
    ("vog_list", C.CASES_VIEW),
    ("outcomes", C.MONITORING_VIEW),
    ("premises_list", C.REGISTERS_VIEW),
    ("company_list", C.REGISTERS_VIEW),
    ("source_list", C.REGISTERS_IMPORT),
    ("import_list", C.REGISTERS_IMPORT),
    ("entity_review", C.REGISTERS_VIEW),
    ("entity_search", C.REGISTERS_VIEW),
    ("risk_picture", C.RISK_VIEW),
    ("sector_view", C.MONEYFLOWS_VIEW),
    ("enforcement_actions", C.ENFORCEMENT_VIEW),
    ("enforcement_precision", C.ENFORCEMENT_FEEDBACK),
    ("monitoring", C.MONITORING_VIEW),
    ("prevention", C.PREVENTION_REGISTER),
    ("processing_register", C.LEGAL_VIEW),
    ("covenant", C.LEGAL_VIEW),
    ("audit_log", C.AUDIT_VIEW),
    ("retention", C.PRIVACY_MANAGE),
    ("subject_access", C.PRIVACY_MANAGE),
    ("organisation_list", C.PARTNERS_MANAGE),
    ("user_list", C.PARTNERS_MANAGE),
    ("area_list", C.AREAS_MANAGE),
    ("job_list", None),
]

# Each role's home page: its heading and, in order, one heading of each panel on it.
HOME = {
    "case_director": ["Procesregie", "Meldingen", "Mijn casussen"],
    "partner_professional": ["Casussen van uw organisatie", "Acties van uw organisatie"],
    "analyst": ["Analyse: registers en focusgebieden", "Grootste sectoren"],
    "enforcement_officer": [
        "Handhaving in de focusgebieden",
        "Nieuw ingeschreven bedrijven in de focusgebieden",
    ],
    "lawyer": ["Juridische grondslagen", "Volledig verwerkingsregister"],
    "policy_staff": ["Monitoring voor de gemeenteraad", "Raadsrapportage"],
    "programme_owner": ["Programma-eigenaar", "Bereik en resultaten"],
    "area_manager": ["Gebiedsmanager", "Uw gebieden"],
    "privacy_officer": [
        "Privacytoezicht",
        "Opvallende weigeringen",
        "Verlopen bewaartermijnen",
        "Laatste auditregels",
    ],
    "administrator": ["Beheer", "Nieuwe gebruiker"],
}


@pytest.mark.parametrize("role", Role.values)
def test_menu_per_role_is_the_one_the_apps_register(world, role):
    from doorbraak import policy

    user = world.users[role]
    user.is_verified = lambda: True  # signed in with the second factor (django-otp)
    expected = [n for n, cap in MENU if cap is None or policy.has(user, cap)]
    assert [name for name, _label in nav_for(user)] == expected


def test_no_menu_before_signing_in(world, client):
    from django.contrib.auth.models import AnonymousUser

    assert nav_for(AnonymousUser()) == [] and nav_for(None) == []
    assert 'aria-label="Hoofdmenu"' not in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize("role", sorted(HOME))
def test_home_page_is_composed_of_the_panels_of_that_role(client, world, role):
    login(client, world.users[role])
    html = client.get(reverse("home")).content.decode()
    positions = [html.find(text) for text in HOME[role]]
    assert -1 not in positions, (role, dict(zip(HOME[role], positions, strict=True)))
    assert positions == sorted(positions)
    assert html.count('class="utrecht-heading-1"') == 1
    for other, texts in HOME.items():  # no panel of another role's page
        if texts[1] not in HOME[role]:
            assert texts[1] not in html, (role, other)


@pytest.fixture
def extra_panel(settings, tmp_path):
    template = tmp_path / "probe.html"
    template.write_text("<p>Paneel voor {{ who }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    before = list(panel_registry._PANELS)
    yield template.name
    panel_registry._PANELS[:] = before


def test_a_panel_for_a_capability_shows_on_every_role_with_it(client, world, extra_panel):
    from doorbraak import policy

    panel_registry.register_panel(
        C.LEGAL_VIEW, extra_panel, lambda request: {"who": request.user.username}, order=999
    )
    for role, user in world.users.items():
        if role == "school":
            continue
        login(client, user)
        html = client.get(reverse("home")).content.decode()
        granted = C.LEGAL_VIEW in policy.ROLE_CAPABILITIES[user.role]
        assert (f"Paneel voor {user.username}" in html) == granted, role
        client.logout()


def test_demo_login_help_comes_from_the_demo_context_processor(client, settings, monkeypatch):
    """The login page shows the demo accounts only with the demo's context processor, which the
    settings install in demo mode only; web/auth.py itself never imports the demo."""
    row = {
        "username": "proefaccount",
        "role_label": "Analist",
        "organisation": "RIEC",
        "needs_code": True,
        "code": "123456",
    }
    monkeypatch.setattr("doorbraak.demo.context.demo_accounts_with_codes", lambda: [row])
    settings.DEMO_MODE = True
    assert "proefaccount" not in client.get(reverse("login")).content.decode()  # not installed
    options = settings.TEMPLATES[0]["OPTIONS"]
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **options,
                "context_processors": [
                    *options["context_processors"],
                    "doorbraak.demo.context.login_help",
                ],
            },
        }
    ]
    page = client.get(reverse("login")).content.decode()
    assert "proefaccount" in page and 'data-code-for="proefaccount">123456' in page


def test_demo_context_processor_only_in_demo_mode_settings():
    import os
    import subprocess
    import sys

    code = (
        "import django, os; django.setup(); from django.conf import settings; "
        "print('doorbraak.demo.context.login_help' in "
        "settings.TEMPLATES[0]['OPTIONS']['context_processors'])"
    )
    for flag, expected in (("1", "True"), ("0", "False")):
        env = {
            **os.environ,
            "DOORBRAAK_DEMO_MODE": flag,
            "DJANGO_SETTINGS_MODULE": "doorbraak.settings_test",
        }
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        assert out.stdout.strip() == expected, out.stderr


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_toolkit_never_imports_the_demo_or_the_site_and_web_not_the_api():
    offenders = []
    for path in sorted((SRC / "web").rglob("*.py")) + sorted((SRC / "api").rglob("*.py")):
        for name in _imports(path):
            rel = path.relative_to(SRC).as_posix()
            if name.startswith(("doorbraak.demo", "doorbraak.site")):
                offenders.append(f"{rel}: {name}")
            # web/auth.py (owned by the hardening work) still takes problem_response from api/.
            elif (
                rel.startswith("web/") and rel != "web/auth.py" and name.startswith("doorbraak.api")
            ):
                offenders.append(f"{rel}: {name}")
    assert offenders == []


def test_nothing_imports_the_site():
    offenders = [
        f"{path.relative_to(SRC)}: {name}"
        for path in SRC.rglob("*.py")
        if "site" not in path.relative_to(SRC).parts[:1]
        for name in _imports(path)
        if name.startswith("doorbraak.site")
    ]
    assert offenders == []
