"""imsmanifest.xml for SCORM 1.2 and SCORM 2004 4th Edition.

The package is one SCO, the whole course site behind one launch page: the site has its own
navigation, and one SCO keeps one attempt's data (lessons visited, the exam) together.
A manifest names the schema files it is written against; they travel in the package
(``SCHEMAS``, copied from the published bindings: schemas/NOTICE.md).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

SCHEMAS = Path(__file__).resolve().parent / "schemas"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass(frozen=True)
class Version:
    name: str             # as the command takes it: 1.2 | 2004
    label: str            # for people
    schemaversion: str    # the manifest's <schemaversion>
    cp: str               # the content-packaging namespace (the manifest's default)
    adlcp: str
    extra: dict[str, str] = field(default_factory=dict)  # other prefixes the manifest uses
    locations: tuple[tuple[str, str], ...] = ()          # namespace → schema file, for xsi:schemaLocation
    suspend_limit: int = 0                                # characters of cmi suspend_data an LMS must keep

    def schema_files(self) -> list[Path]:
        return sorted(p for p in (SCHEMAS / self.name).iterdir() if p.is_file())


SCORM12 = Version(
    "1.2", "SCORM 1.2", "1.2",
    cp="http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2",
    locations=(("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
               ("http://www.imsglobal.org/xsd/imsmd_rootv1p2p1", "imsmd_rootv1p2p1.xsd"),
               ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd")),
    suspend_limit=4096,
)
SCORM2004 = Version(
    "2004", "SCORM 2004 4th Edition", "2004 4th Edition",
    cp="http://www.imsglobal.org/xsd/imscp_v1p1",
    adlcp="http://www.adlnet.org/xsd/adlcp_v1p3",
    extra={"adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
           "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
           "imsss": "http://www.imsglobal.org/xsd/imsss"},
    locations=(("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
               ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
               ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
               ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
               ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd")),
    suspend_limit=64000,
)
VERSIONS = {v.name: v for v in (SCORM12, SCORM2004)}
DEFAULT = "2004"


@dataclass(frozen=True)
class Outline:
    """What the manifest says of the course."""

    id: str
    title: str
    version: str
    pass_mark: float | None                 # the exam's, as a fraction; None without an exam
    objectives: tuple[tuple[str, str], ...]  # (objective id, title): one per exam domain


IDS = {"manifest": "mesotrain-course", "organization": "mesotrain-org", "item": "mesotrain-item",
       "resource": "mesotrain-sco"}


def manifest(outline: Outline, version: Version, launch: str, files: list[str]) -> bytes:
    """The manifest of a one-SCO package whose launch page is ``launch``; ``files`` are every
    file of the SCO (zip paths, the launch page among them), listed in its resource."""
    # Prefixes are written as they are (ElementTree keeps a tag without {uri} verbatim), so the
    # manifest reads like every other: the packaging namespace unprefixed, adlcp: and imsss: known.
    root = ET.Element("manifest", {
        "identifier": f"{IDS['manifest']}-{outline.id}", "version": outline.version,
        "xmlns": version.cp, "xmlns:adlcp": version.adlcp,
        **{f"xmlns:{prefix}": uri for prefix, uri in version.extra.items()},
        "xmlns:xsi": XSI, "xsi:schemaLocation": " ".join(f"{n} {f}" for n, f in version.locations)})
    meta = ET.SubElement(root, "metadata")
    ET.SubElement(meta, "schema").text = "ADL SCORM"
    ET.SubElement(meta, "schemaversion").text = version.schemaversion

    orgs = ET.SubElement(root, "organizations", {"default": IDS["organization"]})
    org = ET.SubElement(orgs, "organization", {"identifier": IDS["organization"]})
    ET.SubElement(org, "title").text = outline.title
    item = ET.SubElement(org, "item", {"identifier": IDS["item"], "identifierref": IDS["resource"]})
    ET.SubElement(item, "title").text = outline.title
    if version is SCORM12:
        if outline.pass_mark is not None:  # 0–100, against cmi.core.score.raw
            ET.SubElement(item, "adlcp:masteryscore").text = _number(100 * outline.pass_mark)
        kind = {"adlcp:scormtype": "sco"}
    else:
        _sequencing(ET.SubElement(item, "imsss:sequencing"), outline)
        kind = {"adlcp:scormType": "sco"}

    resources = ET.SubElement(root, "resources")
    res = ET.SubElement(resources, "resource", {
        "identifier": IDS["resource"], "type": "webcontent", **kind, "href": launch})
    for name in sorted(files):
        ET.SubElement(res, "file", {"href": name})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _sequencing(seq: ET.Element, outline: Outline) -> None:
    """2004: the exam is the primary objective, one more per exam domain. The content sets the
    success status itself (satisfiedByMeasure is false), because passing also needs the
    must-pass items and any domain minimum, which a score threshold alone cannot say; the
    pass mark is still given as the objective's minimum measure, for the LMS to show."""
    objectives = ET.SubElement(seq, "imsss:objectives")
    primary = ET.SubElement(objectives, "imsss:primaryObjective",
                            {"objectiveID": "exam", "satisfiedByMeasure": "false"})
    if outline.pass_mark is not None:
        ET.SubElement(primary, "imsss:minNormalizedMeasure").text = _number(outline.pass_mark)
    for objective_id, _title in outline.objectives:
        ET.SubElement(objectives, "imsss:objective", {"objectiveID": objective_id})
    ET.SubElement(seq, "imsss:deliveryControls", {"completionSetByContent": "true", "objectiveSetByContent": "true"})


def _number(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")
