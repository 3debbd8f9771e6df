"""The offline copy of a built site: a service worker (sw.js at the site root) that precaches it.

The worker is ours and small (templates/sw.js); the build writes its precache list, every
file of the built site, and a version that changes whenever any of them does, so browsers
install a republished site. Writing it needs only the finished site folder: no MkDocs here.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

WORKER = "sw.js"
TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / WORKER
# Not needed offline: compressed duplicates, source maps, and the search languages other than
# the page's (Material loads lunr's language files only for a non-English site).
SKIP = (".gz", ".map")
SKIP_DIRS = ("assets/javascripts/lunr/",)


def precache_list(site: Path) -> list[tuple[str, Path]]:
    """(site-relative URL, file) for every file to keep offline; pages by their directory URL."""
    out = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if rel == WORKER or rel.endswith(SKIP) or rel.startswith(SKIP_DIRS):
            continue
        if rel == "index.html" or rel.endswith("/index.html"):
            rel = rel[: -len("index.html")] or "./"
        out.append((rel, path))
    return out


def write_worker(site: Path, serving: bool = False) -> Path:
    """Write sw.js into the built site; its version is a digest of every precached file.

    While serving, the worker written is one that removes itself and its copy: a worker
    left from a built site previewed on the same address would otherwise keep answering
    from that copy, and live reload would never show an edit.
    """
    files = [] if serving else precache_list(site)
    digest = hashlib.sha256()
    for url, path in files:
        digest.update(url.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    text = (TEMPLATE.read_text(encoding="utf-8")
            .replace("__VERSION__", "serve" if serving else digest.hexdigest()[:16])
            .replace("__FILES__", "null" if serving else json.dumps([url for url, _ in files], separators=(",", ":"))))
    out = site / WORKER
    out.parent.mkdir(parents=True, exist_ok=True)  # a serve whose first build wrote nothing yet
    out.write_text(text, encoding="utf-8")
    return out
