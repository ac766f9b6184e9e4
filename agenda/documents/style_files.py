"""Finding and reading the files of a house style: the one loader for ``style.yaml`` and
``minutes.yaml``.

A style is a folder ``<styles>/<name>/``. Folders are searched in order: the clerk's own
``$BOARDCLERK_TEMPLATES_DIR/styles`` (when set), then the styles bundled with boardclerk, each
file on its own, so a rebranded ``style.yaml`` alone still gets the shipped ``minutes.yaml``.
Every problem in a file (YAML that does not parse, a missing or unknown key, a value of the
wrong type, an unknown ``{placeholder}``) is a :class:`ConfigError` naming the file, the line
and the key, because the person fixing it is a clerk editing YAML. The schemas are in
``templates/styles/README.md``; :mod:`agenda.documents.house_style` and
:mod:`agenda.documents.minutes_style` read them with :class:`Reader`.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from agenda import settings, yamlfile
from agenda.errors import ConfigError
from agenda.yamlfile import Located

STYLE_FILE = "style.yaml"
MINUTES_FILE = "minutes.yaml"
SCHEMA_HINT = "see templates/styles/README.md for the schema"
Fields = Iterable[str] | None  # the placeholders a text may use; None: not a pattern


# --- where styles are ------------------------------------------------------------------------


def bundled_styles_dir() -> Path:
    """The house styles shipped with boardclerk: ``templates/styles`` of the checkout, installed
    as the package ``boardclerk_styles`` (setup.py), so a wheel and an editable install both
    find them."""
    return Path(str(resources.files("boardclerk_styles")))


def styles_dir() -> Path:
    """Where styles are read from first: ``$BOARDCLERK_TEMPLATES_DIR/styles`` when set, else the
    bundled styles."""
    own = settings.current().templates_dir
    return own / "styles" if own else bundled_styles_dir()


def search_path() -> list[Path]:
    return list(dict.fromkeys([styles_dir(), bundled_styles_dir()]))


def names_with(file: str) -> list[str]:
    """The styles that have ``file`` somewhere on the search path."""
    names: set[str] = set()
    for directory in search_path():
        if directory.is_dir():
            names.update(p.parent.name for p in directory.glob(f"*/{file}"))
    return sorted(names)


def find(name: str, file: str) -> Path | None:
    """The first ``<styles>/<name>/<file>`` on the search path."""
    for directory in search_path():
        path = directory / name / file
        if path.is_file():
            return path
    return None


# --- reading ---------------------------------------------------------------------------------


def read_yaml(path: Path) -> Any:
    """The parsed file, mappings as :class:`Located`; ConfigError with the file and line when
    it is not UTF-8 YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError("the file is not UTF-8 text", path=str(path)) from None
    try:
        return yamlfile.load(text)
    except ConfigError as err:  # a key given twice: the loader knows the line, not the file
        raise ConfigError(
            err.message.split(": ", 1)[-1], path=str(path), line=err.line, hint=err.hint
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            path=str(path),
            line=mark.line + 1 if mark else None,
            hint="check the indentation and that text with ':' is quoted",
        ) from None


# --- validating ------------------------------------------------------------------------------


def check_placeholders(
    file: Path, key: str, text: str, allowed: frozenset[str], line: int | None = None
) -> None:
    """Every ``{name}`` in ``text`` is one ``allowed`` here, written plainly (no ``:02d``)."""
    try:
        parts = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(text)]
    except ValueError as exc:
        raise ConfigError(
            f"'{key}' has a broken placeholder ({exc}); write {{{{ for a literal brace",
            path=str(file),
            line=line,
        ) from exc
    for name, spec, conversion in parts:
        if name is None:
            continue
        if name not in allowed:
            can = ", ".join("{" + a + "}" for a in sorted(allowed)) or "no placeholders"
            raise ConfigError(
                f"'{key}' uses unknown placeholder {{{name}}}",
                path=str(file),
                line=line,
                hint=f"it may use {can}",
            )
        if spec or conversion:
            raise ConfigError(
                f"'{key}' formats placeholder {{{name}}}; write it plainly as {{{name}}}",
                path=str(file),
                line=line,
                hint="numbers such as {minute} already come with the digits the style needs",
            )


