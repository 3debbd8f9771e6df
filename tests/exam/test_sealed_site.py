"""Sealed means sealed: build the site and look for every exam item's key material in
every file of it — pages, scripts, JSON, the search index, the sitemap.

Runs on the mini fixture (whose exam items carry SECRET-… markers in their feedback,
rationale and accepted variants) and on the real course when it has an exam and
checks clean.
"""
from __future__ import annotations

import gzip
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mesotrain.exam import sealed_exam
from mesotrain.checks import load_checked
from tests.conftest import FIXTURES, ROOT


def _build(project: Path, out: Path) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "-q", "-d", str(out)],
                         cwd=project, capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return out


@pytest.fixture(scope="module", params=["mini", "course"])
def built(request, tmp_path_factory):
    """(course root, built site) for the mini fixture and, when it is ready, the real course."""
    if request.param == "mini":
        project = tmp_path_factory.mktemp("sealed") / "mini"
        shutil.copytree(FIXTURES / "mini", project)
        config = project / "mkdocs.yml"
        config.write_text(config.read_text().replace("../../../overrides", str(ROOT / "overrides")))
    else:
        project = ROOT
        if not (ROOT / "quizzes" / "exam.yaml").is_file():
            pytest.skip("the real course has no quizzes/exam.yaml yet")
        check = subprocess.run([str(Path(sys.executable).with_name("mesotrain")), "check"], cwd=ROOT,
                               capture_output=True, text=True, timeout=300)
        if check.returncode != 0:
            pytest.skip("the real course does not check clean yet:\n" + check.stderr[-800:])
    return project, _build(project, tmp_path_factory.mktemp("site") / "site")


def _texts(q) -> tuple[list[str], list[str]]:
    """(key material, public text) of a question or case part."""
    key, public = [], [q.stem]
    if getattr(q, "rationale", None):
        key.append(q.rationale)
    for o in getattr(q, "options", []) or []:
        public.append(o.text)
        if o.feedback:
            key.append(o.feedback)
    for attr in ("feedback_true", "feedback_false"):
        if getattr(q, attr, None):
            key.append(getattr(q, attr))
    for p in getattr(q, "pairs", []) or []:
        public += [p.premise, p.match]
        if p.feedback:
            key.append(p.feedback)
    for r in getattr(q, "regions", []) or []:
        public += [r.id, r.label]
        if r.feedback:
            key.append(r.feedback)
    for b in getattr(q, "blanks", []) or []:
        public += b.choices or []
        key += b.accept
    public += [getattr(q, "vignette", None) or "", getattr(q, "text", None) or "", *getattr(q, "distractors", [])]
    public += [i.text for i in getattr(q, "items", []) or []]
    for part in getattr(q, "parts", []) or []:
        k, p = _texts(part)
        key += k
        public += p
    return key, public


def _secrets(root: Path) -> tuple[list[str], str]:
    """Key material of every exam item that appears nowhere the course publishes on purpose."""
    tree, _ = load_checked(root)
    exam = sealed_exam(tree)
    published = [p.read_text(encoding="utf-8") for p in sorted((root / "content").glob("*.yaml"))]
    published += [(root / b.doc.file).read_text(encoding="utf-8") for b in tree.banks if b.model.kind == "practice"]
    key = []
    for item in exam.pool.values():
        k, public = _texts(item.question)
        published += public
        key += k
    corpus = "\n".join(published).lower()
    return sorted({s for s in key if len(s.strip()) >= 4 and s.lower() not in corpus}), corpus


def _site_files(site: Path):
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix in (".png", ".ico", ".woff", ".woff2"):
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        yield path.relative_to(site), data.decode("utf-8", "replace")


def test_no_exam_key_material_in_any_file_of_the_site(built):
    root, site = built
    secrets, corpus = _secrets(root)
    if root != ROOT:
        assert any("SECRET-RATIONALE-x05" == s for s in secrets) and "SECRETVARIANTapex" in secrets
    forms = set()
    for s in secrets:  # as written, as HTML and JSON escape it, and its longest run free of Markdown marks
        forms |= {s, html.escape(s), html.escape(s, quote=False), json.dumps(s)[1:-1]}
        plain = max(re.split(r"[*_`\[\]<>&'\"#|\\]+", s), key=len)
        if len(plain) >= 24 and plain.lower() not in corpus:
            forms.add(plain)
    found = [(str(rel), s[:60]) for rel, text in _site_files(site) for s in forms if s in text]
    assert found == [], f"exam key material published: {found[:10]}"


def _exam_page(site: Path) -> tuple[str, dict]:
    page = (site / "exam" / "index.html").read_text(encoding="utf-8")
    config = json.loads(html.unescape(re.search(r'data-mt-exam="([^"]*)"', page).group(1)))
    return page, config


def test_the_exam_page_carries_no_key_structure(built):
    root, site = built
    page, config = _exam_page(site)
    assert config["exam"]["mode"] == "sealed" and "open" not in config
    blob = json.dumps(config)
    for word in ("correct", "answer", "accept", "feedback", "rationale", "must_pass", "pass_mark"):
        assert f'"{word}"' not in blob
    assert "data-mt-data" not in page and "mt-explain" not in page and "Show the answer" not in page
    assert not re.search(r"data-mt-correct|\bcorrect\s*[:=]", page)


def test_sealed_controls_are_named_by_tokens_not_by_authored_ids(built):
    root, site = built
    page, config = _exam_page(site)
    tree, _ = load_checked(root)
    exam = sealed_exam(tree)
    for item in exam.drawn:
        q = exam.pool[item].question
        block = page[page.index(f'id="q-{item}"'):]
        block = block[:block.index('<div class="mt-q ', 10)] if '<div class="mt-q ' in block[10:] else block
        ids = [o.id for o in getattr(q, "options", []) or []] + [i.id for i in getattr(q, "items", []) or []]
        ids += [p.id for p in getattr(q, "pairs", []) or []]
        for ident in ids:
            assert f'value="{ident}"' not in block and f'data-mt-item="{ident}"' not in block, (item, ident)
            assert f'data-mt-premise="{ident}"' not in block, (item, ident)


def test_exam_pages_are_not_in_the_search_index(built):
    _, site = built
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("exam")]


def test_a_sealed_cloze_input_does_not_tell_the_answer_length():
    from mesotrain.model import Blank
    from mesotrain.render.context import Course, PageContext
    from mesotrain.render.questions import render_question

    tree, _ = load_checked(FIXTURES / "mini")
    q = sealed_exam(tree).pool["x07"].question
    longer = q.model_copy(update={"blanks": [Blank.model_construct(**{**b.model_dump(), "accept": ["a" * 25]})
                                             for b in q.blanks]})
    c = PageContext(Course(tree), "")
    assert render_question(q, None, c, mode="sealed") == render_question(longer, None, c, mode="sealed")


def test_a_course_without_an_exam_has_no_exam_or_verify_page(fixture_copy):
    from mesotrain.render import render_site

    root = fixture_copy("mini")
    with_exam = {p.path for p in render_site(load_checked(root)[0])}
    (root / "quizzes" / "exam.yaml").unlink()
    shutil.rmtree(root / "quizzes" / "exam-pool")
    without = {p.path for p in render_site(load_checked(root)[0])}
    exam_only = with_exam - without
    assert {"exam.md", "verify.md"} <= exam_only, exam_only
    assert not any("certificate" in p or "schema" in p for p in without), without
