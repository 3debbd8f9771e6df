"""Generate a synthetic course of N lessons × Q questions, and its plain-Material twins.

    python bench/synth.py N Q OUT

OUT/mesotrain/ is a mesotrain course (YAML). The twins are plain Material for MkDocs sites
with the same prose as Markdown, the same theme settings and the same navigation (Home,
then a Lessons section):

- OUT/plain/: the prose only, questions left out;
- OUT/markdown/: the same questions written as ordinary Markdown at the end of each lesson
  (stem, options as a task list, explanation): the floor for putting those words on a page;
- OUT/mkdocs-quiz/ and OUT/quizdown/: the questions in the syntax of those two plugins.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

WORDS = ("scalp follicle session injection source practitioner trainee mixture vitamin depth "
         "needle dermis patient result maintenance caution evidence claim region technique "
         "protocol interval response redness bruising assessment history consent record plan").split()

MKDOCS = """site_name: Synthetic course
docs_dir: docs
theme:
  name: material
  font: false
  features: [navigation.instant, content.tooltips]
plugins: [search{plugin}]
markdown_extensions: [admonition, attr_list, md_in_html, tables, toc, pymdownx.details, pymdownx.superfences{extra}]
"""
TWINS = {  # folder: (plugin, extra Markdown extension, how one question is written)
    "plain": ("", "", None),
    "markdown": ("", ", pymdownx.tasklist", lambda q: "\n".join(
        [f"**{q['stem']}**", ""] + [f"- [{'x' if o.get('correct') else ' '}] {o['text']}" for o in q["options"]]
        + ["", q["rationale"]])),
    "mkdocs-quiz": (", mkdocs_quiz", "", lambda q: "\n".join(
        ["<quiz>", q["stem"]] + [f"- [{'x' if o.get('correct') else ' '}] {o['text']}" for o in q["options"]]
        + ["", q["rationale"], "</quiz>"])),
    "quizdown": (", quizdown", "", lambda q: "\n".join(
        [":::{quizdown}", f"# {q['stem']}", ""] + [f"- [{'x' if o.get('correct') else ' '}] {o['text']}"
                                                  for o in q["options"]] + ["", f"> {q['rationale']}", ":::"])),
}


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, words: int) -> str:
    out, count = [], 0
    while count < words:
        n = rng.randint(8, 18)
        out.append(sentence(rng, n))
        count += n
    return " ".join(out)


def question(rng: random.Random, lesson: int, k: int) -> dict:
    qid = f"l{lesson:03d}-q{k:02d}"
    multiple = k % 3 == 0
    options = [{"text": sentence(rng, 5), "feedback": sentence(rng, 8)} for _ in range(4)]
    for i in (rng.sample(range(4), 2) if multiple else [rng.randrange(4)]):
        options[i]["correct"] = True
    return {"id": qid, "type": "multiple" if multiple else "single", "objective": f"l{lesson:03d}-o1",
            "stem": sentence(rng, 12)[:-1] + "?", "options": options,
            "rationale": sentence(rng, 20), "sources": ["s1"]}


def generate(n: int, q: int, out: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    course = out / "mesotrain"
    for d in [course / "content", course / "quizzes", course / "docs"] + [out / t / "docs" for t in TWINS]:
        d.mkdir(parents=True, exist_ok=True)
    (course / "mkdocs.yml").write_text(MKDOCS.format(plugin=", mesotrain", extra=""))
    ids = [f"lesson-{i:03d}" for i in range(n)]
    dump = lambda data, path: path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    dump({"id": "synthetic", "title": "Synthetic course", "version": "1", "audience": "Benchmarks.",
          "disclaimer": "Not advice.", "introduction": "Generated.", "domains": [{"id": "d", "title": "D"}],
          "lessons": ids}, course / "content" / "course.yaml")
    dump({"sources": [{"id": "s1", "title": "Source", "publisher": "P", "kind": "k", "reliability": "r"}]},
         course / "content" / "sources.yaml")
    plain_index = ["# Synthetic course", "", "Generated."]
    for i, lid in enumerate(ids):
        title = f"Lesson {i}: " + sentence(rng, 3)[:-1]
        sections = [{"title": sentence(rng, 3)[:-1], "blocks": [
            {"kind": "text", "md": paragraph(rng, 50), "sources": ["s1"]},
            {"kind": "text", "md": paragraph(rng, 50), "sources": ["s1"]}]} for _ in range(4)]
        dump({"id": lid, "title": title, "domain": "d", "summary": sentence(rng, 15),
              "objectives": [{"id": f"l{i:03d}-o1", "text": "Do the thing."}], "sections": sections},
             course / "content" / f"{i:03d}-{lid}.yaml")
        questions = [question(rng, i, k) for k in range(q)]
        if q:
            dump({"id": f"{lid}-practice", "lesson": lid, "questions": questions},
                 course / "quizzes" / f"{i:03d}-{lid}.yaml")
        md = [f"# {title}", ""] + [f"## {s['title']}\n\n" + "\n\n".join(b["md"] for b in s["blocks"])
                                   for s in sections]
        for twin, (_, _, write) in TWINS.items():
            practice = ["## Practice"] + [write(x) for x in questions] if write and questions else []
            (out / twin / "docs" / f"{lid}.md").write_text("\n\n".join(md + practice) + "\n")
    # mesotrain puts the lessons in a section of their own; so do the twins. Material renders
    # a flat list of 200 pages faster, so a flat twin would charge the quizzes for the nav.
    nav = ["nav:", "  - Home: index.md", "  - Lessons:"] + [f"    - {lid}.md" for lid in ids]
    for twin, (plugin, extra, _) in TWINS.items():
        (out / twin / "docs" / "index.md").write_text("\n".join(plain_index) + "\n")
        (out / twin / "mkdocs.yml").write_text(MKDOCS.format(plugin=plugin, extra=extra) + "\n".join(nav) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: python bench/synth.py N Q OUT")
    generate(int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
