"""Folder scans in parallel: same results as one process, crashes and hangs cost one file, streaming, Ctrl-C."""
from __future__ import annotations

import io
import json
import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker import batch
from checker.batch import Batch, BatchSettings
from checker.cli import main
from checker.model import FileResult
from checker.progress import Progress
from tests.docbuild import SAMPLE, make_docx

GBK_TEXT = "二、资格要求\n供应商须在本市设有分公司。\n"


@pytest.fixture
def folder(tmp_path):
    make_docx(tmp_path / "a.docx", SAMPLE)
    (tmp_path / "b.txt").write_bytes(GBK_TEXT.encode("gbk"))
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    sub = tmp_path / "sub"
    sub.mkdir()
    make_docx(sub / "c.docx", SAMPLE)
    (sub / "d.md").write_text("# 资格要求\n投标人注册资本不少于500万元。\n", encoding="utf-8")
    (sub / "~$c.docx").write_bytes(b"lock")
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def names(results):
    return [Path(r.path).name for r in results]


def test_parallel_results_equal_single_process_in_input_order(folder):
    from checker.api import iter_inputs

    paths = list(iter_inputs([folder]))
    one = list(Batch(paths, settings=BatchSettings(jobs=1)))
    two = list(Batch(paths, settings=BatchSettings(jobs=2, timeout=120)))
    assert one == two
    assert [r.path for r in two] == paths
    assert any(r.findings for r in two) and any(r.status == "error" for r in two)


def test_cli_jobs_1_and_2_give_identical_json(folder):
    a = run("scan", folder, "--format", "json", "--jobs", "1")
    b = run("scan", folder, "--format", "json", "--jobs", "2")
    assert a.exit_code == b.exit_code == 3
    assert json.loads(a.stdout) == json.loads(b.stdout)


def _crashing_scan(real):
    def scan(path, engine, keep_document=False):
        name = Path(path).name
        if name == "exit.txt":
            os._exit(7)
        if name == "segv.txt":
            os.kill(os.getpid(), signal.SIGSEGV)
        if name == "hang.txt":
            time.sleep(3600)
        return real(path, engine, keep_document)
    return scan


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    for n in ("1.txt", "exit.txt", "2.txt", "segv.txt", "3.txt", "hang.txt", "4.txt"):
        (tmp_path / n).write_text("# 资格要求\n投标人注册资本不少于500万元。\n", encoding="utf-8")
    monkeypatch.setattr(batch, "scan_one", _crashing_scan(batch.scan_one))
    return sorted(str(p) for p in tmp_path.iterdir())


def test_dead_and_hung_workers_cost_only_their_file(hostile):
    results = list(Batch(hostile, settings=BatchSettings(jobs=2, timeout=2)))
    assert [r.path for r in results] == hostile
    by_name = {Path(r.path).name: r for r in results}
    assert "意外退出" in by_name["exit.txt"].error and "退出码 7" in by_name["exit.txt"].error
    assert "SIGSEGV" in by_name["segv.txt"].error
    assert by_name["hang.txt"].error == "处理超时（超过 2 秒）"
    for n in ("1.txt", "2.txt", "3.txt", "4.txt"):
        assert by_name[n].status == "ok" and by_name[n].findings, n
    assert multiprocessing.active_children() == []  # hung worker killed, the rest stopped


def test_timeout_from_the_command_line_reports_the_file_and_goes_on(hostile, tmp_path):
    res = run("scan", *[p for p in hostile if "exit" not in p and "segv" not in p],
              "--timeout", "1", "-j", "2", "--format", "json")
    assert res.exit_code == 3
    files = {Path(f["path"]).name: f for f in json.loads(res.stdout)["files"]}
    assert files["hang.txt"]["error"] == "处理超时（超过 1 秒）"
    assert files["4.txt"]["status"] == "ok"


def test_each_worker_builds_its_engine_once(folder, tmp_path, monkeypatch):
    log = tmp_path / "builds.log"
    real = batch.build_engine

    def counting(options):
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(options)

    monkeypatch.setattr(batch, "build_engine", counting)
    paths = [str(folder / "b.txt")] * 8
    results = list(Batch(paths, settings=BatchSettings(jobs=2, timeout=60)))
    assert len(results) == 8
    workers = [pid for pid in log.read_text().split() if pid != str(os.getpid())]
    assert len(workers) == len(set(workers)) == 2  # two workers, one build each, for eight files


