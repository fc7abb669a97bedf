"""Time the inputs that used to be quadratic or unbounded (issue 17): a paragraph of thousands of
flagged sentences (engine, JSON and HTML), a PDF page ruled like graph paper, a flate bomb.

    python benchmarks/bench_hostile.py [--sentences 16000]

Prints seconds per case; it measures, it never fails on time."""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checker.api import scan  # noqa: E402
from checker.reporters import html, json as json_report  # noqa: E402
from tests.pdfbuild import serialize_pdf  # noqa: E402
from tests.test_reliability_pdf import _ruled_page, _text_page, make_pdf  # noqa: E402


def timed(label: str, fn) -> None:
    start = time.perf_counter()
    fn()
    print(f"{label:<40} {time.perf_counter() - start:8.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", type=int, default=16000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dense = Path(tmp, "dense.txt")
        dense.write_text("第一章 资格要求\n" + "".join(f"{i}.投标人须在本市设有分公司。" for i in range(args.sentences)),
                         encoding="utf-8")
        report = {}
        timed(f"scan: {args.sentences} findings in one paragraph", lambda: report.setdefault("r", scan([dense])))
        timed("  json", lambda: json_report.render(report["r"]))
        timed("  html", lambda: html.render(report["r"]))
        grid = Path(tmp, "grid.pdf")
        grid.write_bytes(make_pdf([_ruled_page(400)]))
        timed("scan: 400x400 ruled PDF page", lambda: scan([grid]))
        raw = zlib.compress(_text_page("x") + b" " * (800 * 1024 * 1024), 9)
        bomb = Path(tmp, "bomb.pdf")
        bomb.write_bytes(serialize_pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(raw) + raw + b"\nendstream"]))
        timed("scan: 800 MB flate bomb in a 1 MB PDF", lambda: scan([bomb]))


if __name__ == "__main__":
    main()
