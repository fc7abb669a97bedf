"""`tender-check annotate` and `scan --annotate-dir`: annotated copies of .docx drafts for the reviewer."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_batch import rule_options

EXIT_OK, EXIT_USAGE, EXIT_INPUT = 0, 2, 3


def _report(res, echo) -> None:
    echo(f"已写入 {res.output}：{res.comments} 条批注")
    for s in res.skipped:
        loc = s.finding.location.describe()
        echo(f"  未能批注 {s.finding.rule_id}（{loc}）：{s.reason}")


@click.command("annotate")
@click.argument("path", type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="批注副本写到这里（默认：原稿旁的 <文件名>.批注.docx；原稿不会被改动，也不能与原稿同名）")
@click.option("--decisions", "decisions_file", type=click.Path(dir_okay=False),
              help="审查判断文件（HTML 报告“导出判断”下载的 JSON）：误报不加批注，其余批注附判断和备注")
@rule_options
def annotate_cmd(path, output, decisions_file, select, ignore, rules_dirs, switch):
    """检查一份 .docx，另存一份带 Word 批注的副本：每个发现一条批注，正好标在有问题的文字上。

    \b
    批注作者为 tender-check，内容为规则 ID、问题说明、修改建议和依据。
    原稿不会被改动；.doc、.wps 经 LibreOffice 转为 .docx 后批注；.pdf 请先另存为 .docx。
    \b
    例：
      tender-check annotate 招标文件.docx          # 写出 招标文件.批注.docx
      tender-check annotate 招标文件.docx -o 审查/招标文件.docx --select EXC,SME
      tender-check annotate 第二稿.docx -o 第二稿.批注.docx --decisions 审查判断.json
    """
    from .annotate import AnnotateError, annotate_file, default_annotated_name
    from .cli import _options
    from .decisions import load as load_decisions

    output = output or str(default_annotated_name(path))
    decisions = load_decisions(decisions_file) if decisions_file else None  # bad file: one line, exit 2
    try:
        res = annotate_file(path, output, _options(rules_dirs, select, ignore, switch), decisions=decisions)
    except AnnotateError as exc:
        click.echo(f"{exc.path}: {exc.problem}", err=True)
        sys.exit(EXIT_USAGE if exc.usage else EXIT_INPUT)
    _report(res, click.echo)


class BatchAnnotator:
    """Writes ``<name>.annotated.docx`` into a folder for each .docx result of a scan."""

    def __init__(self, out_dir: str | Path, echo, inputs=()):
        from .textsafe import printable

        self.out_dir = Path(out_dir)
        self.echo = lambda message: echo(printable(message))  # a file name may hold ESC/OSC sequences
        self.taken: set[str] = set()
        self.inputs = list(inputs)

    def add(self, result) -> None:
        from .annotate import AnnotateError, annotate_docx, output_name

        if result.status != "ok":
            return  # already reported as unreadable
        if Path(result.path).suffix.lower() != ".docx":
            self.echo(f"{result.path}: 写批注需要 .docx 文件，未生成批注副本")
            return
        out = free_output_name(result.path, self.out_dir, self.taken, self.inputs)
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            _report(annotate_docx(result.path, out, result.findings), self.echo)
        except AnnotateError as exc:
            self.echo(f"{exc.path}: {exc.problem}")
        except Exception as exc:  # one odd file must not stop the batch report
            self.echo(f"{result.path}: 无法写批注副本：{type(exc).__name__}: {exc}")


def free_output_name(src, out_dir, taken: set[str], inputs, kind: str = "annotated") -> Path:
    """``output_name``, passing over every name that is one of the run's inputs: an annotated copy
    left by an earlier run in the scanned folder is itself an input and is never written over."""
    from .annotate import output_name
    from .safe_write import OutputError, refuse_inputs

    while True:
        out = output_name(src, out_dir, taken, kind)
        try:
            refuse_inputs(out, inputs)
            return out
        except OutputError:
            continue


def attach_annotator(run, out_dir: str | Path, echo) -> None:
    """Annotate each file as the scan finishes it. Every result passes through ``Run.post`` (after
    baseline and per-path filters), so the comments match the report exactly."""
    annotator = BatchAnnotator(out_dir, echo, run.inputs)
    post = run.post

    def post_and_annotate(result):
        result = post(result)
        annotator.add(result)
        return result

    run.post = post_and_annotate
