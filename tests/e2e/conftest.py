"""Shared end-to-end fixtures: built sites, a loopback static server, Debian's Chromium.

- ``mini_site`` / ``course_site``: the site of tests/fixtures/mini and of the real course,
  built once per session with ``mkdocs build`` into a temporary folder (a Path).
- ``mini_url`` / ``course_url``: that site served by a threaded http.server on
  127.0.0.1 at a free port (base URL ending in "/").
- ``serve(path)``: serve any folder the same way, for tests that build their own.
- ``browser``: pytest-playwright's, launched from /usr/bin/chromium with flags that keep
  it off the network; ``context``/``page`` are fresh per test and any request that
  would leave 127.0.0.1 is aborted and recorded in ``context.offsite`` (see
  ``offsite_requests``).
- ``axe(page)``: run axe-core (node_modules/axe-core) on the page, return violations.

The real course is still being written; when ``mesotrain check`` finds content errors
in it, tests that need ``course_site`` are skipped with those errors as the reason, but
a course that checks clean and then fails to build fails the test.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("MESOTRAIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def build(config_dir: Path, out: Path) -> Path:
    """``mkdocs build`` of the MkDocs project in ``config_dir`` into ``out``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run([_bin("mkdocs"), "build", "-q", "-d", str(out)], cwd=config_dir,
                         capture_output=True, text=True, env=env, timeout=300)
    if run.returncode != 0:
        pytest.fail(f"mkdocs build failed in {config_dir}:\n{run.stdout}\n{run.stderr}", pytrace=False)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def mini_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory, mini_port) -> Path:
    """The mini course, built with a site_url on the port it is served from, so that
    Material's instant navigation is on (without a site_url MkDocs writes an empty
    sitemap, and Material matches sitemap URLs by host and port)."""
    work = tmp_path_factory.mktemp("mini")
    project = work / "mini"
    shutil.copytree(MINI, project, ignore=shutil.ignore_patterns("site", ".site-*"))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../overrides", str(ROOT / "overrides"))
                      + f"\nsite_url: http://127.0.0.1:{mini_port}/\n")
    return build(project, work / "site")


@pytest.fixture(scope="session")
def course_site(tmp_path_factory) -> Path:
    check = subprocess.run([_bin("mesotrain"), "check"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    if check.returncode != 0:
        pytest.skip("the real course does not check clean yet (content is being written):\n"
                    + (check.stdout + check.stderr)[-1500:])
    return build(ROOT, tmp_path_factory.mktemp("course") / "site")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


@pytest.fixture(scope="session")
def serve():
    """serve(folder, port=0) → base URL of a static server on 127.0.0.1 (stopped at session end)."""
    servers = []

    def start(folder: Path, port: int = 0) -> str:
        httpd = _Server(("127.0.0.1", port), functools.partial(_Quiet, directory=str(folder)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}/"

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


@pytest.fixture(scope="session")
def mini_url(mini_site, mini_port, serve) -> str:
    return serve(mini_site, mini_port)


@pytest.fixture(scope="session")
def course_url(course_site, serve) -> str:
    return serve(course_site)


# --- Playwright: Debian's Chromium, never the network -------------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run `make test` as root, or `apt-get install -y chromium`")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "accept_downloads": True, "locale": "en-GB"}


@pytest.fixture
def context(context):
    """pytest-playwright's context, with every off-site request aborted and recorded."""
    context.offsite = []

    def guard(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            context.offsite.append(url)
            route.abort()

    context.route(lambda url: not url.startswith("http://127.0.0.1"), guard)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def offsite_requests(context):
    return context.offsite


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        if shutil.which("npm"):
            pytest.skip("axe-core is not installed: run `npm ci` (make test does)")
        pytest.skip("npm is missing, so axe-core cannot be installed")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_source):
    """axe(page, context=None) → list of violations (WCAG 2.x A/AA and best practices)."""
    def run(page, include=None):
        if not page.evaluate("() => !!window.axe"):
            page.add_script_tag(content=axe_source)
        return page.evaluate(
            """async (include) => {
                const r = await axe.run(include || document, {resultTypes: ['violations']});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
            }""", include)
    return run
