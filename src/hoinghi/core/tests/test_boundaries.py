"""The boundaries between and inside apps, read from the source: who imports whom.

Every `import` counts, at module level or inside a function: an import deferred into a function
still ties the two modules together (it only hides the circle from the interpreter).
"""

import ast
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

from django.tasks import Task
from django.utils.module_loading import import_string

SOURCE = Path(__file__).resolve().parents[2]  # src/hoinghi
LAYERS = ("services", "tasks", "selectors")
# Circles inside an app that are accepted: none. (The live layer's, dashboard → events → live →
# dashboard, went with attendance/live.py into core.live.)
KNOWN_CYCLES: list[set[str]] = []
WRITES = frozenset(
    {"create", "update", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
)
# Writes to another app's table that stay, and why: the demo loads the reference organisation in
# bulk (services one row at a time would take minutes) and the vocabulary of point levels (no
# service writes vocabularies); the 2018 conference's learning reports, thousands of submitted
# reports and their allocation written in bulk as the services would leave them.
KNOWN_WRITES = {
    ("hoinghi.demo.scenario.writing", "orgs"),
    ("hoinghi.demo.scenario.conference", "conferences"),
    ("hoinghi.demo.scenario.learning_reports", "learning_reports"),
}


@cache
def _modules() -> dict[str, tuple[Path, bool]]:
    """{dotted name: (file, is a package)} of every module of hoinghi."""
    found = {}
    for path in SOURCE.rglob("*.py"):
        parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


@cache
def _imports() -> dict[str, set[str]]:
    """{module: the hoinghi modules it imports}; `from package import name` counts as importing
    the submodule `package.name` when there is one, and `package` otherwise."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in modules.items():
        package = name if is_package else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names if alias.name in modules)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parent, base] if base else parent)
                for alias in node.names:
                    if f"{base}.{alias.name}" in modules:
                        targets.add(f"{base}.{alias.name}")
                    elif base in modules:
                        targets.add(base)
        graph[name] = targets - {name}
    return graph


def _app(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _is_test_code(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or parts[-1] == "conftest"


def _cycles_within_apps() -> list[set[str]]:
    """The strongly connected components (more than one module) of the import graph restricted to
    edges between modules of the same app (Tarjan's algorithm, iteratively)."""
    graph = {
        module: sorted(target for target in targets if _app(target) == _app(module))
        for module, targets in _imports().items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(component)
    return components


def test_the_import_graph_is_read_from_every_module():
    graph = _imports()
    assert "hoinghi.orgs.tasks" in graph
    assert "hoinghi.orgs.services" in graph["hoinghi.orgs.tasks"]
    assert "hoinghi.orgs.importers.mapping" in graph["hoinghi.orgs.importers.reading"]


def test_no_services_tasks_or_selectors_module_is_in_an_import_circle_within_its_app():
    layered = [
        sorted(cycle)
        for cycle in _cycles_within_apps()
        if any(module.rsplit(".", 1)[-1] in LAYERS for module in cycle)
    ]
    assert layered == []


def test_no_other_import_circle_within_an_app():
    unknown = [sorted(cycle) for cycle in _cycles_within_apps() if cycle not in KNOWN_CYCLES]
    assert unknown == []


def test_no_production_module_imports_test_code():
    offenders = sorted(
        (module, target)
        for module, targets in _imports().items()
        if not _is_test_code(module)
        for target in targets
        if _is_test_code(target)
    )
    assert offenders == []


def test_no_app_imports_a_private_name_of_another_app():
    """A helper two apps need lives, public, in the app that owns its concept (the personal-page
    decorator in `conferences.decorators`), not imported by its private name nor copied."""
    offenders = []
    for module, (path, _is_package) in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and _app(node.module or "") not in ("hoinghi", _app(module)):
                offenders += [(module, node.module, a.name) for a in node.names if a.name.startswith("_")]
    assert offenders == []


IRREGULAR_PAST = frozenset({"set", "sent", "run", "built"})


def test_audit_types_are_dotted_past_tense_and_name_their_own_app():
    """`app.entity.verb_past` (`attendance.incident.opened`), written by a module of that app."""
    wrong = []
    for module, (path, _is_package) in _modules().items():
        if _is_test_code(module):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "audit"):
                continue
            for keyword in node.keywords:
                if keyword.arg == "type" and isinstance(keyword.value, ast.Constant):
                    parts = keyword.value.value.split(".")
                    verb = parts[-1].rsplit("_", 1)[-1]
                    if not (
                        len(parts) == 3
                        and all(part.replace("_", "").isalpha() and part.islower() for part in parts)
                        and f"hoinghi.{parts[0]}" == _app(module)
                        and (verb.endswith("ed") or verb in IRREGULAR_PAST)
                    ):
                        wrong.append((module, keyword.value.value))
    assert wrong == []


def _models_written(module: str, path: Path) -> set[tuple[str, str]]:
    """(app, model) of each model of another app this module writes through its manager:
    `Model.objects....create/update/delete/...(...)`, the model imported from that app's models."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith(".models"):
            app = node.module.split(".")
            if len(app) == 3 and app[0] == "hoinghi" and f"hoinghi.{app[1]}" != _app(module):
                imported.update({alias.asname or alias.name: (app[1], alias.name) for alias in node.names})
    written = set()
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES
        ):
            continue
        chain = node.func.value
        while isinstance(chain, ast.Call | ast.Attribute):
            inner = chain.func if isinstance(chain, ast.Call) else chain.value
            if isinstance(chain, ast.Attribute) and chain.attr == "objects" and isinstance(inner, ast.Name):
                if inner.id in imported:
                    written.add(imported[inner.id])
                break
            chain = inner
    return written


def test_each_app_writes_only_its_own_tables():
    """Another app's rows change through that app's services (attendance marks a point's link as
    tested through conferences, streaming opens an incident through attendance)."""
    offenders = sorted(
        (module, app, model)
        for module, (path, _is_package) in _modules().items()
        if not _is_test_code(module)
        for app, model in _models_written(module, path)
        if (module, app) not in KNOWN_WRITES
    )
    assert offenders == []


def test_services_are_imported_without_their_tasks():
    """A fresh interpreter, with Django set up as a worker or a web process would be."""
    apps = ("orgs", "conferences", "streaming")
    code = (
        "import sys, django; django.setup()\n"
        + "".join(f"import hoinghi.{app}.services\n" for app in apps)
        + "print(sorted(m for m in sys.modules if m.startswith('hoinghi.') and m.endswith('.tasks')))"
    )
    environment = {
        **os.environ,
        "PYTHONPATH": str(SOURCE.parent),
        "DJANGO_SETTINGS_MODULE": "hoinghi.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_every_task_a_service_enqueues_by_name_exists():
    named = set()
    for module, (path, _is_package) in _modules().items():
        if _is_test_code(module):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "enqueue_on_commit"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                named.add(node.args[0].value)
    assert {"hoinghi.orgs.tasks.import_check", "hoinghi.conferences.tasks.outbox_send"} <= named
    for path in sorted(named):
        assert isinstance(import_string(path), Task), path


# The direction of DESIGN.md: orgs/accounts ← conferences ← attendance/streaming/learning_reports;
# resolutions needs only orgs/accounts. Core is below every app; demo loads them all.
MAY_IMPORT = {
    "core": set(),
    "accounts": {"core", "orgs"},
    "orgs": {"core", "accounts"},
    "conferences": {"core", "accounts", "orgs"},
    "attendance": {"core", "accounts", "orgs", "conferences"},
    "streaming": {"core", "accounts", "orgs", "conferences", "attendance"},
    "learning_reports": {"core", "accounts", "orgs", "conferences", "attendance", "resolutions"},
    "resolutions": {"core", "accounts", "orgs"},
}
# The one import upward, inside a function: the permission engine reads the role grants that
# accounts stores (`core.permissions._held_query`).
KNOWN_UPWARD = {("hoinghi.core.permissions", "hoinghi.accounts.models")}


def test_apps_import_only_the_apps_below_them():
    """Production code only: a test may build its fixtures from any app."""
    offenders = set()
    for module, targets in _imports().items():
        app = _app(module).removeprefix("hoinghi.")
        if app not in MAY_IMPORT or _is_test_code(module):
            continue
        for target in targets:
            other = _app(target).removeprefix("hoinghi.")
            if other in MAY_IMPORT and other != app and other not in MAY_IMPORT[app]:
                offenders.add((module, target))
    assert sorted(offenders - KNOWN_UPWARD) == []
