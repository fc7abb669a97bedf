"""Terminal output: carets under exactly the flagged words in CJK text, colour only on a terminal, concise lines."""
from __future__ import annotations

import re

from click.testing import CliRunner

from checker.cli import main
from checker.model import FileResult, Finding, Location, Report
from checker.reporters.text import render, width

TEXT = "第二章\t投标人注册资本不少于人民币1000万元（以营业执照为准），ｅ́且须在本市设有分公司。"
EXCERPT = "注册资本不少于人民币1000万元"


def _report(context: str = TEXT, excerpt: str = EXCERPT) -> Report:
    s = context.index(excerpt)
    loc = Location("a.docx", ("二、资格要求",), 4, "paragraph", None, None, None, None, s, s + len(excerpt), 4)
    f = Finding("EXC-SCALE-001", "error", "t", "资格条件要求注册资本达到1000万元", excerpt, loc, (), "删除该门槛",
                context=context)
    return Report((FileResult("a.docx", "ok", findings=(f,)),))


def _context_and_carets(out: str) -> tuple[str, str]:
    lines = [l for l in out.splitlines() if l.lstrip().startswith("│")]
    assert len(lines) == 2, out
    return lines[0].split("│ ", 1)[1], lines[1].split("│ ", 1)[1]


def test_width_counts_chinese_as_two_columns():
    assert width("注册资本") == 8 and width("1000万元") == 8 and width("ab") == 2
    assert width("（）") == 4  # full-width brackets
    assert width("e\u0301") == 1  # a combining accent takes no column of its own


def test_carets_sit_under_exactly_the_flagged_words():
    ctx, carets = _context_and_carets(render(_report()))
    start = width(ctx[:ctx.index(EXCERPT)])
    assert carets == " " * start + "^" * width(EXCERPT)
    assert "\t" not in ctx  # a tab would be widened by the terminal and push the carets off


def test_long_chinese_lines_are_clipped_to_fit_a_terminal():
    long = "本段为很长的说明文字，" * 30 + EXCERPT + "，其余说明文字。" * 30
    ctx, carets = _context_and_carets(render(_report(long)))
    assert ctx.startswith("…") and ctx.endswith("…")
    assert width(ctx) <= 2 * 40 + width(EXCERPT) + 2
    assert carets.strip() == "^" * width(EXCERPT)
    assert carets.index("^") == width(ctx[:ctx.index(EXCERPT)])


def test_colour_only_when_asked_or_on_a_terminal(tmp_path):
    assert "\033[" not in render(_report(), color=False)
    assert "\033[31m" in render(_report(), color=True)
    src = tmp_path / "a.md"
    src.write_text("# 二、资格要求\n投标人注册资本不少于人民币1000万元。\n", encoding="utf-8")
    piped = CliRunner().invoke(main, ["scan", str(src), "--fail-on", "never"])  # CliRunner's stdout is no tty
    assert "EXC-SCALE-001" in piped.output and "\033[" not in piped.output
    forced = CliRunner().invoke(main, ["scan", str(src), "--fail-on", "never", "--color"])
    assert "\033[" in forced.output


def test_concise_is_one_line_per_finding(tmp_path):
    src = tmp_path / "a.md"
    src.write_text("# 二、资格要求\n投标人注册资本不少于人民币1000万元。\n供应商须在本市设有分公司。\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["scan", str(src), "--format", "concise", "--fail-on", "never",
                                    "--select", "EXC-SCALE-001,EXC-REGION-001"])
    lines = [l for l in res.output.splitlines() if l.startswith(str(src))]
    assert len(lines) == 2
    assert re.fullmatch(rf"{re.escape(str(src))}:b\d+:\d+: EXC-SCALE-001 \[错误\] .+", lines[0])
    assert " EXC-REGION-001 [" in lines[1]
    assert len(res.output.strip().splitlines()) == 3  # the two findings and the summary line
