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
# Bounds on what one file may expand to. Aliases let a kilobyte of YAML stand for billions of
# values ("billion laughs"); no course file comes near these, so past them the file is refused.
MAX_VALUES = 200_000  # values and keys once every alias is expanded
MAX_DEPTH = 64  # mappings and lists nested in one another
WARN_BYTES = 2 * 1024 * 1024  # larger than any course file needs: warn
MAX_BYTES = 32 * 1024 * 1024  # not read at all
_MERGE = "tag:yaml.org,2002:merge"
_VALUE = "tag:yaml.org,2002:value"  # a "=" key, which flatten_mapping makes a plain string


@dataclass
class Document:
    """One YAML file: its data, and where each value and key is (1-based line, column).

    Positions are looked up in the composed node tree only when a problem is reported,
    which is rare; building a table of them up front cost more than the parse itself.
    A pickled document (the build engine keeps them on disk) leaves its node tree out,
    which cost several times the parse to store and load, and parses ``text`` again
    if a position is ever asked for.
    """

    file: str
    data: Any
    root: yaml.Node | None = None
    text: str | None = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "root": None}

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Where ``loc`` is; the nearest enclosing node when ``loc`` itself is absent."""
        if self.root is None and self.text is not None:
            again, _ = parse(self.text, self.file)
            self.root = again.root if again is not None else None
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


class _TooDeep(Exception):
    """Building went past MAX_DEPTH: _bounded says where."""


def _build(node: yaml.Node, loc: Loc, doc: Document, ctor: _Builder,
           problems: list[Problem], depth: int = 1) -> Any:
    if depth > MAX_DEPTH:
        raise _TooDeep
    if isinstance(node, yaml.MappingNode):
        if not hasattr(node, "merged"):  # an anchored mapping is built again at each alias
            tags = [k.tag for k, _ in node.value]
            if _MERGE in tags or _VALUE in tags:  # what flatten_mapping changes; nearly never
                explicit = len(tags) - tags.count(_MERGE)
                ctor.flatten_mapping(node)
                node.merged = len(node.value) - explicit  # merged pairs come first
            else:
                node.merged = 0
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
                out[key] = _build(value_node, loc + (key,), doc, ctor, problems, depth + 1)  # ranks them)
                continue
            if key in own:
                line, col = _mark(key_node)
                first = _mark(_child(node, key)[0])[0]
                problems.append(Problem(doc.file, line, col, format_loc(loc + (key,)),
                                        f"duplicate key '{key}' (first given at line {first})"))
                continue
            own.add(key)
            out[key] = _build(value_node, loc + (key,), doc, ctor, problems, depth + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, loc + (i,), doc, ctor, problems, depth + 1) for i, item in enumerate(node.value)]
    if node.tag == _STR:  # most scalars: skip the constructor's bookkeeping
        return node.value
    return ctor.construct_object(node, deep=True)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _bounded(root: yaml.Node, file: str) -> Problem | None:
    """A problem when the tree loops through an alias, nests too deep, or expands past
    MAX_VALUES; measured on the composed tree (aliases shared), so a bomb costs nothing."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_: set[int] = set()  # nodes on the current path
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        k = id(node)
        if done:
            kids = _children(node)
            size[k] = 1 + sum(size[id(c)] for c in kids)
            depth[k] = 1 + max((depth[id(c)] for c in kids), default=0)
            open_.discard(k)
            line, col = _mark(node)
            if depth[k] > MAX_DEPTH:
                return Problem(file, line, col, "", f"nested more than {MAX_DEPTH} levels deep; "
                               "no course file needs that (is an alias repeating itself?)")
            if size[k] > MAX_VALUES:
                return Problem(file, line, col, "", f"this value expands to more than {MAX_VALUES:,} "
                               "values through aliases (*name); write the values out, or use fewer aliases")
            continue
        if k in size:
            continue
        if k in open_:
            line, col = _mark(node)
            return Problem(file, line, col, "", "this anchor is used inside itself: an alias "
                           "here leads back to the mapping or list that contains it")
        open_.add(k)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node))
    return None


