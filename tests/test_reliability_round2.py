"""Issue 17 regressions: output targets, inputs never overwritten, special files, option and config errors."""
from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main

TEXT = "# 资格要求\n投标人注册资本不少于1000万元。\n"


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def doc(tmp_path) -> Path:
    p = tmp_path / "in" / "a.txt"
    p.parent.mkdir()
    p.write_text(TEXT, encoding="utf-8")
    return p


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_output_to_a_device_or_a_link_to_one_is_refused_before_the_scan(doc, tmp_path):
    link = tmp_path / "out.json"
    link.symlink_to("/dev/null")
    for target in ("/dev/null", link):
        res = _run("scan", doc, "--format", "json", "-o", target)
        assert res.exit_code == 2 and "不是普通文件" in res.output
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert link.is_symlink()


def test_output_dash_is_the_stdout_stream(doc):
    res = _run("scan", doc, "--format", "json", "-o", "-", "--fail-on", "never")
    assert res.exit_code == 0
    assert json.loads(res.stdout[res.stdout.index("{"):res.stdout.rindex("}") + 1])["files"]


def test_output_through_a_symlink_keeps_the_link(doc, tmp_path):
    real = tmp_path / "real.json"
    real.write_text("{}", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    res = _run("scan", doc, "--format", "json", "-o", link, "--fail-on", "never")
    assert res.exit_code == 0, res.output
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["files"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_output_folder_is_a_one_line_error(doc, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        res = _run("scan", doc, "--format", "json", "-o", locked / "r.json")
        assert res.exit_code == 2 and "没有写入权限" in res.output and "Traceback" not in res.output
    finally:
        locked.chmod(0o700)


def test_a_file_name_too_long_for_the_output_is_a_one_line_error(doc, tmp_path):
    res = _run("scan", doc, "--format", "json", "-o", tmp_path / ("长" * 100 + ".json"))
    assert res.exit_code == 2 and "文件名过长" in res.output


def test_baseline_and_stats_never_write_over_an_input(doc, tmp_path):
    before = _sha(doc)
    res = _run("baseline", doc, "-o", doc)
    assert res.exit_code == 2 and "输入文件不会被改写" in res.output
    saved = tmp_path / "r.jsonl"
    assert _run("scan", doc, "--format", "jsonl", "-o", saved, "--fail-on", "never").exit_code == 0
    saved_before = _sha(saved)
    res = _run("stats", saved, "-o", saved)
    assert res.exit_code == 2
    assert _sha(doc) == before and _sha(saved) == saved_before


def test_jsonl_report_gets_the_umask_mode_like_the_others(doc, tmp_path):
    old = os.umask(0o022)
    try:
        for fmt in ("jsonl", "json"):
            out = tmp_path / f"r.{fmt}"
            assert _run("scan", doc, "--format", fmt, "-o", out, "--fail-on", "never").exit_code == 0
            assert stat.S_IMODE(out.stat().st_mode) == 0o644, fmt
    finally:
        os.umask(old)


def test_annotate_dir_in_the_scanned_folder_never_overwrites_an_input(tmp_path):
    from tests.docbuild import SAMPLE, make_docx

    folder = tmp_path / "drafts"
    folder.mkdir()
    make_docx(folder / "x.docx", SAMPLE)
    make_docx(folder / "x.annotated.docx", SAMPLE)  # an input that has the annotated copy's name
    before = _sha(folder / "x.annotated.docx")
    res = _run("scan", folder, "--annotate-dir", folder, "--fail-on", "never")
    assert res.exit_code == 0, res.output
    assert _sha(folder / "x.annotated.docx") == before
    names = sorted(p.name for p in folder.iterdir())
    assert "x.annotated-2.docx" in names


def test_fifo_device_and_outside_symlink_in_a_folder_are_passed_over_with_a_message(doc, tmp_path):
    folder = doc.parent
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    secret = tmp_path / "secret.txt"
    secret.write_text("# 资格要求\n外部文件的内容：注册资本不少于9000万元。\n", encoding="utf-8")
    (folder / "outside.txt").symlink_to(secret)
    res = _run("scan", folder, "--format", "json", "--fail-on", "never", "-j", "1")
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout[res.stdout.index("{"):])
    assert [Path(f["path"]).name for f in report["files"]] == ["a.txt"]
    assert "9000万元" not in res.stdout
    for name in ("pipe.txt", "zero.txt"):
        assert f"{name}: 不是普通文件" in res.stderr
    assert "outside.txt: 是指向被检查目录之外的符号链接" in res.stderr
    res = _run("scan", folder, "--format", "json", "--fail-on", "never", "--follow-symlinks")
    assert "outside.txt" in res.stdout


def test_a_fifo_named_on_the_command_line_is_an_input_error_not_a_hang(tmp_path):
    os.mkfifo(tmp_path / "p.txt")
    res = _run("scan", tmp_path / "p.txt", "--format", "concise")
    assert res.exit_code == 3 and "不是普通文件" in res.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads unreadable folders")
def test_an_unreadable_subfolder_is_reported(doc):
    sub = doc.parent / "sub"
    sub.mkdir()
    (sub / "b.txt").write_text(TEXT, encoding="utf-8")
    sub.chmod(0)
    try:
        res = _run("scan", doc.parent, "--format", "concise")
        assert res.exit_code == 3 and "目录无法读取" in res.stdout
    finally:
        sub.chmod(0o700)


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0"])
def test_timeout_must_be_finite_and_positive(doc, value):
    res = _run("scan", doc, "--timeout", value)
    assert res.exit_code == 2 and "Traceback" not in res.output


def test_gbk_config_is_a_one_line_error(doc, tmp_path):
    cfg = tmp_path / "tender-check.toml"
    cfg.write_bytes('# 配置\nselect = ["EXC"]\n'.encode("gbk"))
    res = _run("scan", doc, "--config", cfg)
    assert res.exit_code == 2 and "不是 UTF-8 编码" in res.output


def test_config_timeout_inf_is_refused(doc, tmp_path):
    cfg = tmp_path / "tender-check.toml"
    cfg.write_text("timeout = inf\n", encoding="utf-8")
    res = _run("scan", doc, "--config", cfg)
    assert res.exit_code == 2 and "timeout" in res.output


def test_concise_output_cannot_be_forged_by_a_file_name(tmp_path):
    name = "a.txt\nforged.txt:b1:1: FAKE-RULE-001 [错误] x\x1b]0;owned\x07"
    p = tmp_path / name
    p.write_text(TEXT, encoding="utf-8")
    res = _run("scan", p, "--format", "concise", "--fail-on", "never")
    lines = [ln for ln in res.stdout.splitlines() if ln.strip()]
    assert not any(ln.startswith("forged.txt") for ln in lines)
    assert "\x1b" not in res.stdout and "\x07" not in res.stdout


def test_single_file_run_survives_a_worker_that_dies(tmp_path, monkeypatch):
    from checker import batch
    from checker.batch import Batch, BatchSettings

    p = tmp_path / "a.txt"
    p.write_text(TEXT, encoding="utf-8")

    def abort(path, engine, keep_document=False):
        os.abort()

    monkeypatch.setattr(batch, "scan_one", abort)
    [result] = list(Batch([str(p)], settings=BatchSettings(jobs=1)))
    assert result.status == "error" and "SIGABRT" in result.error


def test_worker_memory_cap_turns_a_blow_up_into_that_files_error(tmp_path, monkeypatch):
    from checker import batch, limits
    from checker.batch import Batch, BatchSettings

    p = tmp_path / "a.txt"
    p.write_text(TEXT, encoding="utf-8")

    def hog(path, engine, keep_document=False):
        from checker.api import scan_file

        try:
            bytearray(3 << 30)
        except MemoryError:
            from checker.model import FileResult

            return FileResult(path, "error", "文档过大，内存不足")
        return scan_file(path, engine, keep_document)

    monkeypatch.setattr(batch, "scan_one", hog)
    limits.configure(max_memory_bytes=1 << 30)
    try:
        [result] = list(Batch([str(p)], settings=BatchSettings(jobs=1)))
    finally:
        limits.reset()
    assert result.status == "error" and "内存不足" in result.error


def test_a_400_digit_number_never_makes_json_infinity(tmp_path):
    """A number too long for a float became `Infinity` in JSON, which strict readers reject."""
    digits = "9" * 400
    doc = tmp_path / "big.txt"
    doc.write_text(f"评分标准：技术分（{digits}分）。\n本项目预算金额为{digits}万元，最高限价{digits}元。\n",
                   encoding="utf-8")
    for fmt in ("json", "jsonl", "sarif"):
        out = CliRunner().invoke(main, ["scan", str(doc), "--format", fmt])
        assert out.exit_code in (0, 1), out.output
        text = out.output
        for line in (text.splitlines() if fmt == "jsonl" else [text]):
            json.loads(line, parse_constant=lambda name: pytest.fail(f"{fmt} holds {name}"))


def test_finite_turns_non_finite_numbers_into_null():
    from checker.reporters.json import dumps

    assert json.loads(dumps({"a": float("inf"), "b": [float("nan"), 1.5]})) == {"a": None, "b": [None, 1.5]}


def test_csv_cell_starting_with_tab_or_cr_is_not_a_formula():
    from checker.reporters.csv import _cell

    assert _cell("\t=1+1").startswith("'") and _cell("\r=1+1").startswith("'")
    assert _cell("本项目") == "本项目"


@pytest.mark.parametrize("content,problem", [
    (b"not json\n", "JSON"),
    (b"\xff\xfe\x00garbage\n", "UTF-8"),
    (b'{"status": "ok", "findings": "x"}\n', "findings"),
    (b'{"status": "ok", "findings": [{"rule_id": [1]}]}\n', "rule_id"),
    (b'{"status": "ok", "facts": {"attribute": [1]}}\n', "attribute"),
    (b'{"status": "ok", "facts": [1]}\n', "facts"),
    (b"[" * 100_000 + b"\n", "JSON"),
])
def test_stats_on_malformed_jsonl_is_a_one_line_input_error(tmp_path, content, problem):
    saved = tmp_path / "results.jsonl"
    saved.write_bytes(content)
    out = CliRunner().invoke(main, ["stats", str(saved)])
    assert out.exit_code == 3, out.output
    assert "Traceback" not in out.output and problem in out.output and "results.jsonl" in out.output


def test_a_paragraph_of_thousands_of_flagged_sentences_is_reported_whole(tmp_path):
    """16,000 findings in one paragraph took 466 s to render (sentence lookup, overlap check and HTML
    pieces were pair by pair); they are now one sweep each. Checked here for what the sweep must keep:
    every finding once, in order, each excerpt marked once in the HTML (timing: benchmarks/bench_hostile.py)."""
    from checker.api import scan
    from checker.reporters import html

    n = 1500
    doc = tmp_path / "dense.txt"
    doc.write_text("第一章 资格要求\n" + "".join(f"{i}.投标人须在本市设有分公司。" for i in range(n)), encoding="utf-8")
    report = scan([doc])
    findings = report.files[0].findings
    assert len(findings) == n
    assert [f.location.start for f in findings] == sorted(f.location.start for f in findings)
    assert all(f.sentence.endswith("分公司。") and len(f.sentence) < 40 for f in findings)
    page = html.render(report)
    assert page.count('class="chip') >= n


_LINKED_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>
<text:p>投标人须在本市设有分公司。</text:p>
<text:p><draw:frame draw:name="img" svg:width="2cm" svg:height="2cm" text:anchor-type="paragraph">
<draw:image xlink:href="http://127.0.0.1:{port}/beacon.png" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>
</draw:frame></text:p></office:text></office:body></office:document>"""


@pytest.fixture
def beacon():
    """A local HTTP server that records every request it gets."""
    import http.server
    import threading

    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            seen.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], seen
    server.shutdown()


@pytest.mark.slow
@pytest.mark.parametrize("namespace", [True, False])
def test_doc_conversion_never_fetches_a_linked_picture(tmp_path, beacon, monkeypatch, namespace):
    """A .doc linking a picture by URL made LibreOffice fetch it during the scan (a beacon); the
    conversion runs without network, and with proxies that lead nowhere where namespaces are not allowed."""
    import shutil
    import subprocess

    from checker.ingest import office_sandbox, read

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed")
    port, seen = beacon
    (tmp_path / "linked.fodt").write_text(_LINKED_FODT.format(port=port), encoding="utf-8")
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless", "--convert-to",
                    "doc", "--outdir", str(tmp_path), str(tmp_path / "linked.fodt")],
                   capture_output=True, timeout=180, check=True)
    seen.clear()  # building the test file fetched the picture; the scan must not
    if not namespace:
        monkeypatch.setattr(office_sandbox, "_namespace_prefix", lambda: ())
    doc = read(tmp_path / "linked.doc")
    assert "本市设有分公司" in " ".join(b.text for b in doc.blocks)
    assert seen == []


def _styled_docx(path: Path, n: int) -> None:
    """A .docx whose first paragraph uses style S0, based on S1, … S{n-1}, based on Heading 1."""
    import io
    import zipfile

    from docx import Document as Docx
    d = Docx()
    d.add_paragraph("总则")
    d.add_paragraph("投标人注册资本不少于1000万元。")
    buf = io.BytesIO()
    d.save(buf)
    chain = "".join(f'<w:style w:type="paragraph" w:styleId="S{i}"><w:name w:val="s{i}"/>'
                    f'<w:basedOn w:val="{f"S{i + 1}" if i + 1 < n else "Heading1"}"/></w:style>'
                    for i in range(n))
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/styles.xml":
                data = data.replace(b"</w:styles>", chain.encode() + b"</w:styles>")
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:p>", b'<w:p><w:pPr><w:pStyle w:val="S0"/></w:pPr>', 1)
            zout.writestr(item, data)


def test_a_long_basedon_chain_is_followed_once_per_style(tmp_path):
    """40,000 styles in one basedOn chain: each style resolved once (the walk was quadratic, 277 s),
    and the style at the head of the chain still inherits Heading 1."""
    from checker.ingest import read
    p = tmp_path / "chain.docx"
    _styled_docx(p, 40_000)
    blocks = read(p).blocks
    assert blocks[0].kind == "heading" and blocks[0].level == 1
    assert blocks[1].kind != "heading"


def test_a_basedon_cycle_ends_where_it_closes():
    from lxml import etree

    from checker.ingest.docx import _style_levels
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (f'<w:styles xmlns:w="{w}">'
           '<w:style w:styleId="A"><w:name w:val="a"/><w:basedOn w:val="B"/></w:style>'
           '<w:style w:styleId="B"><w:name w:val="b"/><w:basedOn w:val="A"/></w:style>'
           '<w:style w:styleId="C"><w:name w:val="c"/><w:basedOn w:val="H"/></w:style>'
           '<w:style w:styleId="H"><w:name w:val="heading 2"/></w:style></w:styles>')
    assert _style_levels(etree.fromstring(xml)) == {"C": 2, "H": 2}


def test_a_line_led_by_thousands_of_spaces_reads_in_linear_time():
    """The contents-line test ran on the unstripped line with an ambiguous `\\s{2,}\\s*`: 3,000 spaces
    before one character took 61 s (found by scripts/fuzz.py --rule-packs, whose target has such a line)."""
    from checker.ingest.builder import heading_level
    assert heading_level(" " * 200_000 + "x") is None
    assert heading_level(" " * 5000 + "第一章 招标公告    3") is None  # still a contents line
    assert heading_level("第一章 招标公告") == 1


@pytest.mark.parametrize("setting, text, problem", [
    ({"max_block_chars": 1000}, "# 资格要求\n" + "投" * 5000 + "\n", "有一段文字超过 1000 字"),
    ({"max_text_chars": 1000}, "# 资格要求\n" + "投标人须具有资质。\n" * 200, "文档文字超过 1000 字"),
    ({"max_blocks": 100}, "# 资格要求\n" + "甲\n" * 500, "段落和单元格超过 100 个"),
])
def test_text_limits_bound_what_a_document_may_hold(tmp_path, setting, text, problem):
    """The block, text and block-count limits were stated but never applied: a 40 MB line took 3.5 GB
    and 21 s, 1.5 million short lines 1.4 GB and 30 s; now each is a one-line input error."""
    from checker import limits
    from checker.errors import InputError
    from checker.ingest import read
    p = tmp_path / "a.txt"
    p.write_text(text, encoding="utf-8")
    limits.configure(**setting)
    try:
        with pytest.raises(InputError) as err:
            read(p)
    finally:
        limits.reset()
    assert problem in err.value.problem
