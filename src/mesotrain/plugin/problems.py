"""``mkdocs serve``: a failed rebuild is shown on the open page, not only in the terminal.

Two kinds of failure: the course has errors (the engine raises; the last good pages are
served with the problems on top), or MkDocs itself stops the rebuild (a warning under
``strict``, a broken template, …). MkDocs then keeps the old files and never reloads the
browser, which looks stuck; so the rebuild is run once more, leniently, with the
problems as a banner on every page, and the browser reloads to show them.
"""
from __future__ import annotations

import logging
from html import escape

from mkdocs.utils import CountHandler

# Problems go to a logger outside MkDocs' tree: MkDocs counts its own warnings and, in
# strict mode, would abort the rebuild and leave the browser stuck.
serve_log = logging.getLogger("mesotrain.serve")
mkdocs_log = logging.getLogger("mkdocs")
HEADING = "The last rebuild failed: this is the last good version"


class Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors, so a failure can say what went wrong."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class Problems:
    """What the current rebuild should show: the course's errors, or why MkDocs stopped."""

    def __init__(self):
        self.content: list[str] = []
        self.build: list[str] = []

    @property
    def all(self) -> list[str]:
        return self.content + self.build

    def report(self) -> None:
        if not self.content:
            return
        if not serve_log.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
            serve_log.addHandler(handler)
            serve_log.propagate = False
        serve_log.error("the course has problems:\n" + "\n".join(self.content)
                        + "\nStill serving the last good version of the course.")

    def showing(self, builder):
        """``builder`` (MkDocs' serve rebuild), which on failure builds again with a banner."""
        def build(*args, **kwargs):
            collect = Collect()
            mkdocs_log.addHandler(collect)
            try:
                return builder(*args, **kwargs)
            except BaseException as exc:
                failure = [m for m in collect.messages if "in strict mode" not in m] or [str(exc)]
                if isinstance(exc, KeyboardInterrupt):
                    raise
            finally:
                mkdocs_log.removeHandler(collect)
            self.build = failure
            try:
                return builder(*args, **kwargs)
            finally:
                self.build = []
        return build

    def lenient(self) -> None:
        """In the build that shows the problems, MkDocs' strict-mode counter counts nothing:
        the warnings that stopped the last build must not stop this one (called from on_config,
        after MkDocs has set the counter up)."""
        if self.build:
            for handler in mkdocs_log.handlers:
                if isinstance(handler, CountHandler):
                    handler.setLevel(logging.CRITICAL + 1)


def banner(html: str, problems: list[str]) -> str:
    """The page with the problems listed at the top of its body."""
    if not problems:
        return html
    items = "".join(f"<li><code>{escape(p, quote=False)}</code></li>" for p in problems)
    box = (f'<div class="mt-build-problems" role="alert" style="background:#8b1a1a;color:#fff;'
           f'padding:.8rem 1.2rem;font-size:.8rem;position:relative;z-index:10">'
           f'<strong>{HEADING}.</strong> Fix these and save:<ul style="margin:.4rem 0 0">{items}</ul></div>')
    at = html.find(">", html.find("<body")) + 1 if "<body" in html else 0
    return html[:at] + box + html[at:]
