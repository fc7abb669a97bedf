"""Hostile variants for scripts/fuzz.py: inputs that stay within the stated limits while pushing work
and memory (issue 17), special files in scanned folders, and malformed local rule packs.

File mutators return (bytes, description) like fuzz.py's; `run_folders` and `run_rule_packs` run
their own cases and return a Counter of outcomes (ok / error / crash / timeout) and the findings.
"""
from __future__ import annotations

import copy
import io
import json
import os
import random
import subprocess
import sys
import zlib
import zipfile
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pdfbuild import serialize_pdf  # noqa: E402  (the same byte-exact PDF writer the tests use)

FLAGGED = "投标人须在本地注册设立分公司，注册资本不少于5000万元。"


# ---- .docx: structure within limits ---------------------------------------------------------------

def _rewrite(data: bytes, edit) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        members = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    edit(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, content in members.items():
            zout.writestr(name, content)
    return out.getvalue()


def _into_body(members: dict, xml: str) -> None:
    body = members.get("word/document.xml", b"")
    at = body.rfind(b"<w:sectPr")
    at = at if at >= 0 else body.rfind(b"</w:body>")
    if at >= 0:
        members["word/document.xml"] = body[:at] + xml.encode("utf-8") + body[at:]


def _para(text: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r></w:p>"


def _style_chain(members: dict, rng: random.Random) -> str:
    n = rng.choice([100, 5000, 40000])
    last = rng.choice(["Heading1", "S0", "Nowhere"])  # ends in a heading, closes a cycle, or dangles
    chain = "".join(f'<w:style w:type="paragraph" w:styleId="S{i}"><w:name w:val="s{i}"/>'
                    f'<w:basedOn w:val="{f"S{i + 1}" if i + 1 < n else last}"/></w:style>' for i in range(n))
    styles = members.get("word/styles.xml")
    if styles:
        members["word/styles.xml"] = styles.replace(b"</w:styles>", chain.encode() + b"</w:styles>")
    _into_body(members, _para("第一章 总则", "S0") + _para(FLAGGED, f"S{n // 2}"))
    return f"style-chain:{n}->{last}"


def _nested_tables(members: dict, rng: random.Random) -> str:
    depth = rng.choice([3, 20, 60, 200])
    xml = "<w:tbl><w:tr><w:tc>" * depth + _para(FLAGGED) + "</w:tc></w:tr></w:tbl><w:p/>" * depth
    _into_body(members, xml)
    return f"nested-tables:{depth}"


def _wide_table(members: dict, rng: random.Random) -> str:
    rows, cols = rng.choice([(2000, 3), (50, 500), (300, 60)])
    span = rng.choice(["", '<w:tcPr><w:gridSpan w:val="60000"/></w:tcPr>', "<w:tcPr><w:vMerge/></w:tcPr>"])
    cell = f"<w:tc>{span}{_para('评分项 10 分')}</w:tc>"
    _into_body(members, "<w:tbl>" + ("<w:tr>" + cell * cols + "</w:tr>") * rows + "</w:tbl>")
    return f"wide-table:{rows}x{cols}{'+span' if span else ''}"


def _flagged_paragraph(members: dict, rng: random.Random) -> str:
    k = rng.choice([500, 4000, 16000])
    _into_body(members, _para(FLAGGED * k))
    return f"flagged-paragraph:{k}"


def _tiny_runs(members: dict, rng: random.Random) -> str:
    k = rng.choice([5000, 50000])
    text = (FLAGGED * (k // len(FLAGGED) + 1))[:k]
    _into_body(members, "<w:p>" + "".join(f"<w:r><w:t>{c}</w:t></w:r>" for c in text) + "</w:p>")
    return f"tiny-runs:{k}"


def _numbering(members: dict, rng: random.Random) -> str:
    n = rng.choice([100, 3000])
    paras = "".join(f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{rng.choice([0, 8, 9, 99999, -1])}"/>'
                    f'<w:numId w:val="{rng.choice([1, 0, 999999, -5])}"/></w:numPr></w:pPr>'
                    f"<w:r><w:t>{FLAGGED}</w:t></w:r></w:p>" for _ in range(n))
    _into_body(members, paras)
    return f"numbering:{n}"


_DOCX = [_style_chain, _nested_tables, _wide_table, _flagged_paragraph, _tiny_runs, _numbering]


def hostile_docx(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    how = []
    mutator = rng.choice(_DOCX)
    try:
        out = _rewrite(data, lambda members: how.append(mutator(members, rng)))
    except zipfile.BadZipFile:
        return data, "unchanged"
    return out, "hostile-" + how[0]


# ---- PDF: built from scratch --------------------------------------------------------------------

_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_TEXT = b"BT /F1 10 Tf 72 60 Td (The supplier shall deliver the goods.) Tj ET"


def _pdf(contents: list[bytes], share: bool = False, filters: bytes = b"") -> bytes:
    """Pages drawing ``contents`` (one stream per page, or all pages drawing the first one)."""
    n = len(contents)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", _FONT]
    streams = contents[:1] if share else contents
    first_stream = 4
    for body in streams:
        objects.append(b"<< /Length %d %s>>\nstream\n" % (len(body), filters) + body + b"\nendstream")
    first_page = first_stream + len(streams)
    for i in range(n):
        stream = first_stream if share else first_stream + i
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                       b"/Contents %d 0 R >>" % stream)
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(n))
    objects[1] = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n
    return serialize_pdf(objects)


def _grid(rng: random.Random) -> tuple[bytes, str]:
    lines, step = rng.choice([(8, 60), (120, 5), (400, 1.5), (1000, 0.6)])
    end = 40 + lines * step
    rules = [b"40 %.2f m %.2f %.2f l S" % (40 + i * step, end, 40 + i * step) for i in range(lines + 1)]
    rules += [b"%.2f 40 m %.2f %.2f l S" % (40 + i * step, 40 + i * step, end) for i in range(lines + 1)]
    return _pdf([b"0.1 w\n" + b"\n".join(rules) + b"\n" + _TEXT]), f"grid:{lines}"


def _shared_stream(rng: random.Random) -> tuple[bytes, str]:
    pages, objects = rng.choice([(50, 2000), (1000, 5000), (3000, 20000)])
    body = b"\n".join(b"BT /F1 4 Tf %d %d Td (a) Tj ET" % (20 + (i % 140) * 4, 20 + (i // 140) % 160 * 5)
                      for i in range(objects))
    return _pdf([body] * pages, share=True), f"shared-stream:{pages}x{objects}"


def _flate_bomb(rng: random.Random) -> tuple[bytes, str]:
    mb = rng.choice([8, 64, 400])
    raw = zlib.compress(_TEXT + b" " * (mb * 1024 * 1024), 9)
    return _pdf([raw], filters=b"/Filter /FlateDecode "), f"flate-bomb:{mb}MB"


def _many_objects(rng: random.Random) -> tuple[bytes, str]:
    n = rng.choice([5000, 40000, 80000])
    body = b"\n".join(b"BT /F1 3 Tf %d %d Td (%d) Tj ET" % (20 + (i % 180) * 3, 20 + (i // 180) % 260 * 3, i % 10)
                      for i in range(n))
    return _pdf([body]), f"many-objects:{n}"


def _deep_page_tree(rng: random.Random) -> tuple[bytes, str]:
    depth = rng.choice([10, 200, 3000])
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):  # object 2 + level is a Pages node whose one kid is the next node
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (3 + level))
    objects.append(b"<< /Type /Page /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
                   b"/Contents %d 0 R >>" % (len(objects) + 2, len(objects) + 3))
    objects.append(_FONT)
    objects.append(b"<< /Length %d >>\nstream\n" % len(_TEXT) + _TEXT + b"\nendstream")
    return serialize_pdf(objects), f"deep-page-tree:{depth}"


_PDF = [_grid, _shared_stream, _flate_bomb, _many_objects, _deep_page_tree]


def hostile_pdf(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    out, how = rng.choice(_PDF)(rng)
    return out, "hostile-" + how


# ---- text ---------------------------------------------------------------------------------------

def hostile_text(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    kind = rng.choice(["short-lines", "long-line", "flagged-line", "tables"])
    if kind == "short-lines":
        n = rng.choice([10_000, 300_000, 1_500_000])
        return b"\n".join(rng.choice([b"a", b"#", b"|", b"1.", b"\xe6\x8a\x95"]) for _ in range(n)), f"{kind}:{n}"
    if kind == "long-line":
        mb = rng.choice([1, 5, 40])
        return b"a" * (mb * 1024 * 1024), f"{kind}:{mb}MB"
    if kind == "flagged-line":
        k = rng.choice([1000, 16000])
        return ("# 资格要求\n" + FLAGGED * k + "\n").encode("utf-8"), f"{kind}:{k}"
    rows, cols = rng.choice([(20000, 3), (100, 2000)])
    row = "|" + "|".join(["价格分 30 分"] * cols) + "|\n"
    return ("# 评分标准\n" + row * rows).encode("utf-8"), f"{kind}:{rows}x{cols}"


HOSTILE = {".docx": hostile_docx, ".pdf": hostile_pdf, ".txt": hostile_text, ".md": hostile_text}


# ---- folders holding special files --------------------------------------------------------------

def _specials(folder: Path, rng: random.Random) -> list[str]:
    made = []
    options = ["fifo", "dev-zero", "dev-null", "outside", "loop", "dangling", "unreadable", "dir-loop"]
    for kind in rng.sample(options, rng.randint(1, len(options))):
        target = folder / f"special-{kind}.txt"
        if kind == "fifo":
            os.mkfifo(target)
        elif kind in ("dev-zero", "dev-null"):
            target.symlink_to(f"/dev/{kind[4:]}")
        elif kind == "outside":
            target.symlink_to("/etc/hostname" if Path("/etc/hostname").exists() else "/etc/passwd")
        elif kind == "loop":
            target.symlink_to(target.name)
        elif kind == "dangling":
            target.symlink_to("nowhere.txt")
        elif kind == "unreadable":
            sub = folder / "locked"
            sub.mkdir()
            (sub / "a.txt").write_text(FLAGGED, encoding="utf-8")
            sub.chmod(0)
        elif kind == "dir-loop":
            (folder / "up").symlink_to("..")
        made.append(kind)
    return made


def _folder_outcome(proc: subprocess.CompletedProcess, out: Path) -> str:
    err = proc.stderr.decode("utf-8", "replace")
    if "Traceback" in err or proc.returncode not in (0, 1):
        return "crash"
    try:
        report = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "crash"
    files = report.get("files", []) if isinstance(report, dict) else []
    return "crash" if any("内部错误" in (f.get("error") or "") for f in files) else "ok"


def run_folders(seeds: list[Path], count: int, rng: random.Random, tmp: Path, timeout: float) -> tuple[Counter, list]:
    """`count` folder scans, each of a few seed copies and some special files, through the real CLI."""
    counts: Counter = Counter()
    found = []
    for i in range(count):
        folder = tmp / f"folder{i}"
        folder.mkdir()
        for seed in rng.sample(seeds, min(len(seeds), rng.randint(1, 3))):
            (folder / seed.name).write_bytes(seed.read_bytes())
        made = _specials(folder, rng)
        out = tmp / f"folder{i}.json"
        cmd = [sys.executable, "-m", "checker", "scan", str(folder), "--format", "json", "-o", str(out), "-j", "2"]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, cwd=ROOT, stdin=subprocess.DEVNULL)
            kind = _folder_outcome(proc, out)
        except subprocess.TimeoutExpired:
            kind = "timeout"
        finally:
            locked = folder / "locked"
            if locked.exists():
                locked.chmod(0o700)
        counts[kind] += 1
        if kind != "ok":
            found.append(f"{kind}: folder with {', '.join(made)}")
    return counts, found


# ---- local rule packs ---------------------------------------------------------------------------

_SHAPES = [None, 1, -1, 1e309, "", "x" * 100_000, [], [[1]], {}, {"type": ["regex"]}, {"a": {"b": {"c": [1]}}},
           ["(a+)+$"], ["(a|aa)+$"], ["(?:\\s*\\w+)+$"], "(?P<x>", "{x.__class__}", "{found:>300000000}",
           "{found!r}", "{", "}", list(range(10_000)), "2026-13-45", True, {"type": "like", "rules": ["LOCAL-FUZZ-001"]},
           {"type": "like", "rules": ["NOPE-001"]}, {"type": "regex", "patterns": ["禁.{0,50}止"]},
           {"type": "phrase", "terms": ["投标人"] * 5000}]


def _paths(node, prefix=()):
    """Every key path into a parsed rule, so a shape can replace any value at any depth."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _set(node, path, value):
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def hostile_rule(bundled: list[Path], rng: random.Random) -> tuple[str, str]:
    data = yaml.safe_load(rng.choice(bundled).read_text(encoding="utf-8"))
    data["id"] = "LOCAL-FUZZ-001"
    hows = []
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _paths(data) if p and p != ("id",)]
        path = rng.choice(paths)
        shape = copy.deepcopy(rng.choice(_SHAPES))  # a shared object would let a later change loop it into itself
        try:
            _set(data, path, shape)
        except (KeyError, IndexError, TypeError):
            continue
        hows.append("/".join(map(str, path)) + "=" + repr(shape)[:30])
    return yaml.safe_dump(data, allow_unicode=True), "rule:" + "; ".join(hows)


def _scan_with(engine, doc: str, conn) -> None:
    from checker.api import scan_file

    result = scan_file(doc, engine)
    conn.send(result.status == "ok" or "内部错误" not in (result.error or ""))


def _rule_outcome(pack: Path, doc: str, timeout: float) -> str:
    import multiprocessing as mp

    from checker.api import Options, build_engine
    from checker.errors import CheckerError

    try:
        engine = build_engine(Options(extra_rule_dirs=[pack]))
    except CheckerError as exc:
        return "error" if "\n" not in str(exc) else "crash"
    except Exception:  # noqa: BLE001 - any other exception at load is what the fuzzer looks for
        return "crash"
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_scan_with, args=(engine, doc, child), daemon=True)
    proc.start()
    child.close()
    proc.join(timeout)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return "timeout"
    ok = parent.poll() and parent.recv()
    return "ok" if ok and proc.exitcode == 0 else "crash"


def _keep_pack(text: str, kind: str) -> Path:
    import hashlib

    folder = ROOT / "tests" / "fuzz_regressions" / "rule-packs"
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:16]}.yaml"
    dest.write_text(text, encoding="utf-8")
    return dest


def run_rule_packs(count: int, rng: random.Random, tmp: Path, timeout: float) -> tuple[Counter, list]:
    """`count` local packs, each one bundled rule with one to three values replaced by hostile shapes,
    loaded and (when they load) run on a document of long runs that would expose a backtracking pattern."""
    from checker.rules import default_rule_dirs, iter_rule_files

    bundled = iter_rule_files(default_rule_dirs())
    doc = tmp / "rule-target.txt"
    doc.write_text("# 资格要求\n" + FLAGGED * 50 + "\n" + "a" * 5000 + "!\n" + " " * 3000 + "x\n"
                   + "禁" + "投标" * 3000 + "\n", encoding="utf-8")
    counts: Counter = Counter()
    found = []
    for i in range(count):
        pack = tmp / f"pack{i}"
        pack.mkdir()
        text, how = hostile_rule(bundled, rng)
        (pack / "LOCAL-FUZZ-001.yaml").write_text(text, encoding="utf-8")
        kind = _rule_outcome(pack, str(doc), timeout)
        counts[kind] += 1
        if kind in ("crash", "timeout"):
            found.append(f"{kind}: {how} (kept as {_keep_pack(text, kind)})")
    return counts, found
