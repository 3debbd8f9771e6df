"""Careless and hostile edits to a course: every run ends clean or in located errors.

Hypothesis mutates a copy of the mini course — keys deleted, types changed, ids
duplicated, references broken, YAML broken in the ways editors break it (tabs, bad
indentation, unclosed quotes), alias bombs, binary garbage, bytes that are not UTF-8, a
byte-order mark, huge files, a file cut short — and checks each with ``load_checked``:
it must return, or raise ContentError whose every problem names a file, line and
column. Never another exception, never a run past its time bound. A few of the worst
are then built for real, in a child process with a memory limit, over an existing
site/, which must survive the failed build untouched.

``make fuzz`` runs many more examples (MESOTRAIN_FUZZ_EXAMPLES).
"""
from __future__ import annotations

import hashlib
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mesotrain.errors import ContentError
from mesotrain.checks import load_checked
from tests.conftest import FIXTURES, ROOT
from tests.figures import record

EXAMPLES = int(os.environ.get("MESOTRAIN_FUZZ_EXAMPLES", "80"))
TIME_BOUND_S = 20  # far above the ~0.1 s a check of the mini course takes
FILES = sorted(str(p.relative_to(FIXTURES / "mini")) for p in (FIXTURES / "mini").rglob("*.yaml"))
# Problems about a whole file (it is missing, unreadable or too large) have no line to point at.
WHOLE_FILE = ("missing:", "cannot read", "far more than a course file needs", "larger than any course file")

BOMB = "".join(
    [f"lol{0}: &lol0 [" + ", ".join(['"lol"'] * 9) + "]\n"]
    + [f"lol{n}: &lol{n} [" + ", ".join([f"*lol{n - 1}"] * 9) + "]\n" for n in range(1, 10)])


def _paths(data, loc=()):
    """Every (path, value) in parsed YAML."""
    yield loc, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, loc + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, loc + (i,))


def _set(data, loc, value):
    node = data
    for part in loc[:-1]:
        node = node[part]
    if value is _DELETE:
        del node[loc[-1]]
    else:
        node[loc[-1]] = value


_DELETE = object()
_OTHER_TYPES = [None, 0, -1, 3.5, True, "", "word", [], ["a", "b"], {}, {"k": "v"}, "x" * 5000]


def _data_mutation(kind: str, text: str, rng: random.Random) -> str:
    data = yaml.safe_load(text)
    paths = [(loc, v) for loc, v in _paths(data) if loc]
    if kind == "delete-key":
        keyed = [loc for loc, _ in paths if isinstance(loc[-1], str)]
        _set(data, rng.choice(keyed), _DELETE)
    elif kind == "change-type":
        loc, value = rng.choice(paths)
        _set(data, loc, rng.choice([t for t in _OTHER_TYPES if type(t) is not type(value)]))
    elif kind == "duplicate-id":
        ids = [(loc, v) for loc, v in paths if loc[-1] == "id" and isinstance(v, str)]
        if len(ids) >= 2:
            (a, _), (_, value) = rng.sample(ids, 2)
            _set(data, a, value)
    elif kind == "break-reference":
        refs = [loc for loc, v in paths if isinstance(v, str) and len(loc) >= 2 and (
            loc[-2] in ("sources", "questions", "pool", "must_pass", "lessons")
            or loc[-1] in ("objective", "lesson", "domain", "image", "src"))]
        if refs:
            _set(data, rng.choice(refs), rng.choice(["nope", "s9", "x-q99", "../../etc/passwd", "ÿ", ""]))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _text_mutation(kind: str, raw: bytes, rng: random.Random) -> bytes:
    lines = raw.split(b"\n")
    n = rng.randrange(len(lines))
    if kind == "tabs":
        lines[n] = b"\t" + lines[n].lstrip(b" ")
    elif kind == "bad-indent":
        lines[n] = lines[n][1:] if lines[n].startswith(b" ") else b"   " + lines[n]
    elif kind == "unclosed-quote":
        cut = rng.randrange(len(lines[n]) + 1)
        lines[n] = lines[n][:cut] + b'"' + lines[n][cut:]
    elif kind == "alias-bomb":
        return raw + b"\n" + BOMB.encode()
    elif kind == "binary":
        cut = rng.randrange(len(raw) + 1)
        return raw[:cut] + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64))) + raw[cut:]
    elif kind == "not-utf8":
        cut = rng.randrange(len(raw) + 1)
        return raw[:cut] + b"\xff\xfe\xc3" + raw[cut:]
    elif kind == "bom":
        return b"\xef\xbb\xbf" + raw
    elif kind == "huge":
        return raw + b"\n# padding\n" + (b"# " + b"x" * 1000 + b"\n") * 2500
    elif kind == "truncate":
        return raw[: rng.randrange(len(raw) + 1)]
    return b"\n".join(lines)


