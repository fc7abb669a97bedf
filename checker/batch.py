"""Scans many files in worker processes that survive crashes and hangs, yielding results in input order."""
from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import signal
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Callable, Iterable, Iterator

from .api import Options, build_engine, scan_file
from .errors import CheckerError
from .model import FileResult

EXECUTORS = ("local", "dask")


@dataclass(frozen=True)
class BatchSettings:
    """How to run: worker count, per-file time limit (seconds), local pool or a Dask cluster."""

    jobs: int | None = None        # None: one worker per core
    timeout: float | None = None   # None: limits.file_timeout (every file has a limit by default)
    executor: str = "local"
    scheduler: str | None = None   # Dask scheduler address (executor == "dask")
    isolate: bool = True           # False: one file runs in this process (the library; no limits)

    def file_timeout(self) -> float:
        from .limits import current

        return self.timeout if self.timeout is not None else current().file_timeout


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def scan_one(path: str, engine, keep_document: bool = False) -> FileResult:
    """The per-file work every executor runs (a module attribute so tests can replace it)."""
    return scan_file(path, engine, keep_document)


def warm_up(engine) -> None:
    """Load what the first scan would load lazily (readers, word lists: about a second), so that
    cost is the worker's start-up and not the first file's time limit."""
    import importlib

    from .api import scan_text

    for reader in ("docx", "pdf", "doc", "text"):
        try:
            importlib.import_module(f"{__package__}.ingest.{reader}")
        except ImportError:
            pass
    try:
        scan_text("# 资格要求\n投标人注册资本不少于500万元。\n| 项目 | 内容 |\n| 预算 | 100万元 |", engine=engine)
    except Exception:  # a warm-up failure shows again, properly reported, on a real file
        pass


def timeout_error(path: str, seconds: float, rule_id: str = "") -> FileResult:
    """A file over its time limit; when a rule was running, that rule is named, since a local rule's
    pattern (not the document) may be what hangs."""
    where = f"；超时时正在运行规则 {rule_id}" if rule_id else ""
    return FileResult(path, "error", f"处理超时（超过 {seconds:g} 秒{where}）")


def crash_error(path: str, exitcode: int | None) -> FileResult:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        why = f"信号 {name}"
    else:
        why = f"退出码 {exitcode}"
    return FileResult(path, "error", f"处理该文件时工作进程意外退出（{why}），可能是文件损坏或内存不足")


class Batch:
    """Runs ``scan_one`` over ``paths`` and yields FileResults in input order.

    Results are streamed: one that finishes early waits only for the files before it, so memory
    holds the in-flight results, not the whole run. After an interruption, ``finished_out_of_order()``
    returns what was done but not yet yielded, so a report of everything finished can be written.
    """

    def __init__(self, paths: Iterable[str], options: Options | None = None,
                 settings: BatchSettings | None = None, progress=None, engine=None):
        self.paths = list(paths)
        self.engine = engine  # reused by the in-process run; workers build their own
        self.options = options or Options()
        self.settings = settings or BatchSettings()
        self.progress = progress
        self._held: dict[int, FileResult] = {}

    def __iter__(self) -> Iterator[FileResult]:
        s = self.settings
        jobs = s.jobs or default_jobs()
        if s.executor == "dask":
            from .dask_executor import run_dask

            source = run_dask(self.paths, self.options, s.scheduler, jobs, self._started)
        elif not s.isolate and min(jobs, len(self.paths)) <= 1:
            source = self._run_inline()
        else:
            # even one file runs in a worker: its time and memory limits hold, and a reader that blows
            # up (SIGABRT, MemoryError) costs that file, not the report
            pool = _Pool(self.options, jobs, s.file_timeout(), self._started)
            if pool.ctx.get_start_method() == "fork" and self.paths:
                # warm up once here: forked workers (and their replacements) inherit it for free
                warm_up(self.engine or build_engine(self.options))
            source = pool.run(self.paths)
        following = 0
        for index, result in source:
            self._held[index] = result
            if self.progress is not None:
                self.progress.finish(result)
            while following in self._held:
                yield self._held.pop(following)
                following += 1

    def finished_out_of_order(self) -> list[FileResult]:
        return [self._held[i] for i in sorted(self._held)]

    def _started(self, path: str) -> None:
        if self.progress is not None:
            self.progress.start(path)

    def _run_inline(self):
        engine = self.engine or build_engine(self.options)
        for index, path in enumerate(self.paths):
            self._started(path)
            yield index, scan_one(path, engine, self.options.keep_document)


