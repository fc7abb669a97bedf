"""Times documents through `tender-check serve` against the bare pipeline (run by hand, never by the tests).

    python benchmarks/bench_serve.py                       # the .docx files of ../shared/real-corpus
    python benchmarks/bench_serve.py FILE... --repeat 5    # given files, best of 5

For every document, after one warm-up upload: the bare library call (checker.api.scan_file on a warm
engine, in this process), the upload through the app (POST /api/checks in-process through Starlette's
TestClient: multipart parsing, the private temporary copy, the per-file worker of checker.batch,
storing the result in SQLite and the data folder), and the report page (GET /checks/N with the
decisions applied). Server time only: no network, no browser. Best of N wall-clock on a shared
machine; the overhead target is <= 0.3 s per document over the bare pipeline.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# ../shared/real-corpus beside the checkout (a worktree sits one level further down)
CORPUS = next((p / "shared" / "real-corpus" for p in ROOT.parents if (p / "shared" / "real-corpus").is_dir()),
              ROOT.parent / "shared" / "real-corpus")
TARGET = 0.3


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    files = args.files or sorted(CORPUS.glob("*.docx"))
    if not files:
        sys.exit(f"没有要测的文件（{CORPUS} 不存在？）")

    from checker.api import scan_file
    from checker.web import Settings, create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    data = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    t = time.perf_counter()
    app = create_app(Settings(data))
    start = time.perf_counter() - t
    client = TestClient(app, base_url="http://127.0.0.1:8765")
    engine = app.state.checker.engine

    def post(path: Path):
        r = client.post("/api/checks", files=[("file", (path.name, path.read_bytes()))])
        res = r.json()["results"][0]
        if not res["ok"]:
            raise SystemExit(res["error"])
        return res

    post(files[0])  # the first document pays for what is loaded lazily
    print(f"app start-up (rules, warm engine): {start:.2f} s")
    print(f"{'file':<60} {'KB':>6} {'bare':>7} {'upload':>7} {'over':>7} {'report':>7}")
    overheads, uploads = [], []
    for path in files:
        bare, _ = best(lambda: scan_file(str(path), engine, True), args.repeat)
        up, res = best(lambda: post(path), args.repeat)
        page, _ = best(lambda: client.get(res["report"]).raise_for_status(), args.repeat)
        overheads.append(up - bare)
        uploads.append(up)
        print(f"{path.name[:60]:<60} {path.stat().st_size / 1024:>6.0f} {bare:>7.3f} {up:>7.3f} {up - bare:>7.3f} {page:>7.3f}")
    print(f"\n{len(files)} documents, best of {args.repeat}: upload through the app median {statistics.median(uploads):.3f} s, "
          f"overhead over the bare pipeline median {statistics.median(overheads):.3f} s, max {max(overheads):.3f} s "
          f"(target <= {TARGET} s)")


if __name__ == "__main__":
    main()
