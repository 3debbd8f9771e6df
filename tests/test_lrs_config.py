"""The optional LRS in mkdocs.yml: off by default, checked whole, and only then a script on the pages."""
from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.config.base import ValidationError

from mesotrain.plugin.lrs import SCRIPT_URL, LrsOption

MKDOCS = [sys.executable, "-m", "mkdocs"]
GOOD = {"endpoint": "https://lrs.example.org/xapi", "key": "site", "secret": "s3cret"}


def with_lrs(root: Path, lines: str, site_url: str = "") -> Path:
    config = root / "mkdocs.yml"
    text = config.read_text().replace("plugins: [search, mesotrain]",
                                      "plugins:\n  - search\n  - mesotrain:\n      lrs:\n" + lines)
    config.write_text(text + (f"site_url: {site_url}\n" if site_url else ""))
    return config


def mkdocs_build(root: Path, site: Path, **env) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(MKDOCS + ["build", "--strict", "-q", "-d", str(site)], cwd=root, capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=300)


def test_settings_are_checked_and_every_problem_is_said_at_once():
    with pytest.raises(ValidationError) as info:
        LrsOption().validate({"endpoint": "http://lrs.example.org/xapi/", "secret": "", "activites": "x",
                              "activities": "not an iri", "sealed": "yes"})
    said = str(info.value).splitlines()
    assert said == [
        "lrs.activites: unknown setting (known: activities, endpoint, key, sealed, secret)",
        "lrs.endpoint: 'http://lrs.example.org/xapi/' would send the LRS key in clear text: use https:// "
        "(plain http is accepted only for an LRS on this machine)",
        "lrs.key: missing; give the LRS's write-only key, e.g. `key: !ENV MESOTRAIN_LRS_KEY` "
        "(an unset environment variable reads as missing)",
        "lrs.secret: missing (it is empty); give the LRS's write-only secret, e.g. `secret: !ENV MESOTRAIN_LRS_SECRET` "
        "(an unset environment variable reads as missing)",
        "lrs.activities: 'not an iri' is not an absolute address (IRI), like https://training.example.org/course/",
        "lrs.sealed: expected true or false",
    ]


@pytest.mark.parametrize("endpoint, says", [
    ("lrs.example.org/xapi", "needs https:// and a host"),
    ("https://", "needs https:// and a host"),
    ("https://k:s@lrs.example.org/xapi/", "holds credentials"),
    ("https://lrs.example.org/xapi/?x=1", "query or fragment"),
    ("https://lrs.example.org:99999/", "not a web address"),
    (42, "an LRS endpoint is a web address"),
])
def test_a_bad_endpoint_is_refused(endpoint, says):
    with pytest.raises(ValidationError, match=re.escape(says)):
        LrsOption().validate({**GOOD, "endpoint": endpoint})


def test_good_settings_are_kept_with_one_trailing_slash():
    assert LrsOption().validate(GOOD) == {"endpoint": "https://lrs.example.org/xapi/", "key": "site",
                                          "secret": "s3cret", "activities": None, "sealed": True}
    assert LrsOption().validate({**GOOD, "endpoint": "http://127.0.0.1:8100/xAPI/"})["endpoint"] == \
        "http://127.0.0.1:8100/xAPI/"
    assert LrsOption().validate(None) is None


def test_a_site_with_an_lrs_loads_its_script_and_a_plain_site_does_not(fixture_copy, tmp_path):
    plain = fixture_copy("mini")
    assert mkdocs_build(plain, tmp_path / "plain").returncode == 0
    lesson = (tmp_path / "plain" / "lessons" / "basics" / "index.html").read_text()
    assert "lrs.js" not in lesson and not (tmp_path / "plain" / SCRIPT_URL).exists()

    root = tmp_path / "with"
    plain.rename(root)
    with_lrs(root, "        endpoint: https://lrs.example.org/xapi\n        key: !ENV MT_KEY\n"
                   "        secret: !ENV MT_SECRET\n        activities: https://training.example.org/mini\n")
    run = mkdocs_build(root, tmp_path / "site", MT_KEY="site-key", MT_SECRET="write-only")
    assert run.returncode == 0, run.stderr
    for page in ("lessons/basics", "exam", ""):
        html = (tmp_path / "site" / page / "index.html").read_text()
        assert re.search(r'<script src="[./]*assets/mesotrain/lrs\.js"', html), page
    script = (tmp_path / "site" / SCRIPT_URL).read_text()
    settings = json.loads(script.split(".lrs = ", 1)[1].split(";\n", 1)[0])
    assert settings["endpoint"] == "https://lrs.example.org/xapi/"
    assert settings["activities"] == "https://training.example.org/mini/"
    assert base64.b64decode(settings["auth"].removeprefix("Basic ")) == b"site-key:write-only"
    assert settings["sealed"] is True and settings["course"] == "Mini course"
    assert "function builders(" in script  # the runtime follows its settings


def test_a_missing_credential_fails_the_build_with_a_clear_message(fixture_copy, tmp_path):
    root = fixture_copy("mini")
    with_lrs(root, "        endpoint: https://lrs.example.org/xapi\n        key: !ENV MT_KEY\n"
                   "        secret: !ENV MT_UNSET_SECRET\n", site_url="https://training.example.org/mini/")
    run = mkdocs_build(root, tmp_path / "site", MT_KEY="site-key")
    assert run.returncode == 1
    assert "lrs.secret: missing; give the LRS's write-only secret" in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "site").exists()


def test_activity_ids_need_site_url_or_activities(fixture_copy, tmp_path):
    root = fixture_copy("mini")
    with_lrs(root, "        endpoint: https://lrs.example.org/xapi\n        key: k\n        secret: s\n")
    run = mkdocs_build(root, tmp_path / "site")
    assert run.returncode == 1 and "lrs.activities: xAPI activity ids need a base address" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
