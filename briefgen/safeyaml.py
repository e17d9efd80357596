"""YAML text → plain data and the line of every key: the one loader for every YAML briefgen reads.

The config and the front matter of Markdown articles both go through `parse`, which:
- builds only plain values (mappings, lists, strings, numbers, dates, booleans): tags that would
  build objects are refused (PyYAML's SafeLoader);
- refuses a document that expands past MAX_NODES values through aliases ("billion laughs"),
  before anything is built from it;
- refuses a key given twice in one mapping, naming both lines (YAML would keep the last one and
  drop the first in silence).
"""

from __future__ import annotations

from dataclasses import dataclass
import re
from typing import Any

import yaml

MAX_NODES = 200_000
"""Values a document may expand to, aliases followed."""

Loc = tuple[Any, ...]


@dataclass(frozen=True)
class YamlProblem(Exception):
    """Why a YAML text was refused: a message, the 1-based line when known, a hint."""

    message: str
    line: int | None = None
    hint: str | None = None


def parse(text: str, max_nodes: int = MAX_NODES, name: str = "the YAML") -> tuple[Any, dict[Loc, int]]:
    """(data, line of each key and list item by its path) of one YAML document; YamlProblem if refused.

    `name` says what the text is in messages ("the config", "the front matter")."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax(exc, text) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML error: {exc}") from None
    lines: dict[Loc, int] = {}
    if node is not None:
        _walk(node, (), lines, [max_nodes], f"{name} expands to more than {max_nodes:,} values")
    try:
        loader = yaml.SafeLoader("")
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise _syntax(exc, text) from None
    except (yaml.YAMLError, TypeError, ValueError) as exc:  # e.g. an unhashable key
        raise YamlProblem(f"YAML error: {exc}") from None
    return data, lines


def _walk(node: yaml.Node, loc: Loc, out: dict[Loc, int], budget: list[int], too_big: str) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlProblem(f"{too_big} (aliases nested too deep?)",
                          hint="write the values out instead of nesting aliases")
    out.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) else id(k)
            line = k.start_mark.line + 1
            if key in seen and key != "<<":
                raise YamlProblem(f"key '{key}' is given twice (lines {seen[key]} and {line})", line,
                                  "keep one of them: YAML would silently use only the last")
            seen[key] = line
            out[loc + (key,)] = line
            _walk(v, loc + (key,), out, budget, too_big)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, loc + (i,), out, budget, too_big)


def _syntax(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    """A syntax error, placed where the user can fix it: an unclosed quote at the line it opens."""
    what = exc.problem or "invalid YAML"
    if "tag" in what:
        what += " (only plain YAML is read; tags that build objects are refused)"
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    opened = _unclosed_quote(text, line)
    if opened:  # the parser stops where the string ends by chance: say where it began
        return YamlProblem("YAML error: a quoted string is not closed", opened,
                           "close the quote on this line (or fix the YAML syntax near it)")
    return YamlProblem(f"YAML error: {what}", line, "fix the YAML syntax at that line")


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s#'"][^:#]*:\s+|-\s+)(["'])(.*)$""")


def _unclosed_quote(text: str, upto: int | None) -> int | None:
    """The first line, up to the error, whose value opens a quote it does not close on that line."""
    for n, line in enumerate(text.splitlines()[:upto], 1):
        m = _QUOTED_VALUE.match(line)
        if not m:
            continue
        quote, rest = m.group(1), m.group(2)
        closed = re.search(r'(?<!\\)"' if quote == '"' else r"'(?!')", rest.replace("''", ""))
        if not closed:
            return n
    return None
