"""YAML that remembers where things are: the one loader for the files clerks edit
(``boardclerk.yaml``, a house style's ``style.yaml`` and ``minutes.yaml``), so that every
mistake can be reported with its line.

Mappings load as :class:`Located` (the line each starts on and the line of each key); a key
given twice in one block is a :class:`ConfigError` with its line (the caller adds the file);
a date that does not exist (2027-02-30) stays text so validation can say which, and where.
"""

from __future__ import annotations

from typing import Any

import yaml

from agenda.errors import ConfigError


class Located(dict[Any, Any]):
    """A mapping that remembers the line it started on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LineLoader(yaml.SafeLoader):
    """A SafeLoader whose mappings are :class:`Located`."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> Located:
    result = Located()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
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
