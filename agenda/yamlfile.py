"""YAML that remembers where things are: the one loader for the files clerks edit
(``boardclerk.yaml``, a house style's ``style.yaml`` and ``minutes.yaml``), so that every
mistake can be reported with its line.

Mappings load as :class:`Located` (the line each starts on and the line of each key); a key
given twice in one block is a :class:`ConfigError` with its line (the caller adds the file);
a date that does not exist (2027-02-30) stays text so validation can say which, and where.

The loader is bounded, because these files are input too: nesting deeper than
:data:`MAX_DEPTH`, more than :data:`MAX_ALIASES` aliases, a document whose values expand
through aliases to more than :data:`MAX_EXPANDED_NODES` ("billion laughs"), or a list or block
used as a key is a :class:`ConfigError` with its line, found before anything is expanded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from agenda.errors import ConfigError


class Located(dict[Any, Any]):
    """A mapping that remembers the line it started on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


# A real file is a few KB, nested a handful of levels deep, with no aliases; "billion laughs"
# files are small on disk but expand, through nested aliases, to billions of values.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
MAX_ALIASES = 1000
MAX_EXPANDED_NODES = 200_000


class LineLoader(yaml.SafeLoader):
    """A SafeLoader whose mappings are :class:`Located`, refusing files that nest too deeply,
    use too many aliases, or expand (through aliases) to too many values."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _limit(event, f"the file uses more than {MAX_ALIASES} aliases (*name)")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _limit(event, f"the settings are nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_document(self, node: yaml.Node) -> Any:
        _check_expansion(node)
        return super().construct_document(node)


def _limit(event: yaml.Event, message: str) -> ConfigError:
    return ConfigError(
        message,
        path="",
        line=event.start_mark.line + 1 if event.start_mark else None,
        hint="a configuration file needs no aliases or deep nesting; write the values out",
    )


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a document whose values, with every alias expanded, exceed
    :data:`MAX_EXPANDED_NODES`. Counted over the node graph with memoisation, so the check
    itself costs time linear in the file, not in the expansion."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a recursive alias counts once, not forever
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        total = min(total, MAX_EXPANDED_NODES + 1)
        sizes[id(node)] = total
        if total > MAX_EXPANDED_NODES:
            raise ConfigError(
                f"the value starting here expands to more than {MAX_EXPANDED_NODES:,} "
                "values through aliases",
                path="",
                line=node.start_mark.line + 1,
                hint="a configuration file needs no aliases; write the values out",
            )
        return total

    size(root)


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> Located:
    result = Located()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool | dt.date) and key is not None:
            raise ConfigError(
                "a setting's name must be plain text, not a list or a block",
                path="",
                line=key_node.start_mark.line + 1,
                hint="check for a stray '?' or '[' at the start of the line",
            )
        if key in result:
            raise ConfigError(
                f"'{key}' is given twice in the same block",
                path="",
                line=key_node.start_mark.line + 1,
                hint="keep one of them",
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_timestamp(loader: LineLoader, node: yaml.ScalarNode) -> Any:
    # PyYAML raises a bare ValueError on 2027-02-30; keep the text so validation can say
    # which date, on which line, does not exist.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load(text: str) -> Any:
    """Parse ``text``; yaml.YAMLError or ConfigError (a key given twice) on a mistake."""
    return yaml.load(text, Loader=LineLoader)  # noqa: S506 - a SafeLoader subclass
