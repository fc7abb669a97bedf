"""A scan killed halfway leaves no partial report and changes no input; Ctrl-C writes a whole report of what finished."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture
def folder(tmp_path):
    """Some real documents, then a .doc whose conversion blocks (a stand-in soffice on PATH reads a
    FIFO nothing ever writes to; a FIFO in the folder itself is passed over), then more documents:
    wherever the scan is when the signal comes, it is provably halfway."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs a POSIX FIFO")
    src = sorted(CORPUS.glob("*.docx"))[:6] + sorted(CORPUS.glob("*.txt"))[:1]
    if len(src) < 3:
        pytest.skip("corpus not built")
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i, p in enumerate(src):
        shutil.copy(p, inputs / f"a{i:02d}-{p.name}")
        shutil.copy(p, inputs / f"z{i:02d}-{p.name}")
    os.mkfifo(tmp_path / "block.fifo")
    (inputs / "m-blocks.doc").write_bytes(OLE + "WordDocument".encode("utf-16-le") + b"\0" * 512)
    bindir = tmp_path / "bin"
    bindir.mkdir()
    fake = bindir / "soffice"
    fake.write_text(f"#!/bin/sh\nexec cat '{tmp_path / 'block.fifo'}' > /dev/null\n", encoding="utf-8")
    fake.chmod(0o755)
    return inputs


def _start(folder: Path, out: Path, fmt: str, jobs: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "checker", "scan", str(folder), "--format", fmt, "-o", str(out),
           "-j", str(jobs), "--timeout", "600", "--fail-on", "never"]
    env = dict(os.environ, PATH=f"{folder.parent / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            cwd=str(out.parent), start_new_session=True, env=env)


def _wait_until_blocked(proc: subprocess.Popen, fifo: Path) -> int:
    """Returns a write end of the FIFO once the scan has opened it for reading (the scan is then
    stuck on it; the write end is kept open so the read never ends)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"scan ended early: {proc.stderr.read().decode('utf-8', 'replace')}")
        try:
            return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno != errno.ENXIO:  # ENXIO: no reader yet
                raise
        time.sleep(0.2)
    raise AssertionError("the scan never reached the blocking file")


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp") or p.name.startswith("out."))


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_sigkill_halfway_leaves_no_report_and_no_temp_file(folder, tmp_path, fmt):
    before = _hashes(folder)
    outdir = tmp_path / "out"
    outdir.mkdir()
    proc = _start(folder, outdir / f"out.{fmt}", fmt, jobs=2)
    fd = _wait_until_blocked(proc, folder.parent / "block.fifo")
    try:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        os.close(fd)
    assert _leftovers(outdir) == []
    assert _hashes(folder) == before


@pytest.mark.parametrize("fmt,jobs", [("json", 2), ("json", 1), ("jsonl", 2)])
def test_ctrl_c_halfway_writes_a_whole_report_of_what_finished(folder, tmp_path, fmt, jobs):
    before = _hashes(folder)
    outdir = tmp_path / "out"
    outdir.mkdir()
    out = outdir / f"out.{fmt}"
    proc = _start(folder, out, fmt, jobs)
    fd = _wait_until_blocked(proc, folder.parent / "block.fifo")
    try:
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C: the whole group
        _, err = proc.communicate(timeout=120)
    finally:
        os.close(fd)
    assert proc.returncode == 130, err.decode("utf-8", "replace")
    assert "已中断" in err.decode("utf-8")
    assert _leftovers(outdir) == [out.name]
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        files = [f["path"] for f in json.loads(text)["files"]]
    else:
        files = [json.loads(line)["path"] for line in text.splitlines()]
    names = [Path(p).name for p in files]
    assert "m-blocks.doc" not in names and len(names) < len(before) + 1
    if jobs == 1:  # in order: exactly the files before the blocked one
        assert names == sorted(k for k in before if k.startswith("a"))
    assert _hashes(folder) == before


@pytest.mark.parametrize("mode", ["unnamed", "no-linkat", "named"])
def test_streamed_report_is_published_whole_on_every_path(tmp_path, monkeypatch, mode):
    from checker import pipeline

    if mode == "no-linkat":
        def refuse(*_a, **_k):
            raise OSError(errno.EXDEV, "no linkat")

        monkeypatch.setattr(pipeline.os, "link", refuse)
    elif mode == "named":
        monkeypatch.setattr(pipeline, "_unnamed_file", lambda directory: None)
    out = tmp_path / "r" / "out.jsonl"
    with pipeline._stream_to(str(out)) as fh:
        fh.write('{"a": 1}\n')
        assert not out.exists()
        fh.write('{"b": "中文"}\n')
    assert out.read_text(encoding="utf-8") == '{"a": 1}\n{"b": "中文"}\n'
    assert sorted(p.name for p in out.parent.iterdir()) == ["out.jsonl"]
    with pytest.raises(RuntimeError):
        with pipeline._stream_to(str(tmp_path / "r" / "failed.jsonl")) as fh:
            fh.write("x\n")
            raise RuntimeError("boom")
    assert sorted(p.name for p in out.parent.iterdir()) == ["out.jsonl"]
