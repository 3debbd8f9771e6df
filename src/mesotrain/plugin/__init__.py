"""The MkDocs adapter: the only place mesotrain imports mkdocs.

It loads and checks the course once per build, turns every rendered page into an
in-memory ``File.generated``, sets the nav in course order, ships the quiz runtime
as ordinary (cacheable) asset files, and asks ``mkdocs serve`` to watch content/
and quizzes/.
"""
from __future__ import annotations

import contextlib
import gc
import logging
import os

import jinja2
import jinja2.bccache
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .. import buildcache
from ..errors import ContentError
from ..page import Page, fill_fragments

log = logging.getLogger("mkdocs.plugins.mesotrain")
# Problems found while serving go to a logger outside MkDocs' tree: MkDocs counts its own
# warnings and, in strict mode, would abort the rebuild and leave the browser stuck.
serve_log = logging.getLogger("mesotrain.serve")

ASSETS = Path(__file__).resolve().parent.parent / "assets"
ASSET_URL = "assets/mesotrain"
POLL_INTERVAL = 0.1  # seconds between looks at content/ and quizzes/ while serving


def load_checked(*args, **kwargs):
    """The course loader, imported on a cache miss only: pydantic and the models take a while."""
    from ..checks import load_checked as load

    return load(*args, **kwargs)


def render_site(*args, **kwargs):
    from ..render import render_site as render

    return render(*args, **kwargs)


def _with_problems(page: Page, exc: ContentError) -> Page:
    """The last good page with the current problems on top, for an instructor previewing edits."""
    items = "\n".join(f"    - `{p}`" for p in exc.problems)
    notice = f'!!! failure "The course has problems: this is the last good version"\n\n{items}\n\n'
    content = page.source
    if content.startswith("---\n"):
        end = content.index("\n---\n", 4) + 5
        content = content[:end] + "\n" + notice + content[end:]
    else:
        content = notice + content
    return Page(page.path, content, page.title, page.fragments)


