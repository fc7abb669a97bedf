"""Process hygiene for workers: die with the parent, bounded memory, a private temp folder, children killed with them.

A worker runs in its own temp folder (``TMPDIR``), which its parent removes when the worker ends,
however it ends; a child process group a worker starts (LibreOffice) is listed in that folder, so the
parent can kill it too when it kills a hung or crashed worker.
"""
from __future__ import annotations

import ctypes
import os
import resource
import shutil
import signal
import tempfile
from pathlib import Path

_PR_SET_PDEATHSIG = 1
_GROUPS = ".child-groups"
_WORKDIR_ENV = "TENDER_CHECK_WORKDIR"


def die_with_parent(parent_pid: int, sig: int = signal.SIGTERM) -> None:
    """Linux: the kernel sends ``sig`` to this process when its parent dies (no orphaned workers)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:  # the parent died before the call took effect
        os.kill(os.getpid(), sig)


def limit_memory(max_bytes: int) -> None:
    """Cap this process's address space: a reader that blows up gets MemoryError (that file fails),
    not the machine's OOM killer."""
    if not max_bytes or max_bytes <= 0:
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError, AttributeError):
        pass


def new_workdir() -> str:
    return tempfile.mkdtemp(prefix="tender-check-w")


def enter_workdir(path: str) -> None:
    """Make ``path`` this process's temp folder (tempfile and child processes)."""
    os.environ["TMPDIR"] = path
    os.environ[_WORKDIR_ENV] = path
    tempfile.tempdir = path


def register_child_group(pgid: int) -> None:
    """Note a child process group (LibreOffice) so the parent can kill it with this worker."""
    workdir = os.environ.get(_WORKDIR_ENV)
    if not workdir:
        return
    try:
        with open(os.path.join(workdir, _GROUPS), "a", encoding="ascii") as fh:
            fh.write(f"{pgid}\n")
    except OSError:
        pass


def kill_child_groups(workdir: str) -> None:
    try:
        lines = Path(workdir, _GROUPS).read_text(encoding="ascii").split()
    except OSError:
        return
    for line in lines:
        try:
            os.killpg(int(line), signal.SIGKILL)
        except (ValueError, ProcessLookupError, PermissionError):
            pass


def clean_workdir(workdir: str | None) -> None:
    """Kill what the worker left running and remove its temp folder."""
    if not workdir:
        return
    kill_child_groups(workdir)
    shutil.rmtree(workdir, ignore_errors=True)


def child_preexec() -> None:
    """For subprocess.Popen(preexec_fn=...): the child dies with the worker that started it."""
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass
