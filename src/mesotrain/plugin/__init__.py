"""The MkDocs adapter, the only place mesotrain imports mkdocs: the build engine's pages
become ``File.generated`` pages in course order, the quiz runtime ships as asset files,
and ``mkdocs serve`` watches content/ and quizzes/ and shows a failed rebuild's problems
on the open page.
"""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from ..engine import Engine, memo_for
from ..errors import ContentError
from ..page import fill_fragments
from ..render.runtime import ASSETS, served
from . import lrs as lrs_mod
from .problems import Problems, banner

log = logging.getLogger("mkdocs.plugins.mesotrain")
ASSET_URL = "assets/mesotrain"
POLL_INTERVAL = 0.1  # seconds between looks at content/ and quizzes/ while serving


class MesotrainConfig(Config):
    root = opt.Type(str, default="")
    strict = opt.Type(bool, default=False)
    # Keep parsed files, pages, widgets and compiled templates between builds (on disk,
    # in memory while serving); false builds everything afresh every time.
    cache = opt.Type(bool, default=True)
    # An xAPI Learning Record Store the pages send statements to (off by default; plugin/lrs.py).
    lrs = lrs_mod.LrsOption()


class MesotrainPlugin(BasePlugin[MesotrainConfig]):
    """Generates the course's pages from content/ and quizzes/."""

    def __init__(self):
        self.engine: Engine | None = None
        self.pages: list = []
        self.serving = False
        self.problems = Problems()
        self.lrs: dict | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defining this keeps one plugin object, and so one engine, across serve rebuilds."""
        self.serving = command == "serve"

    def on_config(self, config):
        """Build the pages first, so a content error stops the build before anything is written."""
        root = self._root(config)
        if self.engine is None or self.engine.root != root or self.engine.strict != self.config.strict:
            self.engine = Engine(root, strict=self.config.strict,
                                 memo=memo_for(root, keep=self.config.cache, serving=self.serving))
        try:
            site = self.engine.build()
        except ContentError as exc:
            if not (self.serving and self.pages):
                raise PluginError("the course has problems:\n" + "\n".join(map(str, exc.problems))) from None
            self.problems.content = [str(p) for p in exc.problems]  # the last good pages, with these on top
        else:
            self.pages, self.problems.content = site.pages, []
            for w in site.warnings:
                log.warning(str(w))
        self.problems.report()
        self.problems.lenient()
        if not config.nav:
            lessons = [p for p in self.pages if p.path.startswith("lessons/")]
            rest = [p for p in self.pages if p.path.endswith(".md") and p.path != "index.md"
                    and not p.path.startswith("lessons/")]
            config.nav = ([{"Home": "index.md"}, {"Lessons": [{p.title: p.path} for p in lessons]}]
                          + [{p.title: p.path} for p in rest])
        for path in sorted(ASSETS.iterdir()) if ASSETS.is_dir() else []:
            url = f"{ASSET_URL}/{path.name}"
            if path.suffix == ".css" and url not in config.extra_css:
                config.extra_css.append(url)
            elif path.suffix == ".js" and url not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(url)
        self.lrs = None
        if self.config.lrs is not None:
            self.lrs = lrs_mod.settle(self.config.lrs, config.site_url)
            if self.lrs is None:
                raise PluginError("mesotrain: lrs.activities: xAPI activity ids need a base address: set site_url, "
                                  "or lrs.activities (like https://training.example.org/course/); see guide/lrs.md")
            if lrs_mod.SCRIPT_URL not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(lrs_mod.SCRIPT_URL)
        return config

    def _root(self, config) -> Path:
        return (Path(config.config_file_path or ".").resolve().parent / self.config.root).resolve()

    def on_files(self, files: Files, config) -> Files:
        """Every generated page, the quiz runtime without its comments (assets/lazy/ is loaded
        by a page script when needed) and the course images."""
        self._fragments = {page.path: page.fragments for page in self.pages}
        for page in self.pages:
            if (existing := files.get_file_from_path(page.path)) is not None:
                files.remove(existing)
            files.append(File.generated(config, page.path, content=page.source))
        images = self.engine.root / "content" / "images"
        for folder, url in ((ASSETS, ASSET_URL), (images, "images")):
            for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []:
                uri = f"{url}/{path.relative_to(folder).as_posix()}"
                trimmed = served(path) if folder is ASSETS else None
                files.append(File.generated(config, uri, content=trimmed) if trimmed is not None
                             else File.generated(config, uri, abs_src_path=str(path)))
        if self.lrs:
            files.append(File.generated(config, lrs_mod.SCRIPT_URL, content=lrs_mod.script(self.lrs, config.site_name)))
        return files

    def on_env(self, env, config, files):
        """The theme's compiled templates are kept in the engine's memo too."""
        if self.config.cache:
            env.bytecode_cache = self.engine.template_code()
        return env

    def on_post_page(self, output: str, page, config) -> str:
        """Put the finished question widgets in, after Markdown and the search index have run
        (indexing them would put answers in the search index), and any problems on top."""
        output = fill_fragments(output, self._fragments.get(page.file.src_uri))
        return banner(output, self.problems.all) if self.serving else output

    def on_post_build(self, config) -> None:
        """Finish the build; then the offline copy's service worker, listing the finished site
        (while serving, one that removes itself, so live reload stays in charge: render/offline.py)."""
        self.engine.finish()
        from ..render.offline import write_worker

        write_worker(Path(config.site_dir), serving=self.serving)

    @event_priority(-100)  # last, so the builder we wrap is the one MkDocs will call
    def on_serve(self, server, config, builder):
        """Rebuild when course files change, polled every tenth of a second (MkDocs watches
        docs_dir at its own half-second pace), and show a failed rebuild on the open page."""
        observer = getattr(server, "observer", None)
        pace = getattr(observer, "_timeout", None)
        fast = isinstance(pace, (int, float)) and pace > POLL_INTERVAL
        if fast:
            observer._timeout = POLL_INTERVAL  # read when a watch is scheduled
        try:
            for folder in (self._root(config) / name for name in ("content", "quizzes")):
                if folder.is_dir():
                    server.watch(str(folder))
        finally:
            if fast:
                observer._timeout = pace
        server.builder = self.problems.showing(server.builder)
        return server
