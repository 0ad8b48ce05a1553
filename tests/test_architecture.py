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


# --- layers, doors and role checks (issue 11; ADR 0004, docs/architecture.md) -------------------
#
# Layers, top to bottom. A module may import its own layer and the ones below, never above;
# imports inside function bodies count too (a hidden upward call is still an upward call).
#   site      doorbraak.site (URLs, home pages, navigation), settings, wsgi, the CLI
#   apps      registers, careers, entities, moneyflows, enforcement, risk, monitoring, demo, ...
#             and the rooms (pages, API, actions, access, tasks) of the platform apps
#   toolkit   web, api, jobs (decorators, display helpers, problem+json, base API view, jobs)
#   policy    doorbraak.policy
#   platform  partners, audit, privacy, areas (models, services, registries), limits, locks, logs
#   analysis  doorbraak_analysis (imports no doorbraak and no Django: see the test above)
# Among the apps the import graph has no cycle, and only the site imports the demo app.

SRC = ROOT / "src"
LAYERS = ("analysis", "platform", "policy", "toolkit", "apps", "site")
PLATFORM = frozenset({"partners", "audit", "privacy", "areas", "limits", "locks", "logs"})
TOOLKIT = frozenset({"web", "api", "jobs"})
SITE = frozenset({"site", "urls", "settings", "settings_test", "wsgi", "cli"})
# A platform app's own pages and writes are an app over its models ("rooms", as every app has);
# its apps.py wires them up in ready().
ROOMS = frozenset(
    {
        "apps",
        "views",
        "urls",
        "api",
        "actions",
        "access",
        "forms",
        "admin",
        "tasks",
        "panels",
        "management",
        "templatetags",
    }
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path, module: str) -> list[tuple[str, int]]:
    """Every module this file imports (module and module.name for `from m import name`), with
    its line, wherever the import statement is (top level or inside a function)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((target, node.lineno))
            found += [(f"{target}.{a.name}", node.lineno) for a in node.names]
    return found


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "doorbraak_analysis":
        return "analysis"
    if parts[0] != "doorbraak":
        return None  # third party
    if len(parts) == 1:
        return "platform"  # the package itself (its version)
    top = parts[1]
    if top in SITE:
        return "site"
    if top == "policy":
        return "policy"
    if top in TOOLKIT:
        return "toolkit"
    if top in PLATFORM:
        return "apps" if len(parts) > 2 and parts[2] in ROOMS else "platform"
    if (SRC / "doorbraak" / top).is_dir():
        return "apps"
    return None  # `from doorbraak import policy` is seen as doorbraak.policy too


def node_of(module: str) -> str:
    """The unit of the cycle check: a top-level package, its rooms apart for platform apps."""
    parts = module.split(".")
    top = ".".join(parts[:2])
    if layer_of(module) == "apps" and parts[1] in PLATFORM:
        return f"{top}[rooms]"
    return top


def source_files():
    for path in sorted((SRC / "doorbraak").rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def upward_imports(path: Path, module: str) -> list[str]:
    own = layer_of(module)
    bad = []
    for target, line in imports_of(path, module):
        theirs = layer_of(target)
        if own and theirs and LAYERS.index(theirs) > LAYERS.index(own):
            bad.append(f"{module}:{line} ({own}) imports {target} ({theirs})")
    return sorted(set(bad))


def import_graph(files) -> dict[str, dict[str, str]]:
    """node -> {imported node: one place it happens}, between apps-layer nodes."""
    graph: dict[str, dict[str, str]] = {}
    for path, module in files:
        if layer_of(module) != "apps":
            continue
        for target, line in imports_of(path, module):
            if layer_of(target) == "apps" and node_of(target) != node_of(module):
                graph.setdefault(node_of(module), {}).setdefault(
                    node_of(target), f"{module}:{line} imports {target}"
                )
    return graph


def cycles(graph: dict[str, dict[str, str]]) -> list[list[str]]:
    """Each strongly connected group of more than one node (Tarjan), as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def demo_imports(path: Path, module: str) -> list[str]:
    if layer_of(module) == "site" or module.startswith("doorbraak.demo"):
        return []
    return [
        f"{module}:{line} imports {target}"
        for target, line in imports_of(path, module)
        if target == "doorbraak.demo" or target.startswith("doorbraak.demo.")
    ]


# Known upward imports still to be removed, each with where it goes (none left: web/home.py moved
# to the apps' panels and the site, the demo login help to a demo context processor). The list
# may only shrink: the test fails on any other upward import, and on an entry that no longer
# points up.
KNOWN_UPWARD: dict[str, str] = {}


