"""No command writes over a document it checks, under any spelling of the same file."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from tests.docbuild import SAMPLE, make_docx


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def text_file(tmp_path) -> Path:
    p = tmp_path / "a.txt"
    p.write_text("# 资格要求\n投标人注册资本不少于1000万元。\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("spelling", ["same", "relative", "hardlink", "symlink"])
def test_scan_refuses_to_write_its_report_over_an_input(text_file, tmp_path, monkeypatch, spelling):
    before = _sha(text_file)
    monkeypatch.chdir(tmp_path)
    out = {"same": str(text_file), "relative": "./a.txt"}.get(spelling)
    if spelling == "hardlink":
        os.link(text_file, tmp_path / "b.txt")
        out = str(tmp_path / "b.txt")
    elif spelling == "symlink":
        (tmp_path / "c.txt").symlink_to(text_file)
        out = str(tmp_path / "c.txt")
    result = CliRunner().invoke(main, ["scan", str(tmp_path), "--format", "json", "-o", out])
    assert result.exit_code == 2
    assert "输入文件不会被改写" in result.output
    assert _sha(text_file) == before


def test_annotate_refuses_to_overwrite_its_input(tmp_path):
    src = make_docx(tmp_path / "draft.docx", SAMPLE)
    before = _sha(src)
    link = tmp_path / "same.docx"
    os.link(src, link)
    for out in (src, link):
        result = CliRunner().invoke(main, ["annotate", str(src), "-o", str(out)])
        assert result.exit_code != 0 and "原稿不会被改写" in result.output
    assert _sha(src) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.docx", "same.docx"]


def test_annotate_writes_only_where_asked(tmp_path):
    src_dir, out_dir = tmp_path / "src", tmp_path / "out"
    src_dir.mkdir()
    src = make_docx(src_dir / "draft.docx", SAMPLE)
    before = _sha(src)
    result = CliRunner().invoke(main, ["annotate", str(src), "-o", str(out_dir / "draft.docx")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in src_dir.iterdir()) == ["draft.docx"]  # nothing beside the input
    assert sorted(p.name for p in out_dir.iterdir()) == ["draft.docx"]  # and no temp file left
    assert _sha(src) == before
