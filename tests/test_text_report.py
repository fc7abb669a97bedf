"""Long lines wrap at the terminal width, counting CJK characters as two columns and colour codes as none."""
from checker.reporters.text import _visible, wrap


def test_long_lines_wrap_at_the_width_with_an_indent():
    line = "    修改：" + "删除注册资本门槛，改为与项目直接相关的履约能力要求。" * 3
    parts = wrap(line, 50).split("\n")
    assert len(parts) > 1 and all(_visible(p) <= 50 for p in parts) and parts[1].startswith("      ")
    assert "".join(p.strip() for p in parts) == line.strip()


def test_colour_codes_take_no_columns_and_files_keep_whole_lines():
    line = "\x1b[1mEXC-SCALE-001\x1b[0m " + "很长的说明" * 12
    assert all(_visible(p) <= 40 for p in wrap(line, 40).split("\n"))
    assert wrap(line, None) == line
