"""The environment is read in one place and documented in one place: agenda/settings.py and
bot/settings.py are the only readers of os.environ, and every variable they read is in the
README's Environment table (and the table lists nothing that is not read)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from agenda.errors import ConfigError
from agenda.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_MODULES = (ROOT / "agenda" / "settings.py", ROOT / "bot" / "settings.py")


def _sources() -> list[Path]:
    return sorted([*(ROOT / "agenda").rglob("*.py"), *(ROOT / "bot").rglob("*.py")])


def _touches_environ(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
            return True
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(a.name in ("environ", "getenv") for a in node.names)
        ):
            return True
    return False


def _constants(tree: ast.Module) -> dict[str, str]:
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    out[target.id] = node.value.value
    return out


def _is_environment(node: ast.expr) -> bool:
    """``env`` (the mapping from_env reads) or ``environment(...)``."""
    if isinstance(node, ast.Name):
        return node.id == "env"
    return isinstance(node, ast.Call) and getattr(node.func, "id", None) == "environment"


def _literal(node: ast.expr, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def variables_read() -> set[str]:
    """Names of the variables the settings modules read: ``env.get(NAME)``, ``env[NAME]``,
    ``environment().get(NAME)`` and helpers called as ``_helper(env, NAME, ...)``."""
    names: set[str] = set()
    for path in SETTINGS_MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _constants(tree)
        for node in ast.walk(tree):
            key: str | None = None
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr == "get":
                    if _is_environment(func.value):
                        key = _literal(node.args[0], constants)
                elif len(node.args) >= 2 and _is_environment(node.args[0]):
                    key = _literal(node.args[1], constants)
            elif isinstance(node, ast.Subscript) and _is_environment(node.value):
                key = _literal(node.slice, constants)
            if key:
                names.add(key)
    return names


def documented() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Environment\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_only_the_settings_modules_read_the_environment() -> None:
    readers = [
        str(path.relative_to(ROOT))
        for path in _sources()
        if path not in SETTINGS_MODULES and _touches_environ(ast.parse(path.read_text("utf-8")))
    ]
    assert readers == []


def test_every_variable_read_is_in_the_readme_environment_table() -> None:
    read = variables_read()
    # the scan itself works: it sees the core's and the Slack adapter's variables
    assert {"DATABASE_URL", "BOARDCLERK_DATA_DIR", "SLACK_BOT_TOKEN", "WEB_THREADS"} <= read
    assert sorted(read - documented()) == []


def test_the_readme_lists_no_variable_that_nothing_reads() -> None:
    assert sorted(documented() - variables_read()) == []


def test_the_cli_takes_no_variable_behind_the_settings_back() -> None:
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        assert "envvar=" not in text, f"{path.relative_to(ROOT)} reads a variable through click"


def test_settings_come_from_the_given_environment_with_defaults() -> None:
    assert Settings.from_env({}) == Settings()
    s = Settings.from_env(
        {
            "DATABASE_URL": "postgresql://db/boardclerk",
            "BOARDCLERK_DATA_DIR": "/srv/data",
            "BOARDCLERK_TEMPLATES_DIR": "/srv/templates",
            "BOARDCLERK_MAX_PAPER_MB": "40",
            "BOARDCLERK_RENDER_WORKERS": "0",
            "USER": "kim",
        }
    )
    assert (s.database_url, str(s.data_dir), str(s.templates_dir)) == (
        "postgresql://db/boardclerk",
        "/srv/data",
        "/srv/templates",
    )
    assert (s.max_paper_mb, s.render_workers, s.user) == (40.0, 1, "kim")


@pytest.mark.parametrize(
    ("name", "raw"),
    [("BOARDCLERK_RENDER_TIMEOUT", "soon"), ("BOARDCLERK_RENDER_WORKERS", "two")],
)
def test_a_bad_number_in_the_environment_names_the_variable(name: str, raw: str) -> None:
    with pytest.raises(ConfigError, match=f"{name} must be .*'{raw}'"):
        Settings.from_env({name: raw})
