"""Rules of the field and of the code base, checked over the whole tree."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANALYSIS = ROOT / "src" / "doorbraak_analysis"

# Protected attributes may never be an input to an indicator, a rule or a ranking.
PROTECTED = re.compile(
    r"nationalit|etnicit|ethnicit|geboorteland|country_?of_?birth|birth_?country|religi|godsdienst|"
    r"gezondheid|health|seksuele|sexual|afkomst|migratieachtergrond|migration_?background",
    re.IGNORECASE,
)


def test_analysis_package_never_imports_django():
    offenders = []
    for path in ANALYSIS.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.relative_to(ROOT)}: {n}"
                for n in names
                if n.split(".")[0] in {"django", "doorbraak", "rest_framework"}
            ]
    assert offenders == []


def _indicator_sources():
    """Everything that defines indicators, rules, features or rankings: rule files (YAML, SQL)
    anywhere in the source tree, and the analysis package's Python code."""
    for pattern in ("*.yaml", "*.yml", "*.sql"):
        yield from (ROOT / "src").rglob(pattern)
    yield from ANALYSIS.rglob("*.py")


def test_no_protected_attribute_in_any_rule_feature_or_indicator():
    hits = []
    for path in _indicator_sources():
        for lineno, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith("#") or stripped.startswith("--"):
                continue  # a comment may explain the rule
            if PROTECTED.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{lineno}: {stripped[:100]}")
    assert hits == [], "protected attribute used:\n" + "\n".join(hits)


def test_the_guard_catches_a_protected_attribute(tmp_path):
    rule = tmp_path / "rule.yaml"
    rule.write_text("indicator: share_by_nationality\nweight: 2\n")
    assert PROTECTED.search(rule.read_text())


def test_policy_roles_cover_every_role():
    import django

    django.setup()
    from doorbraak.partners.models import Role
    from doorbraak.policy import ROLE_CAPABILITIES

    assert set(ROLE_CAPABILITIES) == set(Role.values)
