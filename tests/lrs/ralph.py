"""Ralph, a real xAPI Learning Record Store, on 127.0.0.1 for the tests.

``start(folder, origins=())`` runs Ralph's API (uvicorn, the file-system backend writing to
``folder``) from .venv-ralph (made by scripts/ensure-ralph, which this calls), waits until it
answers, and returns a :class:`Ralph`; ``stop()`` ends that one process. Two users, with
scopes enforced as an organisation would set them:

- ``SITE``: what a published site carries, allowed to write statements and nothing else;
- ``CERTIFIER``: the certifier's key, allowed to read statements.
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-ralph"
SITE = ("mesotrain-site", "site-write-only-9f2c")
CERTIFIER = ("certifier", "certifier-read-31d7")
VERSION_HEADER = {"X-Experience-API-Version": "1.0.3"}


def ensure() -> Path:
    """The Python of .venv-ralph, installed first if needed (one installer at a time)."""
    with open(ROOT / ".venv-ralph.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        run = subprocess.run([str(ROOT / "scripts" / "ensure-ralph")], capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise RuntimeError(f"scripts/ensure-ralph failed:\n{run.stdout}\n{run.stderr}")
    return VENV / "bin" / "python"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def basic(user: tuple[str, str]) -> str:
    return "Basic " + base64.b64encode(f"{user[0]}:{user[1]}".encode()).decode()


@dataclass
class Ralph:
    base: str           # http://127.0.0.1:PORT/xAPI/ — the endpoint a site or the importer is given
    process: subprocess.Popen
    log: Path
    folder: Path

    def request(self, method: str, path: str, user=CERTIFIER, body=None) -> tuple[int, object]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base.rstrip("/") + "/" + path.lstrip("/"), data=data, method=method,
                                     headers={**VERSION_HEADER, "Authorization": basic(user),
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                text = r.read()
                return r.status, json.loads(text) if text else None
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace")

    def statements(self, **query) -> list[dict]:
        """Every statement the certifier can read (all pages), oldest first as Ralph lists them."""
        from urllib.parse import urlencode

        out, path = [], "statements?" + urlencode({"limit": 100, **query})
        while path:
            status, page = self.request("GET", path)
            assert status == 200, f"GET {path}: {status} {page}"
            out.extend(page["statements"])
            more = page.get("more")
            path = more.split("/xAPI/", 1)[1] if more else ""
        return out

    def wait_for(self, predicate, pause=None, timeout: float = 30.0, **query) -> list[dict]:
        """Statements, read again until ``predicate(statements)`` holds (a browser sends in the background;
        on a loaded machine that takes seconds, hence the generous limit, which a passing test never waits out).

        ``pause(ms)`` waits between reads: give ``page.wait_for_timeout`` when a page is sending, since
        Playwright's sync API lets the page's requests through its routes only while it is called.
        """
        end = time.monotonic() + timeout
        while True:
            got = self.statements(**query)
            if predicate(got) or time.monotonic() > end:
                return got
            (pause or (lambda ms: time.sleep(ms / 1000)))(500)

    def clear(self) -> None:
        """Forget every statement (the file-system backend reads its file afresh on each query)."""
        for f in (self.folder / "data").glob("*.jsonl"):
            f.unlink()

    def post(self, statements, user=SITE) -> tuple[int, object]:
        return self.request("POST", "statements", user=user, body=statements)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


# Ralph's API under uvicorn, with two mends to its file-system LRS backend (Ralph 5.1.0; its
# Elasticsearch and MongoDB backends, used in production, have neither problem):
# - it writes each POST in "create" mode, which refuses an existing file, so every POST after
#   the first failed; it appends instead, a mode the backend has;
# - its verb and activity filters compare the statement's id (text) with the query's IRI object,
#   which never match, so `GET statements?verb=…` found nothing; they compare text with text.
SERVE = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
for name in ("_add_filter_by_verb", "_add_filter_by_activity"):
    def textual(*args, _original=getattr(FSLRSBackend, name)):
        args = list(args)
        args[1] = None if args[1] is None else str(args[1])
        return _original(*args)
    setattr(FSLRSBackend, name, staticmethod(textual))
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def _users_file(python: Path, path: Path) -> None:
    """Ralph's users file: bcrypt hashes of the two test keys, with their scopes."""
    script = (
        "import bcrypt, json, sys\n"
        "users = json.loads(sys.argv[2])\n"
        "out = [{'username': u, 'hash': bcrypt.hashpw(p.encode(), bcrypt.gensalt(4)).decode(), 'scopes': s,\n"
        "        'agent': {'mbox': 'mailto:' + u + '@example.org'}} for u, p, s in users]\n"
        "open(sys.argv[1], 'w').write(json.dumps(out))\n")
    users = [[*SITE, ["statements/write"]], [*CERTIFIER, ["statements/read"]]]
    subprocess.run([str(python), "-c", script, str(path), json.dumps(users)], check=True, timeout=60)


def start(folder: Path, origins: tuple[str, ...] = ()) -> Ralph:
    """Ralph on a free loopback port, storing statements under ``folder``; CORS for ``origins``."""
    python = ensure()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    _users_file(python, folder / "auth.json")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RALPH_")}
    env.update({
        "RALPH_APP_DIR": str(folder / "app"),
        "RALPH_AUTH_FILE": str(folder / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
        "RALPH_LRS_RESTRICT_BY_AUTHORITY": "true",
        "RALPH_LRS_RESTRICT_BY_SCOPES": "true",
        "RALPH_RUNSERVER_CORS_ALLOW_ORIGINS": json.dumps(list(origins)),
        "RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT": "100",
    })
    log = folder / "ralph.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(python), "-c", SERVE, str(port)],
                                   cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT)
    ralph = Ralph(f"http://127.0.0.1:{port}/xAPI/", process, log, folder)
    end = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/__lbheartbeat__", timeout=2):
                return ralph
        except OSError:
            if process.poll() is not None or time.monotonic() > end:
                ralph.stop()
                raise RuntimeError(f"Ralph did not start on 127.0.0.1:{port}:\n{ralph.output()}") from None
            time.sleep(0.1)
