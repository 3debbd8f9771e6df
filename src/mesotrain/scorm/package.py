"""``mesotrain package scorm``: the course site as a SCORM package an LMS imports.

The site is built afresh from a copy of the course whose exam runs in open mode (scored in
the browser, so the key is in the package), with file URLs (``page.html``, no server
needed to find ``index.html``), no instant navigation (it needs the site's own address)
and no offline worker (an LMS serves the package; a worker would keep stale copies). A
launch page holds the LMS session; the site runs in a frame under it (runtime/).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from ..checks import load_checked
from ..errors import MesotrainError, UsageError
from ..exam import sealed_exam
from ..plugin.build import build_site, course_root, for_package
from ..types import interactions
from ..types import of as type_of
from .manifest import DEFAULT, VERSIONS, Outline, Version, manifest

RUNTIME = Path(__file__).resolve().parent / "runtime"
LAUNCH = "launch.html"
SCRIPT = "mesotrain-scorm.js"
COURSE_FOLDERS = ("content", "quizzes")
SKIP = (".map", ".gz")
LUNR = "assets/javascripts/lunr/"
MODE = re.compile(r"^mode:.*$", re.M)
RANGE = "[:]"


@dataclass
class Packaged:
    """What the command reports."""

    path: Path
    version: Version
    files: int
    size: int
    exam: bool
    warnings: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)


def package_scorm(config_file: Path, version: str = DEFAULT, out: Path | None = None, *,
                  step: Callable[[str], None] = lambda _: None,
                  progress: Callable[[int, int], None] | None = None) -> Packaged:
    """Build the SCORM package of the course configured by ``config_file``; ``out`` is
    replaced only once the new package is complete."""
    if version not in VERSIONS:
        raise UsageError(f"unknown SCORM version '{version}'; use one of {', '.join(VERSIONS)}")
    if not config_file.is_file():
        raise UsageError(f"no MkDocs config at '{config_file}'; pass --config-file PATH")
    v = VERSIONS[version]
    with tempfile.TemporaryDirectory(prefix="mesotrain-scorm-") as tmp:
        work = Path(tmp)
        found: dict = {}

        def adjust(config) -> None:
            root = course_root(config)
            step(f"checking the course in {root}")
            tree, warnings = load_checked(root)  # problems named by the course's own files
            found.update(tree=tree, warnings=[str(w) for w in warnings])
            copy = _open_copy(root, work / "course")
            for_package(config, copy, scripts=[SCRIPT])
            step(f"building the site for {v.label}, with the exam in open mode")

        warnings: list[str] = []
        site = build_site(config_file, work / "site", warnings=warnings, adjust=adjust, progress=progress)
        tree = found["tree"]
        step("adding the SCORM runtime and the manifest")
        for unused in ("sw.js", "404.html"):  # no offline worker; an LMS shows its own "not found"
            (site / unused).unlink(missing_ok=True)
        shutil.copyfile(RUNTIME / "scorm.js", site / SCRIPT)
        (site / LAUNCH).write_text(_launch_page(tree, v), encoding="utf-8")
        problems = audit_site(site)
        if problems:
            raise MesotrainError("the package would not be self-contained:\n" + "\n".join(problems))
        course = tree.course.model
        target = out or Path(f"{course.id}-scorm-{v.name}.zip")
        files = _files(site, course.language)
        outline = _outline(tree)
        xml = manifest(outline, v, LAUNCH, [quote(f) for f in files])
        step(f"writing {target}")
        size = _write_zip(target, xml, v, site, files)
    return Packaged(target, v, len(files), size, tree.exam is not None, found["warnings"] + warnings,
                    limits(tree, v))


def limits(tree, v: Version) -> list[str]:
    """What the LMS will not get of the exam's questions in this version, by question type:
    a type that cannot be an interaction, and (1.2) a correct response 1.2 cannot write: a
    numeric range, or a pattern past its 255 characters. The runtime still records the
    response and the result of each."""
    sealed = sealed_exam(tree)
    if sealed is None:
        return []
    found: dict[tuple[str, str], list[str]] = {}
    for item in sealed.drawn:
        for sub_id, part, i in interactions(sealed.pool[item].question):
            if i is None:
                reason = getattr(type_of(part), "interaction", "")
                found.setdefault((part.type, f"not recorded as an interaction ({reason})"), []).append(sub_id)
            elif v.name == "1.2" and any(p.count(RANGE) and len(set(p.split(RANGE))) > 1 for p in i["correct"]):
                found.setdefault((part.type, "recorded without its correct response: SCORM 1.2 has no numeric "
                                             "ranges (the answer's tolerance)"), []).append(sub_id)
            elif v.name == "1.2" and any(len(p) > 255 for p in i["correct"]):
                found.setdefault((part.type, "some correct responses left out: longer than SCORM 1.2's 255 "
                                             "characters"), []).append(sub_id)
    return [f"{kind}: {', '.join(ids)}: {what}" for (kind, what), ids in sorted(found.items())]


def _files(site: Path, language: str) -> list[str]:
    """The site's files the package carries: not source maps or compressed copies, nor the
    search's other languages (Material loads them only for a course in that language)."""
    out = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if rel.endswith(SKIP) or (language == "en" and rel.startswith(LUNR)):
            path.unlink()
        else:
            out.append(rel)
    return out