class Reader:
    """Reads one mapping of a style file, remembering the key path and lines for errors."""

    def __init__(self, file: Path, data: Any, where: str = "", line: int | None = None) -> None:
        self.file, self.where = file, where
        self.line = data.line if isinstance(data, Located) else line
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        self.seen: set[str] = set()
        if not isinstance(data, dict):
            self.fail(f"{where or 'the file'} must be a mapping of keys to values")

    def line_of(self, key: str | None = None) -> int | None:
        """The line of ``key`` in this mapping, else the line the mapping starts on."""
        if key is None:
            return self.line
        return getattr(self.data, "key_lines", {}).get(key, self.line)

    def fail(self, message: str, key: str | None = None) -> None:
        raise ConfigError(message, path=str(self.file), line=self.line_of(key), hint=SCHEMA_HINT)

    def _key(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def raw(self, key: str, default: Any = ...) -> Any:
        self.seen.add(key)
        if key in self.data and self.data[key] is not None:
            return self.data[key]
        if default is not ...:
            return default
        self.fail(f"'{self._key(key)}' is missing")
        return None

    def text(self, key: str, fields: Fields = (), default: str | None = None) -> str:
        """A text; ``fields`` are the placeholders it may use (None: printed as written)."""
        value = self.raw(key, ... if default is None else default)
        if not isinstance(value, str):
            self.fail(f"'{self._key(key)}' must be text, not {type(value).__name__}", key)
        if fields is not None:
            check_placeholders(
                self.file, self._key(key), value, frozenset(fields), self.line_of(key)
            )
        return value

    def maybe_text(self, key: str, fields: Fields = ()) -> str | None:
        if self.raw(key, None) is None:
            return None
        return self.text(key, fields)

    def choice(self, key: str, options: Iterable[str], default: str | None = None) -> str:
        value = self.text(key, default=default)
        options = tuple(options)
        if value not in options:
            self.fail(
                f"'{self._key(key)}' is '{value}'; it must be one of {', '.join(options)}", key
            )
        return value

    def flag(self, key: str, default: bool | None = None) -> bool:
        value = self.raw(key, ... if default is None else default)
        if not isinstance(value, bool):
            self.fail(f"'{self._key(key)}' must be true or false", key)
        return value

    def number(self, key: str, default: int) -> int:
        value = self.raw(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.fail(f"'{self._key(key)}' must be a whole number", key)
        return value

    def sub(self, key: str, default: Any = ...) -> Reader:
        return Reader(self.file, self.raw(key, default), self._key(key), self.line_of(key))

    def items(self, key: str) -> list[Reader]:
        value = self.raw(key, [])
        if not isinstance(value, list):
            self.fail(f"'{self._key(key)}' must be a list", key)
        line = self.line_of(key)
        return [Reader(self.file, v, f"{self._key(key)}[{i}]", line) for i, v in enumerate(value)]

    def subs(self, key: str) -> dict[str, Reader]:
        """A mapping of names the clerk chooses to blocks: ``procedural: {minutes: {...}}``."""
        block = self.sub(key, {})
        block.seen = set(block.data)
        return {str(name): block.sub(str(name), {}) for name in block.data}

    def texts(self, key: str, fields: Fields = (), *, single: bool = False) -> tuple[str, ...]:
        """A list of texts; with ``single``, one text alone stands for a list of one."""
        value = self.raw(key, [])
        if single and isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"'{self._key(key)}' must be a list of texts", key)
        for i, v in enumerate(value if fields is not None else ()):
            check_placeholders(
                self.file, f"{self._key(key)}[{i}]", v, frozenset(fields or ()), self.line_of(key)
            )
        return tuple(value)

    def phrases(self, key: str, fields: Fields = ()) -> dict[str, str]:
        """A mapping of names the clerk chooses to texts: ``kinds: {pecuniary: ...}``."""
        block = self.sub(key, {})
        out = {str(name): block.text(str(name), fields) for name in block.data}
        block.done()
        return out

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            self.fail(f"unknown key '{self._key(unknown[0])}'", unknown[0])