@contextlib.contextmanager
def _bulk_allocation():
    """No cyclic garbage collection while the course is loaded and rendered.

    Loading makes hundreds of thousands of long-lived objects (models, positions, pages);
    each collection of the oldest generation scanned them all again, a tenth of a first
    build at 4,000 questions. They hold no cycles to collect: reference counting frees them.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class _TemplateCodeCache(jinja2.BytecodeCache):
    """Compiled theme templates kept in memory across serve rebuilds.

    MkDocs makes a new Jinja environment for every rebuild, so Material's templates
    were compiled afresh each time; a bucket's key includes its source checksum,
    so an edited override is still recompiled.
    """

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class MesotrainConfig(Config):
    root = opt.Type(str, default="")
    strict = opt.Type(bool, default=False)
    # Reuse the last build's pages when no input changed, and while serving keep parsed files,
    # pages and compiled templates across rebuilds; false rebuilds everything every time.
    cache = opt.Type(bool, default=True)


class MesotrainPlugin(BasePlugin[MesotrainConfig]):
    """Generates the course's pages from content/ and quizzes/."""

    def __init__(self):
        self.pages: list[Page] = []
        self.good_pages: list[Page] = []
        self.serving = False
        # Kept across serve rebuilds: unchanged files are not re-read, unchanged pages not re-rendered.
        self._file_cache: dict = {}
        self._page_cache = None
        self._template_code = _TemplateCodeCache()
        self._template_disk = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defining this keeps one plugin object across serve rebuilds, so the last good pages survive."""
        self.serving = command == "serve"
        if self.serving and not serve_log.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
            serve_log.addHandler(handler)
            serve_log.propagate = False

    def _root(self, config) -> Path:
        base = Path(config.config_file_path or ".").resolve().parent
        return (base / self.config.root).resolve() if self.config.root else base

    def on_config(self, config):
        """Load the course first, so a content error stops the build before anything is written."""
        root = self._root(config)
        key = buildcache.digest(root, strict=self.config.strict) if self.config.cache and not self.serving else None
        cached = buildcache.load(root, key) if key else None
        if cached is not None:
            self.pages, warnings = cached
            for w in warnings:
                log.warning(str(w))
            self._link_assets(config)
            return config
        with _bulk_allocation():
            self._generate(root, key)
        self._link_assets(config)
        return config

    def _generate(self, root: Path, key: str | None) -> None:
        """Load, check and render the course; while serving, a content error keeps the last good pages."""
        keep = self.serving and self.config.cache  # serve's in-memory caches
        try:
            tree, warnings = load_checked(root, strict=self.config.strict,
                                          cache=self._file_cache if keep else None)
        except ContentError as exc:
            report = "the course has problems:\n" + "\n".join(str(p) for p in exc.problems)
            if not (self.serving and self.pages):
                raise PluginError(report) from None
            serve_log.error(report + "\nStill serving the last good version of the course.")
            self.pages = [_with_problems(p, exc) for p in self.good_pages]
            return
        for w in warnings:
            log.warning(str(w))
        if keep and self._page_cache is None:
            from ..render.site import PageCache

            self._page_cache = PageCache()
        from ..render.context import reread_templates, use_template_cache

        reread_templates(not self.config.cache)
        if self.config.cache and not self.serving:
            use_template_cache(self._templates(root))
        self.pages = self.good_pages = render_site(tree, self._page_cache if keep else None)
        if key:
            buildcache.store(root, key, self.pages, warnings)

    def _link_assets(self, config) -> None:
        """The nav in course order, and the runtime's top-level assets on every page."""
        if not config.nav:
            config.nav = self._nav()
        for name in sorted(os.listdir(ASSETS)) if ASSETS.is_dir() else []:
            url = f"{ASSET_URL}/{name}"
            if name.endswith(".css") and url not in config.extra_css:
                config.extra_css.append(url)
            elif name.endswith(".js") and url not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(url)

    def _nav(self) -> list:
        lessons = [p for p in self.pages if p.path.startswith("lessons/")]
        rest = [p for p in self.pages if p.path != "index.md" and not p.path.startswith("lessons/")
                and p.path.endswith(".md")]  # other files (a schema, a JSON list) are not pages
        return ([{"Home": "index.md"}, {"Lessons": [{p.title: p.path} for p in lessons]}]
                + [{p.title: p.path} for p in rest])

    def on_files(self, files: Files, config) -> Files:
        """Add every generated page, the quiz assets and the course images."""
        self._fragments = {page.path: page.fragments for page in self.pages if page.fragments}
        for page in self.pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, page.path, content=page.source))
        # Files in subfolders (assets/lazy/) are shipped but not linked: a page script loads them when needed.
        for path in sorted(p for p in ASSETS.rglob("*") if p.is_file()) if ASSETS.is_dir() else []:
            files.append(File.generated(config, f"{ASSET_URL}/{path.relative_to(ASSETS).as_posix()}",
                                        abs_src_path=str(path)))
        images = self._root(config) / "content" / "images"
        for path in sorted(images.rglob("*")) if images.is_dir() else []:
            if path.is_file():
                files.append(File.generated(config, f"images/{path.relative_to(images).as_posix()}",
                                            abs_src_path=str(path)))
        return files

    def _templates(self, root: Path):
        """One disk cache per project (MkDocs keeps this object across configs in one process)."""
        if self._template_disk is None or self._template_disk[0] != root:
            self._template_disk = (root, buildcache.templates(root))
        return self._template_disk[1]

    def on_env(self, env: jinja2.Environment, config, files) -> jinja2.Environment:
        """Compiled theme templates: kept in memory while serving, on disk between builds."""
        if self.config.cache:
            env.bytecode_cache = self._template_code if self.serving else self._templates(self._root(config))
        return env

    def on_post_page(self, output: str, page, config) -> str:
        """Put the finished question widgets in, after Markdown and the search index have run.

        Widgets are HTML already; passing them through Markdown cost most of the build,
        and indexing them would put answers and feedback in the search index.
        """
        fragments = self._fragments.get(page.file.src_uri)
        return fill_fragments(output, fragments) if fragments else output

    def on_serve(self, server, config, builder):
        """Rebuild when course files change (MkDocs watches only docs_dir by itself).

        MkDocs polls what it watches every half second, on average a quarter of a second
        between saving a file and the rebuild starting; course files are polled every
        tenth of a second (a few dozen stats each time). If watchdog ever stops keeping
        the interval where we look for it, they are polled at MkDocs' pace.
        """
        root = self._root(config)
        observer = getattr(server, "observer", None)
        interval = getattr(observer, "_timeout", None)
        fast = isinstance(interval, (int, float)) and interval > POLL_INTERVAL
        if fast:
            observer._timeout = POLL_INTERVAL  # read when a watch is scheduled
        try:
            for name in ("content", "quizzes"):
                if (root / name).is_dir():
                    server.watch(str(root / name))
        finally:
            if fast:
                observer._timeout = interval
        return server
