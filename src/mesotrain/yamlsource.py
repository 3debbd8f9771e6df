"""Read a YAML file into plain data while remembering where every node came from.

PyYAML's composer gives each node a start mark; the document keeps the composed
node tree and finds a node by its path (a tuple of keys and indexes) when asked, so
a validation error on ``sections[1].blocks[0].sources[0]`` can be reported at its
own line and column.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

Loc = tuple[Any, ...]
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


@dataclass
class Document:
    """One YAML file: its data, and where each value and key is (1-based line, column).

    Positions are looked up in the composed node tree only when a problem is reported,
    which is rare; building a table of them up front cost more than the parse itself.
    """

    file: str
    data: Any
    root: yaml.Node | None = None

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Where ``loc`` is; the nearest enclosing node when ``loc`` itself is absent."""
        node = self.root
        if node is None:
            return (1, 1)
        key_node = None
        for part in loc:
            found = _child(node, part)
            if found is None:
                break
            key_node, node = found
        return _mark(key_node if key and key_node is not None else node)

    def problem(self, loc: Loc, message: str, *, key: bool = False,
                severity: str = "error") -> Problem:
        line, col = self.position(loc, key=key)
        return Problem(self.file, line, col, format_loc(loc), message, severity)


def _child(node: yaml.Node, part: Any) -> tuple[yaml.Node | None, yaml.Node] | None:
    """The (key node, value node) of ``part`` under ``node`` that the data holds (the
    mapping's own first occurrence, else the last merged one), or a sequence index."""
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        merged = getattr(node, "merged", 0)
        for key_node, value_node in node.value[merged:] + node.value[merged - 1::-1] if merged else node.value:
            if isinstance(key_node, yaml.ScalarNode) and _key(key_node) == part:
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def _key(key_node: yaml.Node, ctor: yaml.SafeLoader | None = None) -> str | None:
    """A mapping key as the data has it: strings as written, true/false and numbers as
    their text; None for any other key (null, a list, a date…)."""
    if key_node.tag == _STR:  # nearly always: skip the constructor
        return key_node.value
    key = (ctor or _Builder("")).construct_object(key_node, deep=True)
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key) if isinstance(key, (int, float)) else None


def format_loc(loc: Loc) -> str:
    """``('sections', 1, 'blocks', 0)`` → ``sections[1].blocks[0]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _Builder(yaml.SafeLoader):
    """A SafeLoader used only for its scalar constructors."""


# libyaml's parser, when PyYAML was built with it, composes nodes (marks included) ~10× faster.
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(node: yaml.Node, loc: Loc, doc: Document, ctor: _Builder,
           problems: list[Problem]) -> Any:
    if isinstance(node, yaml.MappingNode):
        if not hasattr(node, "merged"):  # an anchored mapping is built again at each alias
            explicit = sum(1 for k, _ in node.value if k.tag != _MERGE)
            ctor.flatten_mapping(node)
            node.merged = len(node.value) - explicit  # merged pairs come first
        out: dict[Any, Any] = {}
        own: set[str] = set()  # keys the mapping gives itself, which win over merged ones
        for n, (key_node, value_node) in enumerate(node.value):
            key = _key(key_node, ctor)
            if key is None:
                line, col = _mark(key_node)
                problems.append(Problem(doc.file, line, col, format_loc(loc),
                                        "a mapping key must be a plain word"))
                continue
            if n < node.merged:  # from a << merge: a later one replaces it (PyYAML's order
                out[key] = _build(value_node, loc + (key,), doc, ctor, problems)  # ranks them)
                continue
            if key in own:
                line, col = _mark(key_node)
                first = _mark(_child(node, key)[0])[0]
                problems.append(Problem(doc.file, line, col, format_loc(loc + (key,)),
                                        f"duplicate key '{key}' (first given at line {first})"))
                continue
            own.add(key)
            out[key] = _build(value_node, loc + (key,), doc, ctor, problems)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, loc + (i,), doc, ctor, problems) for i, item in enumerate(node.value)]
    if node.tag == _STR:  # most scalars: skip the constructor's bookkeeping
        return node.value
    return ctor.construct_object(node, deep=True)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _looping(root: yaml.Node) -> yaml.Node:
    """The first node found inside itself (through an alias), depth first."""
    path, stack = [], [(root, iter(_children(root)))]
    path.append(id(root))
    while stack:
        node, rest = stack[-1]
        child = next(rest, None)
        if child is None:
            stack.pop(), path.pop()
        elif id(child) in path:
            return child
        else:
            stack.append((child, iter(_children(child)))), path.append(id(child))
    return root


def _compose(text: str, loader_class) -> yaml.Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = exc.problem or "invalid YAML"
    if exc.context:
        what = f"{exc.context}, {what}"
    if "block end" in what or "mapping values are not allowed" in what:
        what += " (check the indentation of this line and the one above it)"
    return Problem(file, line, col, "", f"YAML syntax error: {what}")


def parse(text: str, file: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML text; on a syntax error return no document and one problem at its mark."""
    problems: list[Problem] = []
    try:
        node = _compose(text, _Parser)
    except yaml.YAMLError:
        try:  # the pure-Python parser words syntax errors more helpfully; errors are rare
            node = _compose(text, _Builder)
        except yaml.MarkedYAMLError as exc:
            return None, [_syntax_problem(exc, file)]
        except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
            return None, [Problem(file, 1, 1, "", f"YAML error: {exc}")]
    doc = Document(file, None, node)
    if node is None:
        doc.data = {}
        return doc, problems
    ctor = _Builder("")
    try:
        doc.data = _build(node, (), doc, ctor, problems)
    except RecursionError:
        line, col = _mark(_looping(node))
        return None, [Problem(file, line, col, "", "this anchor is used inside itself: an alias "
                              "here leads back to the mapping or list that contains it")]
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        return None, [Problem(file, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                              "", f"YAML error: {exc.problem}")]
    return doc, problems


def read(path: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """Read and parse a file; unreadable or non-UTF-8 files become problems, not tracebacks."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(display, 1, 1, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return None, [Problem(display, 0, 0, "", f"cannot read: {exc.strerror}")]
    return parse(text, display)