def test_no_module_imports_a_higher_layer():
    found: dict[str, list[str]] = {}
    for p in source_files():
        module = module_name(p)
        if bad := upward_imports(p, module):
            found[module] = bad
    unknown = [b for m, bad in found.items() if m not in KNOWN_UPWARD for b in bad]
    assert unknown == [], "imports pointing up:\n" + "\n".join(unknown)
    fixed = sorted(set(KNOWN_UPWARD) - set(found))
    assert fixed == [], f"no longer upward, remove from KNOWN_UPWARD: {fixed}"


def test_the_apps_import_one_another_without_cycles_and_only_the_site_imports_the_demo():
    files = [(p, module_name(p)) for p in source_files()]
    graph = import_graph(files)
    found = [
        " -> ".join(group)
        + ": "
        + "; ".join(graph[a][b] for a in group for b in group if b in graph.get(a, {}))
        for group in cycles(graph)
    ]
    assert found == [], "cycles between apps:\n" + "\n".join(found)
    bad = [b for p, m in files if m not in KNOWN_UPWARD for b in demo_imports(p, m)]
    assert bad == [], "demo code used outside the site:\n" + "\n".join(bad)


def test_the_layer_guard_catches_an_upward_import_in_a_function_body(tmp_path):
    wrong = tmp_path / "importers.py"
    wrong.write_text(
        "def after_import(batch):\n"
        "    from doorbraak.entities.services import link_after_import\n"
        "    from doorbraak.site import urls\n"
        "    link_after_import(batch)\n"
    )
    # registers -> entities is app to app (the cycle check's), registers -> site points up
    assert upward_imports(wrong, "doorbraak.registers.importers") == [
        "doorbraak.registers.importers:3 (apps) imports doorbraak.site (site)",
        "doorbraak.registers.importers:3 (apps) imports doorbraak.site.urls (site)",
    ]
    policy_file = tmp_path / "policy.py"
    policy_file.write_text("def f():\n    from doorbraak.careers.models import Case\n")
    assert upward_imports(policy_file, "doorbraak.policy")
    platform = tmp_path / "retention.py"
    platform.write_text("from ..registers.models import Person\n")
    assert upward_imports(platform, "doorbraak.privacy.retention")
    # a platform app's own pages may use the toolkit and the policy
    room = tmp_path / "views.py"
    room.write_text("from doorbraak import policy\nfrom doorbraak.web.decorators import page\n")
    assert upward_imports(room, "doorbraak.privacy.views") == []


def test_the_cycle_guard_catches_registers_calling_entities(tmp_path):
    importer = tmp_path / "importers.py"
    importer.write_text("def f():\n    from doorbraak.entities import services\n")
    linkage = tmp_path / "services.py"
    linkage.write_text("from doorbraak.registers.models import Person\n")
    graph = import_graph(
        [(importer, "doorbraak.registers.importers"), (linkage, "doorbraak.entities.services")]
    )
    assert cycles(graph) == [["doorbraak.entities", "doorbraak.registers"]]
    web = tmp_path / "auth.py"
    web.write_text("from doorbraak.demo.accounts import DEMO_PASSWORD\n")
    assert demo_imports(web, "doorbraak.moneyflows.tasks")


# --- no role comparison outside policy.py -----------------------------------------------------

ROLE_IN_TEMPLATE = re.compile(r"\.role\s*(==|!=|\bin\b|\bnot in\b)")


def role_comparisons(path: Path) -> list[str]:
    """`x.role == ...`, `... != x.role`, `x.role in (...)`: a role check that belongs in policy.py
    (as a capability). Templates: `{% if user.role == ... %}` likewise."""
    if path.suffix == ".html":
        return [
            f"{path.name}:{n}: {line.strip()[:80]}"
            for n, line in enumerate(path.read_text().splitlines(), 1)
            if "{%" in line and ROLE_IN_TEMPLATE.search(line)
        ]
    bad = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and s.attr == "role" for s in sides):
                bad.append(f"{path.name}:{node.lineno}")
    return bad


def test_no_role_comparison_outside_policy():
    policy = SRC / "doorbraak" / "policy.py"
    files = [p for p in source_files() if p != policy]
    files += sorted((SRC / "doorbraak").rglob("*.html"))
    bad = [f"{p.relative_to(ROOT)} {b}" for p in files for b in role_comparisons(p)]
    assert bad == [], "role checks outside policy.py (use a capability):\n" + "\n".join(bad)


