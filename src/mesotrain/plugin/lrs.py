"""The optional Learning Record Store: its settings under the mesotrain plugin in mkdocs.yml,
checked whole, and the one script a site with an LRS loads (settings + assets/lazy/xapi.js).

    plugins:
      - mesotrain:
          lrs:
            endpoint: https://lrs.example.org/xapi/
            key: !ENV MESOTRAIN_LRS_KEY        # a key that may only write statements
            secret: !ENV MESOTRAIN_LRS_SECRET
            activities: https://training.example.org/hair/   # default: site_url
            sealed: true                       # sealed attempts are also submitted to the LRS

Without ``lrs`` nothing of this reaches a page.
"""
from __future__ import annotations

import base64
import json
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import ValidationError

from .. import xapi
from ..render.runtime import served

KEYS = {"endpoint", "key", "secret", "activities", "sealed"}
SCRIPT_URL = "assets/mesotrain/lrs.js"
RUNTIME = Path(__file__).resolve().parent.parent / "assets" / "lazy" / "xapi.js"


class LrsOption(opt.BaseConfigOption):
    """``lrs:``: None (off, the default) or the checked settings; every problem is reported at once."""

    def run_validation(self, value: object) -> dict | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise ValidationError("expected the LRS settings (endpoint, key, secret), "
                                  f"got {type(value).__name__}: see guide/lrs.md")
        problems = [f"lrs.{k}: unknown setting (known: {', '.join(sorted(KEYS))})" for k in sorted(value) if k not in KEYS]
        if (p := xapi.endpoint_problem(value.get("endpoint"))) is not None:
            problems.append(f"lrs.endpoint: {p}")
        for name in ("key", "secret"):
            v = value.get(name)
            if not isinstance(v, str) or not v.strip():
                problems.append(f"lrs.{name}: missing" + ("" if v is None else " (it is empty)")
                                + f"; give the LRS's write-only {name}, e.g. `{name}: !ENV MESOTRAIN_LRS_{name.upper()}`"
                                  " (an unset environment variable reads as missing)")
            elif ":" in v and name == "key":
                problems.append("lrs.key: a key cannot hold ':' in HTTP basic authentication")
        if value.get("activities") is not None and (p := xapi.iri_problem(value["activities"])) is not None:
            problems.append(f"lrs.activities: {p}")
        if not isinstance(value.get("sealed", True), bool):
            problems.append("lrs.sealed: expected true or false")
        if problems:
            raise ValidationError("\n".join(problems))
        return {"endpoint": xapi.endpoint(value["endpoint"].strip()), "key": value["key"], "secret": value["secret"],
                "activities": value.get("activities"), "sealed": value.get("sealed", True)}


def settle(lrs: dict, site_url: str | None) -> dict | None:
    """The activity base (lrs.activities, else site_url); None when there is neither."""
    base = lrs["activities"] or site_url
    if not base or xapi.iri_problem(base):
        return None
    return {**lrs, "activities": xapi.activity_base(base)}


def script(lrs: dict, course_title: str) -> str:
    """The script a page loads when an LRS is set: its settings, then the runtime."""
    token = base64.b64encode(f"{lrs['key']}:{lrs['secret']}".encode()).decode()
    settings = {"endpoint": lrs["endpoint"], "auth": "Basic " + token, "activities": lrs["activities"],
                "course": course_title, "sealed": lrs["sealed"], "version": xapi.XAPI_VERSION,
                "verbs": xapi.VERBS, "types": xapi.ACTIVITY_TYPES,
                "ext": {"file": xapi.RESULT_FILE, "attempt": xapi.ATTEMPT, "home": xapi.TRAINEE_HOME}}
    head = ("/* mesotrain: this site sends xAPI statements to a Learning Record Store (guide/lrs.md). */\n"
            "(window.mesotrain = window.mesotrain || {}).lrs = "
            + json.dumps(settings, ensure_ascii=True).replace("</", "<\\/") + ";\n")
    return head + served(RUNTIME)  # without comments, as the site carries the rest of the runtime