def _compose(text: str, loader_class) -> yaml.Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or "invalid YAML"
    if exc.context and "quoted scalar" in exc.context and exc.context_mark:
        # the scanner notices at the end of the file; the mistake is where the quote opens
        mark = exc.context_mark
        what = "this quoted text is never closed (a missing closing quote)"
    elif exc.context:
        what = f"{exc.context}, {what}"
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if "block end" in what or "mapping values are not allowed" in what:
        what += " (check the indentation of this line and the one above it)"
    return Problem(file, line, col, "", f"YAML syntax error: {what}")


def parse(text: str, file: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML text; on a syntax error return no document and one problem at its mark."""
    problems: list[Problem] = []
    try:
        node = _compose(text, _Parser)
    except RecursionError:
        return None, [Problem(file, 1, 1, "", f"nested more than {MAX_DEPTH} levels deep; no course file needs that")]
    except yaml.YAMLError as first:
        try:  # the pure-Python parser words syntax errors more helpfully; errors are rare
            node = _compose(text, _Builder)
        except yaml.MarkedYAMLError as exc:
            return None, [_syntax_problem(exc, file)]
        except (yaml.YAMLError, RecursionError) as exc:  # too deep for it, or unmarked
            if isinstance(first, yaml.MarkedYAMLError):
                return None, [_syntax_problem(first, file)]
            return None, [Problem(file, 1, 1, "", f"YAML error: {exc or first}")]
    doc = Document(file, None, node, text)
    if node is None:
        doc.data = {}
        return doc, problems
    # Without an anchor (&name) no alias can share a node, and a text of fewer than MAX_VALUES / 4
    # characters holds fewer than MAX_VALUES values (at most two a character and one more, as
    # "?" is three: tests/test_yamlsource.py): only the nesting needs watching, which building
    # does on its way down. Nearly every course file is such; walking its tree first cost about
    # a fifth of loading it.
    shared = "&" in text or len(text) >= MAX_VALUES // 4
    bound = _bounded(node, file) if shared else None
    if bound is not None:
        return None, [bound]
    ctor = _Builder("")
    try:
        doc.data = _build(node, (), doc, ctor, problems)
    except _TooDeep:  # only without _bounded first: it says where, as it would have
        return None, [_bounded(node, file)]
    except yaml.constructor.ConstructorError as exc:
        if not shared and (bound := _bounded(node, file)) is not None:
            return None, [bound]  # too deep as well: that is reported first, as before
        mark = exc.problem_mark
        return None, [Problem(file, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                              "", f"YAML error: {exc.problem}")]
    return doc, problems


def read(path: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """Read and parse a file; unreadable, oversized or non-UTF-8 files become problems."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [_too_big(display, size)]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, 0, 0, "", f"cannot read: {exc.strerror}")]
    return decode(raw, display)


def _too_big(display: str, size: int) -> Problem:
    return Problem(display, 0, 0, "", f"{size / 2**20:.0f} MB is far more than a course "
                   f"file needs (the limit is {MAX_BYTES // 2**20} MB); is it the file you meant?")


def decode(raw: bytes, display: str) -> tuple[Document | None, list[Problem]]:
    """Parse a file's bytes (the build engine reads them once, to key the file by their digest)."""
    size = len(raw)
    if size > MAX_BYTES:
        return None, [_too_big(display, size)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _text_position(raw, exc.start)
        return None, [Problem(display, line, col, "", f"not UTF-8 text: byte 0x{raw[exc.start]:02x} "
                              f"({exc.reason}); save the file as UTF-8")]
    if text.startswith("\ufeff"):  # a byte-order mark some editors write: harmless
        text = text[1:]
    doc, problems = parse(text, display)
    if size > WARN_BYTES:
        problems.append(Problem(display, 0, 0, "", f"{size / 2**20:.1f} MB is larger than any course file "
                                f"needs (over {WARN_BYTES // 2**20} MB); check it is the file you meant",
                                "warning"))
    return doc, problems


def _text_position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset, reading what precedes it."""
    before = raw[:offset]
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    return line, len(before[start:].decode("utf-8", errors="replace")) + 1
