"""Times the scan of corpus/ and ../shared/real-corpus against a bare text-extraction floor (run by hand).

    python benchmarks/bench.py                    # both folders, best of 3 runs per document
    python benchmarks/bench.py --repeat 1 corpus  # one folder, one run
    python benchmarks/bench.py --profile FILE     # cProfile of scanning FILE (top functions by own time)

For every document: reading, facts, rules and reporting (JSON) times, characters and pages per second;
beside it the floor for the same file: lxml over word/document.xml (.docx) or pypdfium2 get_text_range
(.pdf). Prints the scan/floor ratio per format, the start-up time of `tender-check --version`, and the
process's peak memory. Timings are best-of-N wall-clock on a shared machine: compare ratios, not
absolute numbers. Never run from the test suite.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import statistics
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DIRS = [ROOT / "corpus", ROOT.parent / "shared" / "real-corpus"]


@dataclass
class Row:
    path: Path
    fmt: str
    status: str
    chars: int = 0
    pages: int | None = None
    read: float = 0.0
    facts: float = 0.0
    rules: float = 0.0
    report: float = 0.0
    floor: float | None = None
    findings: int = 0

    @property
    def scan(self) -> float:
        return self.read + self.facts + self.rules + self.report

    @property
    def ratio(self) -> float | None:
        return self.scan / self.floor if self.floor else None


# --- floors -----------------------------------------------------------------------------------
_W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"


def floor_docx(path: Path) -> int:
    from lxml import etree

    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    return sum(len(t.text or "") for t in root.iter(_W_T))


def floor_pdf(path: Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    n = 0
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            n += len(tp.get_text_range())
            tp.close()
            page.close()
    finally:
        pdf.close()
    return n


FLOORS = {".docx": floor_docx, ".pdf": floor_pdf}


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


# --- one document -----------------------------------------------------------------------------
def measure(path: Path, engine, repeat: int) -> Row:
    from checker.api import scan_file
    from checker.model import Report
    from checker.reporters import json as json_reporter

    fmt = path.suffix.lower()
    runs = []
    for _ in range(repeat):
        res = scan_file(str(path), engine, keep_document=True)
        t0 = time.perf_counter()
        json_reporter.render(Report((res,)))
        runs.append((res, time.perf_counter() - t0))
    res, _ = runs[0]
    row = Row(path, fmt, res.status if res.status == "ok" else f"error: {res.error}")
    if res.status != "ok":
        return row
    for key in ("read", "facts", "rules"):
        setattr(row, key, min(r.timings.get(key, 0.0) for r, _ in runs))
    row.report = min(t for _, t in runs)
    doc = res.document
    row.chars = sum(len(b.text) for b in doc.blocks)
    row.pages = doc.pages
    row.findings = len(res.findings)
    floor = FLOORS.get(fmt)
    if floor:
        try:
            row.floor = best(lambda: floor(path), repeat)
        except Exception as exc:  # a floor that cannot read the file is reported, not fatal
            print(f"  floor failed for {path.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return row


def startup_time(repeat: int = 5) -> tuple[float, list[str]]:
    exe = [sys.executable, "-m", "checker", "--version"]
    t = best(lambda: subprocess.run(exe, check=True, capture_output=True, cwd=ROOT), repeat)
    probe = ("import sys, checker.cli; from click.testing import CliRunner; "
             "CliRunner().invoke(checker.cli.main, ['--version']); "
             "print(','.join(m for m in ('spacy', 'pdfplumber', 'pypdfium2', 'docx', 'yaml', 'ahocorasick') "
             "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    return t, [m for m in out.split(",") if m]


# --- output -----------------------------------------------------------------------------------
def fmt_s(x: float | None) -> str:
    return "—" if x is None else f"{x * 1000:8.1f}"


def print_rows(title: str, rows: list[Row]) -> None:
    print(f"\n## {title}: {len(rows)} 个文件")
    print(f"{'文件':<46}{'字符':>8}{'页':>4}{'读取ms':>9}{'事实ms':>9}{'规则ms':>9}{'报告ms':>9}{'合计ms':>9}"
          f"{'下限ms':>9}{'倍数':>7}{'发现':>5}")
    for r in rows:
        name = r.path.name if len(r.path.name) <= 44 else r.path.name[:41] + "..."
        if not r.status == "ok":
            print(f"{name:<46}  {r.status}")
            continue
        ratio = f"{r.ratio:7.2f}" if r.ratio else "      —"
        print(f"{name:<46}{r.chars:>8}{(r.pages or 0):>4}{fmt_s(r.read)}{fmt_s(r.facts)}{fmt_s(r.rules)}"
              f"{fmt_s(r.report)}{fmt_s(r.scan)}{fmt_s(r.floor)}{ratio}{r.findings:>5}")
    ok = [r for r in rows if r.status == "ok"]
    print(f"\n{'格式':<8}{'文件':>5}{'扫描s':>9}{'下限s':>9}{'总倍数':>8}{'中位倍数':>9}{'最大倍数':>9}"
          f"{'字符/秒':>11}{'页/秒':>8}  读取/事实/规则/报告 占比")
    for fmt in sorted({r.fmt for r in ok}):
        group = [r for r in ok if r.fmt == fmt]
        scan = sum(r.scan for r in group)
        with_floor = [r for r in group if r.floor]
        floor = sum(r.floor for r in with_floor) if with_floor else None
        ratio = (sum(r.scan for r in with_floor) / floor) if floor else None
        ratios = [r.ratio for r in with_floor]
        chars = sum(r.chars for r in group)
        pages = sum(r.pages or 0 for r in group)
        parts = [sum(getattr(r, k) for r in group) / scan * 100 if scan else 0 for k in ("read", "facts", "rules", "report")]
        print(f"{fmt:<8}{len(group):>5}{scan:>9.3f}{(floor or 0):>9.3f}"
              f"{(f'{ratio:.2f}x' if ratio else '—'):>8}{(f'{statistics.median(ratios):.2f}x' if ratios else '—'):>9}"
              f"{(f'{max(ratios):.2f}x' if ratios else '—'):>9}{chars / scan if scan else 0:>11.0f}"
              f"{(f'{pages / scan:.1f}' if pages else '—'):>8}  "
              + "/".join(f"{p:.0f}%" for p in parts))


def profile(paths: list[str]) -> None:
    from checker.api import build_engine, scan_file

    engine = build_engine()
    for p in paths:  # warm-up: lazy imports and caches are not what we profile
        scan_file(p, engine)
    prof = cProfile.Profile()
    prof.enable()
    for p in paths:
        scan_file(p, engine)
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).sort_stats("tottime")
    stats.print_stats(25)
    print(out.getvalue())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", help="要测的目录或文件（默认 corpus/ 与 ../shared/real-corpus）")
    ap.add_argument("--repeat", type=int, default=3, help="每个文件测几次取最快（默认 3）")
    ap.add_argument("--profile", nargs="+", metavar="FILE", help="对这些文件做 cProfile，按自身耗时列出前 25 个函数")
    args = ap.parse_args(argv)
    if args.profile:
        profile(args.profile)
        return 0
    from checker.api import build_engine, iter_inputs

    t0 = time.perf_counter()
    engine = build_engine()
    engine_time = time.perf_counter() - t0
    startup, heavy = startup_time()
    print(f"启动（python -m checker --version，最快 5 次）：{startup * 1000:.0f} ms；"
          f"--version 时已导入的重模块：{', '.join(heavy) or '无'}")
    print(f"加载规则并建立引擎：{engine_time * 1000:.0f} ms（{len(engine.rules)} 条规则，不计入每个文件）")
    dirs = [Path(d) for d in args.dirs] or [d for d in DEFAULT_DIRS if d.exists()]
    for d in dirs:
        files = [Path(p) for p in iter_inputs([d]) if not p.endswith(".md") or "real-corpus" in str(d)]
        files = [f for f in files if f.name != "README.md"]
        # warm-up one file per format so first-use imports (spaCy, pdf libs) are not billed to one document
        seen = set()
        for f in files:
            if f.suffix.lower() not in seen:
                seen.add(f.suffix.lower())
                measure(f, engine, 1)
        rows = [measure(f, engine, args.repeat) for f in files]
        print_rows(str(d.relative_to(ROOT.parent) if d.is_relative_to(ROOT.parent) else d), rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n进程峰值内存（RSS）：{peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
