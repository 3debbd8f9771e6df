"""The question-type registry: every type has every part, in Python and in the JS runtime,
and nothing outside mesotrain/types/ switches on a question's type."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from mesotrain import types
from mesotrain.model import QUESTION_TYPES
from mesotrain.types.base import OPTIONAL, PARTS
from mesotrain.types.foreign import Exchange, decision

SRC = Path(__file__).resolve().parent.parent / "src" / "mesotrain"
ASSETS = SRC / "assets"
TEMPLATES = SRC / "templates" / "questions" / "types"


def test_registry_lists_the_schema_types_in_order():
    assert types.NAMES == QUESTION_TYPES
    assert [t.NAME for t in types.TYPES] == list(types.NAMES)


@pytest.mark.parametrize("t", types.TYPES, ids=lambda t: t.NAME)
def test_every_type_module_defines_every_part(t):
    missing = [p for p in PARTS if p not in vars(t)]
    assert not missing, f"types/{t.NAME}.py lacks {missing}"
    for name in PARTS:
        if name not in ("NAME", "Body"):
            assert callable(getattr(t, name)), f"{t.NAME}.{name} is not callable"
    unknown = [n for n in vars(t) if n.islower() and n in OPTIONAL and OPTIONAL[n] is None
               and getattr(t, n) is not None
               and not (callable(getattr(t, n)) or isinstance(getattr(t, n), (str, Exchange)))]
    assert not unknown
    assert t.COMPOSITE or (TEMPLATES / f"{t.NAME}.html.j2").is_file(), f"no widget template types/{t.NAME}.html.j2"


# Exchange formats each type must decide on: a part that writes it, or a str saying why it cannot.
FORMATS = ("interaction", "qti")


@pytest.mark.parametrize("slot", FORMATS)
@pytest.mark.parametrize("t", types.TYPES, ids=lambda t: t.NAME)
def test_every_type_decides_each_format(t, slot):
    part = getattr(t, slot)
    assert callable(part) or (isinstance(part, str) and part.strip()), \
        f"types/{t.NAME}.py: {slot} is neither a part that writes it nor a reason why it cannot"


@pytest.mark.parametrize("t", types.TYPES, ids=lambda t: t.NAME)
def test_an_interaction_comes_with_its_answer_or_parts(t):
    if t.COMPOSITE:
        assert callable(t.parts), f"types/{t.NAME}.py: a composite lists its parts' interactions with parts(q)"
    else:
        assert callable(t.interaction) and callable(t.answer), f"types/{t.NAME}.py lacks interaction or answer"


def test_interactions_js_decides_each_type():
    got = _node("const s = require('./lazy/interactions.js'); console.log(JSON.stringify("
                "Object.fromEntries(Object.entries(s.TYPES).map(([k, v]) => [k, Object.keys(v)]))))")
    assert sorted(got) == sorted(types.NAMES)
    for name, parts in got.items():
        want = ["parts"] if types.REGISTRY[name].COMPOSITE else ["answer", "of"]
        assert sorted(parts) == want, f"interactions.js TYPES.{name} has {parts}, wants {want}"


# The exchange formats each type must decide about (add "qti" once every type has its decision).
EXCHANGE = ("gift", "moodle")


@pytest.mark.parametrize("fmt", EXCHANGE)
@pytest.mark.parametrize("t", types.TYPES, ids=lambda t: t.NAME)
def test_every_type_decides_what_each_exchange_format_does_with_it(t, fmt):
    slot = decision(t, fmt)
    assert slot is not None, (f"types/{t.NAME}.py has no {fmt} decision: set `{fmt} = Exchange(write, read)`, "
                              f"or `{fmt} = \"why the format cannot carry it\"`")
    if isinstance(slot, str):
        assert len(slot.split()) >= 5, f"{t.NAME}.{fmt}: say in words why the format cannot carry it"
    else:
        assert callable(slot.write) and callable(slot.read)


def test_a_type_without_a_decision_is_caught():
    class Undecided:
        gift = None
    assert decision(Undecided, "gift") is None and decision(Undecided, "moodle") is None


def _node(script: str):
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True, cwd=ASSETS)
    return json.loads(out.stdout)


def test_scoring_js_has_a_rule_and_a_key_per_type():
    got = _node("const s = require('./lazy/scoring.js'); console.log(JSON.stringify("
                "Object.fromEntries(Object.entries(s.TYPES).map(([k, v]) => [k, Object.keys(v)]))))")
    assert sorted(got) == sorted(types.NAMES)
    for name, parts in got.items():
        assert {"share", "key"} <= set(parts), f"scoring.js TYPES.{name} lacks share or key"


def test_quiz_js_has_controls_per_type():
    # quiz.js needs a DOM to run; read its table instead: `name: …` entries between `const TYPES = {` and `};`
    text = (ASSETS / "quiz.js").read_text()
    table = text[text.index("const TYPES = {"):]
    table = table[:table.index("\n  };")]
    entries = dict(re.findall(r"^    (\w+): (.*)$", table, re.M))
    assert sorted(entries) == sorted(types.NAMES)
    helpers = {"choice": "read write mark", "named": "read write mark"}
    for name, head in entries.items():
        t = types.REGISTRY[name]
        if t.COMPOSITE:
            assert "parts: true" in head
            continue
        helper = re.match(r"(\w+)\(", head)
        if helper:
            assert helper.group(1) in helpers, f"quiz.js {name}: unknown helper {helper.group(1)}"
            continue
        body = table[table.index(f"    {name}: {{"):]
        body = body[:body.index("\n    },")]
        for part in ("read", "write", "mark"):
            assert re.search(rf"^      {part}[(:]", body, re.M), f"quiz.js TYPES.{name} lacks {part}"


# A switch on the question type: comparing .type (or a local t/kind) with a type name, or listing names.
_NAMES = "|".join(types.NAMES)
SWITCH = re.compile(rf"""(\.type|\btype|\bt|\bkind|mtType|mtField)\s*(==|!=|===|!==|\bin\b|\bnot in\b)\s*[\("']*({_NAMES})\b"""
                    rf"""|["']({_NAMES})["']\s*,\s*["']({_NAMES})["']""")


# Nothing outside the type modules may switch on the type; keep this empty.
PENDING: set[str] = set()


def test_nothing_outside_the_type_modules_switches_on_the_type():
    hits = []
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in (".py", ".js", ".j2") or "types" in path.relative_to(SRC).parts:
            continue
        if str(path.relative_to(SRC)) in PENDING:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SWITCH.search(line):
                hits.append(f"{path.relative_to(SRC)}:{n}: {line.strip()}")
    assert not hits, "type switches outside mesotrain/types/:\n" + "\n".join(hits)


def test_the_switch_pattern_finds_a_switch():
    assert SWITCH.search('if q.type == "cloze":')
    assert SWITCH.search("if (t === 'ordering') {")
    assert SWITCH.search('CHOICE = ("single", "multiple")')
    assert not SWITCH.search('if b.model.kind == "practice":')
