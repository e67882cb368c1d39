"""Nothing the running assistant loads uses a developer tool, the maintainer's report or the
tests: server/ and the packages Rasa loads through it (actions, channels, stores, nlu,
knowledge) are read with ast, so an import anywhere in a module counts, inside a function too,
and so does a command line that starts one (`-m tools.bench`, "tools/bench.py")."""

import ast
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ("server", "actions", "channels", "stores", "nlu", "knowledge")
NOT_RUNTIME = ("tools", "report", "tests")


def package_of(path: Path) -> List[str]:
    """The package a module file belongs to, as the parts of its dotted name."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts if path.name == "__init__.py" else parts[:-1]


def used(source: str, package: List[str]) -> Iterator[Tuple[int, str]]:
    """(line, module or path) for each module the source imports or starts: import statements
    (relative ones resolved against `package`), import_module / __import__ of a constant, a
    constant after "-m" in a command line, and file paths ("tools/x.py", ROOT / "tools")."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            yield node.lineno, module
            for alias in node.names:  # from tools import bench
                yield node.lineno, ".".join(filter(None, [module, alias.name]))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            function = (
                node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            )
            if function in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                yield node.lineno, node.args[0].value
        elif isinstance(node, (ast.List, ast.Tuple)):
            values = [element.value if isinstance(element, ast.Constant) else None for element in node.elts]
            for flag, module in zip(values, values[1:]):
                if flag == "-m" and isinstance(module, str):
                    yield node.lineno, module
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            if isinstance(node.right, ast.Constant) and isinstance(node.right.value, str):
                yield node.lineno, node.right.value  # ROOT / "tools"
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "/" in node.value:
            if " " not in node.value:  # a path, not prose
                yield node.lineno, node.value.split("/")[0]


def forbidden(name: str) -> bool:
    """True for a module or path in a tool, the report or the tests."""
    return name.split(".")[0] in NOT_RUNTIME


def runtime_files() -> List[Path]:
    """Every Python file of the runtime packages."""
    return sorted(path for package in RUNTIME for path in (ROOT / package).rglob("*.py"))


def test_the_runtime_uses_no_tool_no_report_and_no_test():
    files = runtime_files()
    assert {path.relative_to(ROOT).parts[0] for path in files} == set(RUNTIME)
    assert ROOT / "server" / "serve.py" in files and ROOT / "server" / "rasa_server.py" in files
    found = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for path in files
        for line, name in used(path.read_text(encoding="utf-8"), package_of(path))
        if forbidden(name)
    ]
    assert not found


@pytest.mark.parametrize(
    "source",
    [
        "import tools.bench",
        "import tools",
        "from tools import bench",
        "from tools.services import Redis",
        "def f():\n    from report import main",
        "from .. import tools",
        "from ..tools.bench import CONVERSATION",
        "import importlib\nimportlib.import_module('tools.bench')",
        "__import__('report')",
        "subprocess.run([sys.executable, '-m', 'tools.bench'])",
        "subprocess.run((sys.executable, '-m', 'report', '--out', 'x'))",
        "subprocess.run([sys.executable, 'tools/bench.py'])",
        "BENCH = ROOT / 'tools' / 'bench.py'",
        "from tests.server import sample_actions",
    ],
)
def test_each_way_of_using_a_tool_is_found(source: str):
    assert any(forbidden(name) for _, name in used(source, ["server"])), source


@pytest.mark.parametrize(
    "source",
    [
        "import server.serve",
        "from . import supervise",
        "from .web import WebServer",
        "from knowledge.text import words",
        "honour = {'report': 'the tools of the trade'}",
        "subprocess.run([sys.executable, '-m', 'server.rasa_server', 'run'])",
        "WEB = ROOT / 'web' / 'index.html'",
        "'''Developer tools live in tools/ and never run here.'''",
    ],
)
def test_the_runtime_using_itself_is_not_flagged(source: str):
    assert not any(forbidden(name) for _, name in used(source, ["server"])), source