DATA_KINDS = ["delete-key", "change-type", "duplicate-id", "break-reference"]
TEXT_KINDS = ["tabs", "bad-indent", "unclosed-quote", "alias-bomb", "binary", "not-utf8", "bom", "huge",
              "truncate"]


def _mutate(root: Path, kind: str, name: str, rng: random.Random) -> None:
    path = root / name
    raw = path.read_bytes()
    if kind in DATA_KINDS:
        path.write_text(_data_mutation(kind, raw.decode("utf-8"), rng), encoding="utf-8")
    else:
        path.write_bytes(_text_mutation(kind, raw, rng))


def _outcome(root: Path) -> str:
    start = time.monotonic()
    try:
        load_checked(root, strict=True)
        outcome = "clean"
    except ContentError as exc:
        unlocated = [p for p in exc.problems
                     if not p.file or (p.line < 1 and not any(w in p.message for w in WHOLE_FILE))]
        outcome = "unlocated" if unlocated else "located errors"
        assert not unlocated, [str(p) for p in unlocated]
    except Exception:  # the failure this test exists for: report it with its traceback
        record("course mutations", _current_kind, "traceback")
        raise
    if time.monotonic() - start > TIME_BOUND_S:
        return "hang"
    return outcome


_current_kind = ""


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kind=st.sampled_from(DATA_KINDS + TEXT_KINDS), name=st.sampled_from(FILES), seed=st.integers(0, 2**32 - 1))
def test_any_mutation_ends_clean_or_in_located_errors(tmp_path_factory, kind, name, seed):
    global _current_kind
    _current_kind = kind
    root = tmp_path_factory.mktemp("mutant") / "mini"
    shutil.copytree(FIXTURES / "mini", root, ignore=shutil.ignore_patterns(".cache"))
    _mutate(root, kind, name, random.Random(seed))
    outcome = _outcome(root)
    record("course mutations", kind, outcome)
    assert outcome != "hang", f"{kind} on {name} took more than {TIME_BOUND_S} s"
    shutil.rmtree(root.parent, ignore_errors=True)


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _limited():
    """In the child: at most 2 GiB of address space, so a runaway expansion fails instead of the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))


@pytest.fixture(scope="module")
def built_mini(tmp_path_factory):
    project = tmp_path_factory.mktemp("fuzz-build") / "mini"
    shutil.copytree(FIXTURES / "mini", project, ignore=shutil.ignore_patterns(".cache"))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../overrides", str(ROOT / "overrides")))
    mesotrain = str(Path(sys.executable).with_name("mesotrain"))
    run = subprocess.run([mesotrain, "build"], cwd=project, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return project


@pytest.mark.parametrize("kind, name", [("alias-bomb", "quizzes/01-basics.yaml"),
                                        ("unclosed-quote", "content/01-basics.yaml"),
                                        ("binary", "quizzes/exam.yaml"),
                                        ("change-type", "content/course.yaml")])
def test_a_failed_build_leaves_the_last_site_whole_within_bounds(built_mini, kind, name):
    project = built_mini
    site = project / "site"
    before = _digest(site)
    original = (project / name).read_bytes()
    rng = random.Random(7)
    for _ in range(20):  # a change-type may happen to keep the course valid: try another spot
        _mutate(project, kind, name, rng)
        try:
            load_checked(project)
        except ContentError:
            break
        (project / name).write_bytes(original)
    try:
        run = subprocess.run([str(Path(sys.executable).with_name("mesotrain")), "build"], cwd=project,
                             capture_output=True, text=True, timeout=120, preexec_fn=_limited)
    finally:
        (project / name).write_bytes(original)
    outcome = "located errors" if run.returncode == 1 else f"exit {run.returncode}"
    if "Traceback" in run.stderr:
        outcome = "traceback"
    record("failed builds over a good site", kind, outcome)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr[-2000:]
    assert f"{name}:" in run.stderr
    assert _digest(site) == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site-")]