def test_the_role_guard_catches_a_role_check(tmp_path):
    view = tmp_path / "views.py"
    view.write_text(
        "def f(request):\n"
        "    if request.user.role == 'analyst':\n"
        "        return 1\n"
        "    return request.user.role in {'lawyer'}\n"
    )
    assert role_comparisons(view) == ["views.py:2", "views.py:4"]
    template = tmp_path / "page.html"
    template.write_text('{% if user.role == "analyst" %}x{% endif %}\n{{ officer.role }}\n')
    assert len(role_comparisons(template)) == 1


# --- personal data only through an app's access.py --------------------------------------------

LOOKUPS = frozenset({"get_object_or_404", "get_list_or_404"})


def protected_models() -> frozenset[str]:
    """Persons and cases, and every model that points at one of them (their personal data);
    review pairs (two persons side by side) and import reports (quoted rejected values)."""
    import django

    django.setup()
    from django.apps import apps

    roots = {apps.get_model("registers", "Person"), apps.get_model("careers", "Case")}
    names = {m.__name__ for m in roots} | {"ReviewPair", "ImportBatch", "Concern"}
    for model in apps.get_models():
        if not model.__module__.startswith("doorbraak."):
            continue
        for field in model._meta.get_fields():
            if field.is_relation and field.many_to_one and field.related_model in roots:
                names.add(model.__name__)
    return frozenset(names)


def _root_name(node) -> str:
    """Person, Person.objects, Person.objects.select_related(...) -> "Person"."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Name):
            return node.id
        else:
            return ""


def doors_bypassed(path: Path, protected: frozenset[str]) -> list[str]:
    """get_object_or_404 on a protected model, or a DRF view with `queryset = <protected>...`
    that lets DRF look the object up (no get_object of its own), outside an access.py."""
    if path.name == "access.py":
        return []
    tree = ast.parse(path.read_text(), filename=str(path))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in LOOKUPS and node.args and _root_name(node.args[0]) in protected:
                bad.append(f"{path.name}:{node.lineno} {name}({_root_name(node.args[0])})")
        elif isinstance(node, ast.ClassDef):
            methods = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
            bases = {_root_name(b) for b in node.bases} | {
                getattr(b, "attr", "") for b in node.bases
            }
            detail_view = any("Retrieve" in b or "Destroy" in b or "Update" in b for b in bases)
            for stmt in node.body:
                if (
                    detail_view
                    and "get_object" not in methods
                    and isinstance(stmt, ast.Assign)
                    and any(getattr(t, "id", "") == "queryset" for t in stmt.targets)
                    and _root_name(stmt.value) in protected
                ):
                    bad.append(f"{path.name}:{stmt.lineno} {node.name}.queryset")
    return sorted(bad, key=lambda b: int(b.split(":")[1].split()[0]))


def test_personal_data_is_fetched_only_through_an_access_module():
    protected = protected_models()
    assert {"Person", "Case", "Concern", "CaseRecord", "Officer", "Enrolment"} <= protected
    bad = [
        f"{p.relative_to(ROOT)} {b}" for p in source_files() for b in doors_bypassed(p, protected)
    ]
    assert bad == [], "personal data fetched around the app's access.py:\n" + "\n".join(bad)


def test_the_door_guard_catches_a_view_fetching_a_person(tmp_path):
    protected = protected_models()
    view = tmp_path / "views.py"
    view.write_text(
        "from django.shortcuts import get_object_or_404\n"
        "from rest_framework import generics\n"
        "def person_detail(request, pk):\n"
        "    return get_object_or_404(Person.objects.select_related('residence'), pk=pk)\n"
        "def programme(request, pk):\n"
        "    return get_object_or_404(Programme, pk=pk)\n"
        "class CaseDetail(generics.RetrieveAPIView):\n"
        "    queryset = Case.objects.all()\n"
        "class PremisesDetail(generics.RetrieveAPIView):\n"
        "    queryset = Person.objects.all()\n"
        "    def get_object(self):\n"
        "        return access.get_premises_for_user(self.request.user, self.kwargs['pk'])\n"
    )
    assert doors_bypassed(view, protected) == [
        "views.py:4 get_object_or_404(Person)",
        "views.py:8 CaseDetail.queryset",
    ]
    door = tmp_path / "access.py"
    door.write_text(view.read_text())
    assert doors_bypassed(door, protected) == []
