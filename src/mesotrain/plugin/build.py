"""An atomic site build: MkDocs writes into a fresh folder that replaces site/ only on success."""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from ..errors import MesotrainError, UsageError
from .problems import Collect




def build_site(config_file: Path, site_dir: Path | None = None, *, strict: bool | None = None,
               warnings: list[str] | None = None) -> Path:
    """Build the site; the previous ``site_dir`` is left untouched when anything fails.

    MkDocs' warnings are appended to ``warnings`` when a list is given.
    """
    if not config_file.is_file():
        raise UsageError(f"no MkDocs config at '{config_file}'; pass --config-file PATH")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        config = load_config(str(config_file), **({"strict": strict} if strict is not None else {}))
    except MkDocsException as exc:
        raise MesotrainError(str(exc)) from None
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