def _open_copy(root: Path, copy: Path) -> Path:
    """The course files, with the exam in open mode."""
    for name in COURSE_FOLDERS:
        if (root / name).is_dir():
            shutil.copytree(root / name, copy / name)
    exam = copy / "quizzes" / "exam.yaml"
    if exam.is_file():
        text = exam.read_text(encoding="utf-8")
        text = MODE.sub("mode: open", text) if MODE.search(text) else text.rstrip("\n") + "\nmode: open\n"
        exam.write_text(text, encoding="utf-8")
    return copy


def _outline(tree) -> Outline:
    course = tree.course.model
    exam = tree.exam.model if tree.exam is not None else None
    titles = {d.id: d.title for d in course.domains}
    objectives = tuple((f"domain.{r.domain}", titles.get(r.domain, r.domain)) for r in exam.blueprint) if exam else ()
    return Outline(course.id, course.title, course.version, exam.pass_mark if exam else None, objectives)


def _launch_page(tree, v: Version) -> str:
    """The page the LMS launches: the LMS session, and the site in a frame under it."""
    course, exam = tree.course.model, tree.exam.model if tree.exam is not None else None
    lessons = [lesson.model.id for lesson in sorted(tree.lessons, key=lambda l: course.lessons.index(l.model.id)
                                                     if l.model.id in course.lessons else len(course.lessons))]
    data = {"version": v.name, "course": course.id, "title": course.title, "lessons": lessons,
            "exam": exam.id if exam else None, "pass_mark": exam.pass_mark if exam else None,
            "suspend_limit": v.suspend_limit, "start": "index.html"}
    page = (RUNTIME / "launch.html").read_text(encoding="utf-8")
    return (page.replace("__LANG__", escape(course.language)).replace("__TITLE__", escape(course.title))
            .replace("__DATA__", escape(json.dumps(data, ensure_ascii=False, separators=(",", ":"))))
            .replace("__SCRIPT__", SCRIPT))


def _write_zip(target: Path, xml: bytes, v: Version, site: Path, files: list[str]) -> int:
    """Write the zip beside ``target`` and move it into place: a failure keeps the old one."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, part = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("imsmanifest.xml", xml)
            for schema in v.schema_files():
                z.write(schema, schema.name)
            for name in files:
                z.write(site / name, name)
        os.replace(part, target)
    except BaseException:
        Path(part).unlink(missing_ok=True)
        raise
    return target.stat().st_size


# --- self-containment: what the package's pages fetch ---------------------------------------

FETCHES = re.compile(r"""<(script|img|link|iframe|source|audio|video|embed)\b[^>]*?\s(src|href)\s*=\s*["']([^"']*)["']""",
                     re.I)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""", re.I)
ROOTED = re.compile(r"""\s(?:src|href|action)\s*=\s*["'](/[^"']*)["']""", re.I)


def _off_site(url: str) -> bool:
    return bool(re.match(r"^([a-z][a-z0-9+.-]*:|//)", url, re.I)) and not url.startswith(("data:", "blob:", "#"))


def audit_site(site: Path) -> list[str]:
    """Problems that would break the package in an LMS: a page or stylesheet fetching from
    another host, or a path from the server's root (the package's place there is unknown)."""
    problems = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8", errors="replace")
            for tag, _attr, url in FETCHES.findall(text):
                if _off_site(url) and not (tag.lower() == "link" and _not_fetched(text, url)):
                    problems.append(f"{rel}: <{tag}> loads {url} from another host")
            problems += [f"{rel}: {url} is a path from the server's root, not relative" for url in ROOTED.findall(text)
                         if not url.startswith("//")]
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8", errors="replace")
            problems += [f"{rel}: url({url}) is fetched from another host" for url in CSS_URL.findall(text)
                         if _off_site(url)]
    return problems


def _not_fetched(text: str, url: str) -> bool:
    """A <link> that names a URL without loading it (rel=canonical, alternate)."""
    m = re.search(r"<link\b[^>]*" + re.escape(url) + r"[^>]*>", text)
    return bool(m and re.search(r"""rel\s*=\s*["'](canonical|alternate|author|license)["']""", m.group(0), re.I))
