"""A scan run from effective settings: batch over the inputs, per-path ignores, baseline, streamed or whole report."""
from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .api import Options, build_engine, iter_inputs
from .batch import Batch, BatchSettings
from .config import Config
from .model import FileResult, Report
from .progress import Progress
from .safe_write import is_stdout

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
_SEV_RANK = {"info": 0, "warning": 1, "error": 2}


def options_from(config: Config) -> Options:
    return Options(extra_rule_dirs=config.rule_dirs(), select=list(config["select"]),
                   ignore=list(config["ignore"]), switches=frozenset(config["switches"]),
                   include=list(config["include"]), exclude=list(config["exclude"]),
                   severity=dict(config["severity"]))


def batch_settings_from(config: Config, executor: str = "local", scheduler: str | None = None) -> BatchSettings:
    return BatchSettings(jobs=config["jobs"], timeout=config["timeout"], executor=executor, scheduler=scheduler)


@dataclass
class Tally:
    """What the exit code needs, kept as results stream past (no report held in memory)."""

    files: int = 0
    unreadable: int = 0
    findings: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)
    hidden: int = 0  # findings left out as false alarms (scan --decisions)

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.unreadable += result.status != "ok"
        self.hidden += len(result.hidden or ())
        for f in result.findings:
            self.findings += 1
            self.by_severity[f.severity] = self.by_severity.get(f.severity, 0) + 1

    def exit_code(self, fail_on: str) -> int:
        if self.unreadable:
            return EXIT_INPUT
        if fail_on == "never":
            return EXIT_OK
        floor = _SEV_RANK[fail_on]
        hit = any(n and _SEV_RANK.get(sev, 0) >= floor for sev, n in self.by_severity.items())
        return EXIT_FINDINGS if hit else EXIT_OK


@dataclass
class Run:
    """One batch over the inputs with the configured filters applied to every result."""

    paths: list[str]
    config: Config
    settings: BatchSettings
    baseline: object | None = None
    decisions: object | None = None  # checker.decisions.Decisions, applied after the baseline
    progress: bool = True
    engine: object = None
    batch: Batch | None = None
    follow_links: bool = False

    def __post_init__(self):
        self.options = options_from(self.config)
        self.options.follow_links = self.follow_links
        self.engine = build_engine(self.options)  # a broken rule file stops here, before any worker starts
        self.skipped: list[tuple[str, str]] = []  # (path, why) passed over in a folder, told before the scan
        self.inputs = list(iter_inputs(self.paths, self.options.include, self.options.exclude,
                                       lambda path, why: self.skipped.append((path, why)),
                                       self.options.follow_links))

    def post(self, result: FileResult) -> FileResult:
        result = self.config.filter_result(result)
        if self.baseline is not None:
            result = self.baseline.filter_result(result)
        if self.decisions is not None:
            result = self.decisions.apply(result)
        return result

    def results(self) -> Iterator[FileResult]:
        bar = Progress(len(self.inputs), enabled=None if self.progress else False)
        self.batch = Batch(self.inputs, self.options, self.settings, bar, self.engine)
        try:
            for r in self.batch:
                yield self.post(r)
        finally:
            bar.close()

    def leftovers(self) -> list[FileResult]:
        """After Ctrl-C: results that finished but were waiting for an earlier file."""
        return [self.post(r) for r in self.batch.finished_out_of_order()] if self.batch else []


