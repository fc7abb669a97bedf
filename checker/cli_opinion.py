"""`tender-check opinion`: the review opinion (审查意见书) of one file as a Word document."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_batch import rule_options

EXIT_OK, EXIT_USAGE, EXIT_INPUT = 0, 2, 3


@click.command("opinion")
@click.argument("path", type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="意见书写到这里（默认：当前目录下的 <文件名>.审查意见书.docx）")
@click.option("--decisions", "decisions_file", type=click.Path(dir_okay=False),
              help="审查判断文件（HTML 报告“导出判断”下载的 JSON）：误报不列入，其余附判断和备注")
@rule_options
def opinion_cmd(path, output, decisions_file, select, ignore, rules_dirs, switch):
    """检查一份文件，生成审查意见书（.docx）：项目事实、审查结论、核查表、每个发现的位置、原文、依据和修改建议，以及签字栏。

    \b
    例：
      tender-check opinion 招标文件.pdf
      tender-check opinion 招标文件.docx -o 审查/审查意见书.docx
    """
    from .api import build_engine, scan_file
    from .cli import _options
    from .decisions import load as load_decisions
    from .opinion import default_output, render_opinion
    from .reporters import write_atomic

    decisions = load_decisions(decisions_file) if decisions_file else None  # bad file: one line, exit 2
    output = output or default_output(path)
    from .safe_write import OutputError, check_target

    try:
        check_target(output, [path])
    except OutputError:
        click.echo(f"{output}: 意见书不能覆盖被检查的文件", err=True)
        sys.exit(EXIT_USAGE)
    result = scan_file(path, build_engine(_options(rules_dirs, select, ignore, switch)))
    if result.status != "ok":
        click.echo(f"{path}: {result.error}", err=True)
        sys.exit(EXIT_INPUT)
    if decisions is not None:
        result = decisions.apply(result)
    write_atomic(output, render_opinion(result))
    click.echo(f"已写入 {output}：{len(result.findings)} 项发现，审查结论：{result.verdict()['text']}")
    sys.exit(EXIT_OK)


def attach_opinions(run, out_dir: str | Path, echo) -> None:
    """Write each readable file's opinion as the scan finishes it (after baseline and decisions), and keep
    where it went so the HTML report can link to it."""
    from .cli_annotate import free_output_name
    from .opinion import render_opinion
    from .reporters import write_atomic

    run.opinions = {}
    post = run.post
    taken: set[str] = set()

    def post_and_write(result):
        result = post(result)
        if result.status == "ok":
            out = free_output_name(result.path, out_dir, taken, run.inputs, "审查意见书")
            write_atomic(out, render_opinion(result), run.inputs)
            run.opinions[result.path] = str(out)
        return result

    run.post = post_and_write
    echo(f"审查意见书将写到 {out_dir}/")