def test_include_exclude_and_temp_files(folder):
    res = run("scan", folder, "--format", "jsonl", "--include", "*.docx", "-j", "1")
    assert sorted(Path(json.loads(x)["path"]).name for x in res.stdout.splitlines()) == \
        ["a.docx", "broken.docx", "c.docx"]
    res = run("scan", folder, "--format", "jsonl", "--exclude", "sub/*", "--exclude", "broken*", "-j", "2")
    assert res.exit_code == 1
    assert sorted(Path(json.loads(x)["path"]).name for x in res.stdout.splitlines()) == ["a.docx", "b.txt"]


def test_jsonl_is_one_file_per_line_in_input_order(folder, tmp_path):
    out = tmp_path / "out" / "r.jsonl"
    res = run("scan", folder, "--format", "jsonl", "-o", out, "-j", "2")
    assert res.exit_code == 3
    lines = out.read_text(encoding="utf-8").splitlines()
    records = [json.loads(x) for x in lines]
    assert [Path(r["path"]).name for r in records] == ["a.docx", "b.txt", "broken.docx", "c.docx", "d.md"]
    assert records[2]["status"] == "error" and records[2]["error"]
    assert not list(out.parent.glob(".*.tmp"))


def test_ctrl_c_still_writes_the_report_of_finished_files(folder, tmp_path, monkeypatch):
    # every file runs in a worker (which ignores SIGINT): Ctrl-C reaches the parent as it hands out a file
    real = batch.Batch._started

    def interrupted(self, path):
        if Path(path).name == "broken.docx":
            raise KeyboardInterrupt
        return real(self, path)

    monkeypatch.setattr(batch.Batch, "_started", interrupted)
    out = tmp_path / "r.json"
    res = run("scan", folder, "--format", "json", "-o", out, "-j", "1")
    assert res.exit_code == 130
    assert "已中断" in res.stderr
    done = [Path(f["path"]).name for f in json.loads(out.read_text(encoding="utf-8"))["files"]]
    assert done == ["a.docx", "b.txt"]


class _StopAfter(Progress):
    """Raises KeyboardInterrupt in the parent after two files, as Ctrl-C would during a pool run."""

    def finish(self, result):
        super().finish(result)
        if self.done == 2:
            raise KeyboardInterrupt


def test_ctrl_c_during_a_pool_run_stops_workers_and_keeps_what_finished(folder):
    from checker.api import iter_inputs

    paths = list(iter_inputs([folder]))
    b = Batch(paths, settings=BatchSettings(jobs=2, timeout=60), progress=_StopAfter(len(paths), enabled=False))
    got = []
    with pytest.raises(KeyboardInterrupt):
        for r in b:
            got.append(r)
    assert len(got) + len(b.finished_out_of_order()) == 2
    assert multiprocessing.active_children() == []


def test_progress_bar_only_on_a_terminal(folder):
    shown = io.StringIO()
    bar = Progress(3, stream=shown, enabled=True)
    bar.start("sub/c.docx")
    bar.finish(FileResult("sub/c.docx", "ok"))
    bar.finish(FileResult("x", "ok"))
    assert "2/3" in shown.getvalue() and "c.docx" in shown.getvalue()
    res = run("scan", folder, "-j", "2", "--format", "json")
    assert "\r" not in res.stderr  # CliRunner's stderr is not a terminal


def test_dask_executor_gives_the_same_results_as_the_local_pool(folder):
    distributed = pytest.importorskip("distributed")
    from checker.api import iter_inputs

    paths = list(iter_inputs([folder]))
    local = list(Batch(paths, settings=BatchSettings(jobs=2, timeout=60)))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        remote = list(Batch(paths, settings=BatchSettings(executor="dask", scheduler=cluster.scheduler_address)))
    assert remote == local


def test_dask_executor_without_scheduler_is_a_usage_error(folder):
    pytest.importorskip("distributed")
    res = run("scan", folder, "--executor", "dask")
    assert res.exit_code == 2 and "--scheduler" in res.stderr
