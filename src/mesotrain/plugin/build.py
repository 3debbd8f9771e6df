"""An atomic site build: MkDocs writes into a fresh folder that replaces site/ only on success."""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin

from ..errors import MesotrainError, UsageError
from .problems import Collect


class _Progress(BasePlugin):
    """Counts the pages MkDocs writes, for a progress bar on a long build."""

    def __init__(self, tell: Callable[[int, int], None]):
        self.tell, self.done, self.total = tell, 0, 0

    def on_files(self, files, config):
        self.total = len(files.documentation_pages())
        self.tell(0, self.total)
        return files

    def on_post_page(self, output, page, config):
        self.done += 1
        self.tell(self.done, self.total)
        return output


def build_site(config_file: Path, site_dir: Path | None = None, *, strict: bool | None = None,
               warnings: list[str] | None = None, adjust: Callable[[Any], None] | None = None,
               progress: Callable[[int, int], None] | None = None) -> Path:
    """Build the site; the previous ``site_dir`` is left untouched when anything fails.

    MkDocs' warnings are appended to ``warnings`` when a list is given. ``adjust(config)``
    may change the loaded configuration before the build (a package's variant of the site);
    ``progress(pages_done, pages)`` is told after each page is written.
    """
    if not config_file.is_file():
        raise UsageError(f"no MkDocs config at '{config_file}'; pass --config-file PATH")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        config = load_config(str(config_file), **({"strict": strict} if strict is not None else {}))
    except MkDocsException as exc:
        raise MesotrainError(str(exc)) from None
    if adjust is not None:
        adjust(config)
    if progress is not None:
        config.plugins["mesotrain-progress"] = _Progress(progress)
    target = Path(site_dir or config.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    config.site_dir = str(staging)
    collect = Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(collect)
    propagate, log.propagate = log.propagate, False
    try:
        build(config)
    except (MkDocsException, SystemExit) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        detail = "\n".join(collect.messages) or str(exc)
        raise MesotrainError(f"build failed; '{target}' was left as it was.\n{detail}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        log.removeHandler(collect)
        log.propagate = propagate
    if warnings is not None:
        warnings.extend(collect.messages)
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def course_root(config) -> Path:
    """The course folder (content/, quizzes/) of a loaded configuration's mesotrain plugin."""
    plugin = config.plugins.get("mesotrain")
    if plugin is None:
        raise UsageError(f"'{config.config_file_path}' does not use the mesotrain plugin")
    return plugin._root(config)


def for_package(config, course: Path, scripts: list[str]) -> None:
    """Make a loaded configuration build a site that works from any folder of any server: the
    course read from ``course``, built afresh (no memo), pages as files (``page.html``), no
    instant navigation and no site address (both tie the site to one address), and
    ``scripts`` (site-relative, written by the caller) loaded on every page before ours."""
    plugin = config.plugins["mesotrain"]
    plugin.config.root = str(course)
    plugin.config.cache = False
    config.use_directory_urls = False
    config.site_url = None
    features = config.theme.get("features") or []
    config.theme["features"] = [f for f in features if not f.startswith("navigation.instant")]
    config.extra_javascript[:0] = scripts
