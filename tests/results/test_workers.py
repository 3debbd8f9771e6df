"""Killing a multi-process import leaves no worker behind holding the store."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mesotrain.results.sample import make_result

from .conftest import MINI, all_right, write


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the workers")
def test_workers_end_when_the_import_is_killed(tmp_path, exam):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    doc = make_result(exam, "A", all_right(exam, "A"))
    for n in range(3000):  # enough work to still be running when it is killed
        write(inbox / f"{n:05}.json", {**doc, "attempt_id": f"aaaaaaaa-{n:05}"})
    env = {**os.environ, "MESOTRAIN_RESULTS": str(tmp_path / "store.sqlite")}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "mesotrain"), "results", "--root", str(MINI), "import", "-j", "2",
                             str(inbox)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the import finished before its workers could be seen"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)]