def _worker_main(conn, options: Options, parent_pid: int = 0, others=(), workdir: str | None = None,
                 stage=None) -> None:
    """A worker: build the engine once, then scan whatever the parent sends until told to stop."""
    from . import procs
    from .limits import current

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    for other in others:  # the pipe ends of the other workers, inherited by fork: not ours to hold
        try:
            other.close()
        except OSError:
            pass
    if workdir:
        procs.enter_workdir(workdir)

    def on_parent_gone(signum, frame):  # the parent died (even SIGKILL): take our children and files along
        procs.clean_workdir(workdir)
        os._exit(1)

    signal.signal(signal.SIGTERM, on_parent_gone)
    if parent_pid:
        procs.die_with_parent(parent_pid, signal.SIGTERM)
    procs.limit_memory(current().max_memory_bytes)
    try:
        engine = build_engine(options)
    except CheckerError as exc:
        conn.send(("fatal", str(exc)))
        return
    warm_up(engine)
    if stage is not None:  # the running rule's ID, read by the parent when the file times out
        engine.on_rule = lambda rule_id: setattr(stage, "value", rule_id.encode("ascii", "replace")[:63])
    conn.send(("ready", None))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path = task
        if stage is not None:
            stage.value = b""
        result = scan_one(path, engine, options.keep_document)
        try:
            conn.send(("result", (index, result)))
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            conn.send(("result", (index, FileResult(path, "error", f"内部错误（请报告此文件）：结果无法传回：{exc}"))))


class _Worker:
    def __init__(self, ctx, options: Options, others=()):
        from .procs import new_workdir

        self.workdir = new_workdir()
        self.conn, child = ctx.Pipe()
        forked = ctx.get_start_method() == "fork"
        self.stage = ctx.Array("c", 64, lock=False)
        self.proc = ctx.Process(target=_worker_main, daemon=True,
                                args=(child, options, os.getpid(), list(others) if forked else [], self.workdir,
                                      self.stage))
        self.proc.start()
        child.close()
        self.ready = False
        self.task: tuple[int, str] | None = None
        self.deadline: float | None = None

    def assign(self, index: int, path: str, timeout: float | None) -> None:
        self.task = (index, path)
        self.deadline = time.monotonic() + timeout if timeout else None
        self.conn.send((index, path))

    def kill(self) -> None:
        from .procs import clean_workdir

        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()
        clean_workdir(self.workdir)  # LibreOffice it started, the input copy, its temp files

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(timeout=1)
        self.kill()


class _Pool:
    """Long-lived workers, one task each at a time, so a dead or hung worker costs exactly one file:
    it is reported as that file's error and replaced, and the pool goes on (ProcessPoolExecutor
    would break as a whole)."""

    def __init__(self, options: Options, jobs: int, timeout: float | None, on_start: Callable[[str], None]):
        self.options = options
        self.jobs = jobs
        self.timeout = timeout
        self.on_start = on_start
        # fork starts workers fast and lets them share the parent's imports; spawn where there is no fork
        methods = mp.get_all_start_methods()
        self.ctx = mp.get_context("fork" if "fork" in methods else "spawn")

    def run(self, paths: list[str]):
        pending = deque(enumerate(paths))
        workers: list[_Worker] = []
        for _ in range(min(self.jobs, len(paths))):
            workers.append(_Worker(self.ctx, self.options, [w.conn for w in workers]))
        deaths_without_task = 0
        try:
            while pending or any(w.task for w in workers):
                for w in workers:
                    if w.ready and w.task is None and pending:
                        index, path = pending.popleft()
                        self.on_start(path)
                        w.assign(index, path, self.timeout)
                deadlines = [w.deadline for w in workers if w.deadline is not None]
                wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
                handles = [w.conn for w in workers] + [w.proc.sentinel for w in workers]
                ready = wait(handles, timeout=wait_for)
                for i, w in enumerate(list(workers)):
                    died = False
                    if w.conn in ready:
                        try:
                            kind, payload = w.conn.recv()
                        except (EOFError, OSError):
                            died = True
                        else:
                            if kind == "ready":
                                w.ready = True
                            elif kind == "result":
                                w.task, w.deadline = None, None
                                yield payload
                            elif kind == "fatal":
                                raise CheckerError(payload)
                    if not died and w.proc.sentinel in ready and not w.conn.poll():
                        died = True
                    if died:
                        w.proc.join()
                        if w.task is not None:
                            yield w.task[0], crash_error(w.task[1], w.proc.exitcode)
                        else:
                            deaths_without_task += 1
                            if deaths_without_task > 3 * self.jobs:
                                raise CheckerError(f"工作进程反复启动失败（退出码 {w.proc.exitcode}）")
                        w.kill()
                        workers[i] = self._replacement(workers, w)
                    elif w.deadline is not None and time.monotonic() >= w.deadline:
                        # a hung file: only killing the process stops it
                        rule_id = w.stage.value.decode("ascii", "replace")
                        w.kill()
                        yield w.task[0], timeout_error(w.task[1], self.timeout, rule_id)
                        workers[i] = self._replacement(workers, w)
        finally:
            for w in workers:
                if w.task is None:
                    w.stop()
                else:
                    w.kill()

    def _replacement(self, workers: list[_Worker], dead: _Worker) -> _Worker:
        return _Worker(self.ctx, self.options, [w.conn for w in workers if w is not dead])