@contextmanager
def _stream_to(output: str | None):
    """Where streamed lines go: stdout, or a temp file beside ``output`` renamed into place at the end
    (also after Ctrl-C, so the lines of finished files are kept; never a half-renamed report). Where
    the system allows, the temp file has no name until the end, so even a killed run leaves nothing."""
    from .safe_write import OutputError, _why, real_target, umask_mode

    if not output or is_stdout(output):
        yield sys.stdout
        sys.stdout.flush()
        return
    target = real_target(output)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = _unnamed_file(target.parent)
        tmp = None
        if fd is None:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:200]}.", suffix=".tmp", dir=str(target.parent))
    except OSError as exc:
        raise OutputError(output, f"无法写入：{_why(exc)}") from None
    fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
    os.fchmod(fd, umask_mode())  # the mode every other report gets, not the temp file's 0600

    def publish() -> None:
        fh.flush()
        if tmp is None:
            name = os.path.basename(tempfile.mktemp(prefix=f".{target.name[:200]}.", suffix=".tmp"))
            dir_fd = os.open(str(target.parent), os.O_RDONLY)
            try:
                # a dir fd makes Python call linkat(AT_SYMLINK_FOLLOW), which gives the file a name
                os.link(f"/proc/self/fd/{fh.fileno()}", name, dst_dir_fd=dir_fd, follow_symlinks=True)
                os.replace(name, target.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            except OSError:  # no linkat through /proc here: copy what was written instead
                os.lseek(fh.fileno(), 0, os.SEEK_SET)
                data = b"".join(iter(lambda: os.read(fh.fileno(), 1 << 20), b""))
                from .reporters import write_atomic

                write_atomic(target, data)
            finally:
                os.close(dir_fd)
                fh.close()
        else:
            fh.close()
            os.replace(tmp, target)

    try:
        yield fh
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            publish()
        else:
            fh.close()
            if tmp is not None:
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(output, f"无法写入：{_why(exc)}；报告不完整，未写入") from None
        raise
    try:
        publish()
    except OSError as exc:
        raise OutputError(output, f"无法写入：{_why(exc)}") from None


def _unnamed_file(directory: Path) -> int | None:
    """An O_TMPFILE descriptor in ``directory`` (Linux): a file that vanishes if the process dies."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(str(directory), flag | os.O_RDWR, 0o600)
    except OSError:  # the file system does not support it
        return None


def refuse_input_as_output(output: str, inputs) -> None:
    """A report must never overwrite a document being checked (``scan a.txt -o a.txt``), nor replace
    anything but a regular file; checked before the scan starts."""
    from .safe_write import check_target

    check_target(output, inputs)


def refuse_binary_to_terminal(fmt: str, stream) -> None:
    """A binary report (xlsx) shown on a terminal is garbage and can upset it: ask for -o instead,
    before any file is scanned."""
    from .errors import CheckerError

    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        raise CheckerError(f"{fmt} 是二进制文件格式，不能输出到终端：请用 -o/--output 指定输出文件，"
                           f"例如 --format {fmt} -o report.{fmt}")


def run_scan(run: Run, fmt: str, output: str | None, fail_on: str, color: bool | None,
             echo: Callable[[str], None]) -> int:
    """Scan, write the report (streamed for jsonl), return the exit code. Ctrl-C writes the report
    of what finished and returns 130; a second Ctrl-C, or one while the report is rendered, is noted
    but never loses the report."""
    from . import reporters
    from .interrupt import SigintGuard

    if output:
        refuse_input_as_output(output, run.inputs)
        if is_stdout(output):
            output = None
    reporter = reporters.get(fmt)
    if not output and reporters.is_binary(reporter):
        refuse_binary_to_terminal(fmt, sys.stdout)
    tell_skipped(run, echo)
    tally = Tally()
    interrupted = False
    with SigintGuard() as guard:
        if fmt == "jsonl":
            with _stream_to(output) as out:
                try:
                    for r in run.results():
                        tally.add(r)
                        out.write(reporter.line(r))
                        out.flush()  # a reader following the file sees each document as it finishes
                except KeyboardInterrupt:
                    guard.hold()
                    interrupted = True
                    for r in run.leftovers():
                        tally.add(r)
                        out.write(reporter.line(r))
                guard.hold()
        else:
            done: list[FileResult] = []
            try:
                for r in run.results():
                    done.append(r)
            except KeyboardInterrupt:
                guard.hold()
                interrupted = True
                done.extend(run.leftovers())
            guard.hold()
            for r in done:
                tally.add(r)
            use_color = (sys.stdout.isatty() and not output) if color is None else color
            text = reporter.render(Report(tuple(done)), color=use_color, concise=(fmt == "concise"),
                                   rules=run.engine.rules, opinions=_links(getattr(run, "opinions", {}), output))
            if output:
                reporters.write_atomic(output, text, run.inputs)
            elif isinstance(text, bytes):  # a binary report piped on (refused above for a terminal)
                sys.stdout.flush()
                sys.stdout.buffer.write(text)
                sys.stdout.buffer.flush()
            else:
                sys.stdout.write(text)
                sys.stdout.flush()
        interrupted = interrupted or guard.count > 0
    if output:
        echo(_written(output, tally))
    if interrupted:
        echo(f"已中断：完成 {tally.files}/{len(run.inputs)} 个文件，报告只包含已完成的文件")
        return EXIT_INTERRUPTED
    return tally.exit_code(fail_on)


def tell_skipped(run: Run, echo: Callable[[str], None]) -> None:
    from .textsafe import printable

    for path, why in run.skipped:
        echo(f"{printable(path)}: {why}")


def _links(written: dict, output) -> dict:
    """The opinions written during the run, as links relative to the report's folder."""
    base = os.path.dirname(os.path.abspath(output)) if output else os.getcwd()
    return {path: os.path.relpath(os.path.abspath(doc), base) for path, doc in written.items()}


def _written(output, tally: Tally) -> str:
    """What `-o` wrote: the file, the counts and how many inputs could not be read."""
    sev = tally.by_severity
    return (f"已写入 {output}：{tally.files} 个文件（{tally.unreadable} 个无法读取），发现 {tally.findings} 项"
            f"（错误 {sev.get('error', 0)}，警告 {sev.get('warning', 0)}，提示 {sev.get('info', 0)}）"
            + (f"，另有 {tally.hidden} 项已判定为误报，未列出" if tally.hidden else ""))
