"""One register throughout (issue 17): the interface addresses its users as official letters do
("đồng chí", or an impersonal sentence), never with the informal "bạn". Read from the templates,
the scripts and every string literal of the Python code (tests and vendored files aside)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # src/hoinghi
INFORMAL = re.compile(r"(?<!\w)bạn(?!\w)", re.IGNORECASE)


def _shipped(suffixes: set[str]):
    for path in sorted(ROOT.rglob("*")):
        parts = set(path.relative_to(ROOT).parts)
        if path.suffix in suffixes and not parts & {"tests", "vendor", "locale"}:
            yield path


def _python_strings(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_no_template_or_script_addresses_the_user_as_ban():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}"
        for path in _shipped({".html", ".txt", ".js"})
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if INFORMAL.search(line)
    ]
    assert found == []


def test_no_python_string_addresses_the_user_as_ban():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {text[:100]}"
        for path in _shipped({".py"})
        for number, text in _python_strings(path)
        if INFORMAL.search(text)
    ]
    assert found == []


PLACEHOLDER = re.compile(r"placeholder=\"([^\"]*)\"|placeholder='([^']*)'|\"placeholder\": ([^,}]*)")
UNIT_CODE = re.compile(r"\b[A-Z]{2,}-[A-Z0-9]{2,}\b")  # "HN-BD": the demo's codes, not a user's


def test_no_placeholder_shows_a_unit_code_of_the_demo():
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)[:100]}"
        for path in _shipped({".html", ".py"})
        for match in PLACEHOLDER.finditer(path.read_text(encoding="utf-8"))
        if UNIT_CODE.search(match.group(0))
    ]
    assert found == []
