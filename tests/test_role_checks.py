"""No role comparison outside policy.py (issue 11): what a role may do is its capabilities in
``policy.ROLE_CAPABILITIES``; the rest of the code asks the policy (``has``, ``has_role_audience``,
``role_of`` for what is merely keyed by role) and never compares or looks up ``user.role`` itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from doorbraak import policy
from doorbraak.partners.models import Role
from doorbraak.policy import Capability as C

SRC = Path(__file__).resolve().parent.parent / "src" / "doorbraak"
POLICY = SRC / "policy.py"
# The policy's role tables: read only through its functions.
TABLES = {"ROLE_CAPABILITIES", "ROLES_WITHOUT_PERSONAL_DATA"}


def _is_user(node: ast.AST) -> bool:
    """``user``, ``request.user``, ``self.request.user``, ``account`` ... (not a company
    officer's or a case member's role, which are facts about a company or a case)."""
    if isinstance(node, ast.Name):
        return node.id in {"user", "u", "account", "me", "viewer"}
    return isinstance(node, ast.Attribute) and node.attr == "user"


def _user_role(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "role" and _is_user(node.value)


def _role_member(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in {"Role", "R"}
        and node.attr not in {"values", "choices", "labels", "names"}  # a valid role, its label
    )


def _role_value(node: ast.AST) -> bool:
    """What an access check compares a role with: a literal, a Role member, a collection of
    those, or a CONSTANT (a set of roles); not a variable (``user.role != role`` records that the
    role changed, it decides nothing)."""
    if isinstance(node, ast.Constant) or _role_member(node):
        return True
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_role_value(e) for e in node.elts)
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
    return name.isupper()


def offences(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_user_role(s) for s in sides) and any(
                _role_value(s) for s in sides if not _user_role(s)
            ):
                found.append((node.lineno, "compares a user's role"))
            elif any(_role_member(s) for s in sides):
                found.append((node.lineno, "compares with a Role member"))
        elif isinstance(node, ast.Subscript) and _user_role(node.slice):
            found.append((node.lineno, "looks something up by a user's role"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
            and _user_role(node.args[0])
        ):
            found.append((node.lineno, "looks something up by a user's role"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "getattr"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value == "role"
        ):
            found.append((node.lineno, "reads a role with getattr"))
        elif isinstance(node, ast.Attribute) and node.attr == "role":
            if isinstance(node.value, ast.Attribute) and node.value.attr == "user":
                if isinstance(node.value.value, ast.Name) and node.value.value.id == "request":
                    found.append((node.lineno, "uses request.user.role"))
        if isinstance(node, ast.Name | ast.alias | ast.Attribute):
            name = getattr(node, "id", None) or getattr(node, "name", None) or node.attr
            if name in TABLES:
                found.append((node.lineno, f"reads policy.{name}"))
    return sorted(set(found))


TEMPLATE_ROLE_TEST = re.compile(r"\{%\s*(?:if|elif)\b[^%]*\buser\.role\b")


def test_no_role_comparison_outside_the_policy():
    bad = []
    for path in sorted(SRC.rglob("*.py")):
        if path == POLICY or "migrations" in path.parts:
            continue
        for line, what in offences(ast.parse(path.read_text(), str(path))):
            bad.append(f"{path.relative_to(SRC)}:{line}: {what}")
    for path in sorted(SRC.rglob("*.html")):
        for n, text in enumerate(path.read_text().splitlines(), 1):
            if TEMPLATE_ROLE_TEST.search(text):
                bad.append(f"{path.relative_to(SRC)}:{n}: compares user.role in a template")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    "code",
    [
        "if request.user.role == 'analyst': pass",
        "ok = user.role in {'analyst', 'lawyer'}",
        "ok = user.role not in MANAGERS",
        "ok = Role.ANALYST != account.role",
        "ok = x == Role.ADMINISTRATOR",
        "heading = HEADINGS.get(user.role)",
        "heading = HEADINGS[self.request.user.role]",
        "role = getattr(user, 'role', '')",
        "build(role=request.user.role)",
        "caps = policy.ROLE_CAPABILITIES['analyst']",
        "from doorbraak.policy import ROLES_WITHOUT_PERSONAL_DATA",
    ],
)
def test_the_guard_catches_a_role_comparison(code):
    assert offences(ast.parse(code))


@pytest.mark.parametrize(
    "code",
    [
        "ok = policy.has(user, C.CASES_VIEW)",
        "heading = HEADINGS.get(policy.role_of(request.user))",
        "label = officer.role == 'bestuurder'",  # a company officer's function, not a user role
        "entry = {'role': user.role}",  # recorded in the audit log, not compared
        "changed = user.role != role",  # single sign-on noting that a role changed
    ],
)
def test_the_guard_lets_the_policy_doors_and_other_roles_pass(code):
    assert not offences(ast.parse(code))


def test_the_template_guard():
    assert TEMPLATE_ROLE_TEST.search("{% if user.role == 'analyst' %}")
    assert TEMPLATE_ROLE_TEST.search('{% elif request.user.role in "a b" %}')
    assert not TEMPLATE_ROLE_TEST.search("{{ user.role_label }}")


@pytest.mark.django_db
def test_role_of_and_the_audience(world):
    analyst = world.users["analyst"]
    analyst.is_verified = lambda: True
    assert policy.role_of(analyst) == Role.ANALYST
    assert policy.role_of(AnonymousUser()) == "" and policy.role_of(None) == ""
    assert policy.has_role_audience(analyst, Role.ANALYST)
    assert not policy.has_role_audience(analyst, Role.LAWYER)
    assert not policy.has_role_audience(analyst, "")
    assert policy.has_role_audience(analyst, C.REGISTERS_VIEW)
    assert not policy.has_role_audience(analyst, C.PARTNERS_MANAGE)
    # a capability audience needs the second factor, as every capability does
    analyst.is_verified = lambda: False
    assert not policy.has_role_audience(analyst, C.REGISTERS_VIEW)
    assert not policy.has_role_audience(AnonymousUser(), Role.ANALYST)


def test_roles_with_and_user_role_has():
    planners = policy.roles_with(C.ENFORCEMENT_PLAN)
    assert planners and all(policy.role_has(r, C.ENFORCEMENT_PLAN) for r in planners)
    others = set(Role.values) - set(planners)
    assert not any(policy.role_has(r, C.ENFORCEMENT_PLAN) for r in others)
    assert policy.role_needs_second_factor(Role.ANALYST)
    assert not policy.role_needs_second_factor(Role.POLICY_STAFF)
