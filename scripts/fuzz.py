"""Fuzz the readers and the engine with mutated corpus files; every variant must end ok or with a one-line error.

    python scripts/fuzz.py --iterations 1000            # 1,000 variants (default seeds: corpus/)
    python scripts/fuzz.py --seconds 300 --real ../shared/real-corpus
    python scripts/fuzz.py --iterations 200 --seed 7 --timeout 60 -j 2
    python scripts/fuzz.py --iterations 5000 --hostile 0.3 --folders 100 --rule-packs 600   # issue 17 run

Mutations: .docx zip members (truncated, deleted, bytes flipped, XML text/tags spliced), whole-zip
truncation and byte flips; PDF byte flips, truncation, chunk deletion/duplication, xref damage;
text re-encoded (GBK, UTF-16, BOMs), spliced with random Unicode (CJK, punctuation, pipes, '#',
controls). A --hostile share of variants stays within the limits while pushing work and memory
(scripts/fuzz_hostile.py: basedOn chains, nested and wide tables, paragraphs of thousands of flagged
sentences, ruled grids, pages sharing one content stream, flate bombs, deep page trees, millions of
short lines); --folders scans folders holding FIFOs, device links, loops and unreadable subfolders
through the CLI; --rule-packs loads bundled rules with values replaced by malformed shapes and
catastrophic patterns, and runs those that load. Each file variant runs through checker.batch (worker processes with a per-file timeout),
exactly as `tender-check scan` runs it. A crash (an internal error, a dead worker, a multi-line
error) or a timeout is copied to tests/fuzz_regressions/, which tests/test_fuzz_regressions.py
replays in the normal test suite. Not part of CI's default run.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import random
import shutil
import sys
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

REGRESSIONS = ROOT / "tests" / "fuzz_regressions"
SEED_EXTENSIONS = (".docx", ".pdf", ".txt", ".md", ".doc")
_SPLICE = ["投标人", "注册资本", "不少于", "1000万元", "。", "；", "|", "| a | b |", "\n# ", "\n", "#", "（", "）",
           "\x00", "\x1b[31m", "\ud7ff", "\u202e", "\ufeff", "<", "&", "]]>", "第一章 ", "一、", "1.1", "%", "％",
           "价格分", "30%", "中小企业", "\t", " " * 40, "𠀀", "🙂", "\u0301"]
_XML_SPLICE = [b"<w:p>", b"</w:p>", b"<w:t>", b"</w:t>", b"<w:tbl>", b"<w:tc>", b"<w:tr>", b"&amp;", b"&#0;",
               b"<!--", b"-->", b"<w:txbxContent>", b"\xe4\xb8\xad", b"\xff\xfe", b'w:val="99999999"',
               b'<w:gridSpan w:val="100000"/>', b'<w:vMerge/>', b"<w:br/>" * 50]


@dataclass
class Variant:
    path: Path
    seed_name: str
    how: str


# ---- mutators --------------------------------------------------------------------------------------

def _flip(data: bytes, rng: random.Random, n: int | None = None) -> bytes:
    if not data:
        return data
    buf = bytearray(data)
    for _ in range(n or rng.randint(1, 20)):
        buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def _splice(data: bytes, rng: random.Random, pieces: list[bytes]) -> bytes:
    pos = rng.randrange(len(data) + 1)
    return data[:pos] + rng.choice(pieces) * rng.randint(1, 3) + data[pos:]


def mutate_docx(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    kind = rng.choice(["member-flip", "member-splice", "member-truncate", "member-delete", "zip-flip",
                       "zip-truncate", "member-swap", "xml-dup"])
    if kind == "zip-flip":
        return _flip(data, rng), kind
    if kind == "zip-truncate":
        return data[: rng.randrange(1, len(data))], kind
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zin:
            members = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    except Exception:
        return _flip(data, rng), "zip-flip"
    xml = [n for n in members if n.endswith((".xml", ".rels"))]
    target = "word/document.xml" if rng.random() < 0.6 and "word/document.xml" in members else rng.choice(xml)
    body = members[target]
    if kind == "member-flip":
        members[target] = _flip(body, rng)
    elif kind == "member-splice":
        members[target] = _splice(body, rng, _XML_SPLICE + [s.encode("utf-8", "surrogatepass") for s in _SPLICE])
    elif kind == "member-truncate":
        members[target] = body[: rng.randrange(len(body) + 1)]
    elif kind == "member-delete":
        del members[target]
    elif kind == "member-swap":
        other = rng.choice(xml)
        members[target], members[other] = members[other], members[target]
    elif kind == "xml-dup":
        a = rng.randrange(len(body))
        b = min(len(body), a + rng.randint(1, 5000))
        members[target] = body[:b] + body[a:b] * rng.randint(1, 20) + body[b:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, content in members.items():
            zout.writestr(name, content)
    return out.getvalue(), f"{kind}:{target}"


def mutate_pdf(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    kind = rng.choice(["flip", "truncate", "delete", "dup", "xref", "flip-many", "numbers"])
    n = len(data)
    if kind == "flip":
        return _flip(data, rng), kind
    if kind == "flip-many":
        return _flip(data, rng, rng.randint(50, 500)), kind
    if kind == "truncate":
        return data[: rng.randrange(1, n)], kind
    if kind == "delete":
        a = rng.randrange(n)
        return data[:a] + data[a + rng.randint(1, 4096):], kind
    if kind == "dup":
        a = rng.randrange(n)
        b = min(n, a + rng.randint(1, 4096))
        return data[:b] + data[a:b] * rng.randint(1, 5) + data[b:], kind
    if kind == "xref":
        at = data.rfind(b"startxref")
        if at < 0:
            return _flip(data, rng), "flip"
        return data[:at] + b"startxref\n" + str(rng.randrange(n * 2)).encode() + b"\n%%EOF\n", kind
    # numbers: change object sizes, counts and lengths
    buf = bytearray(data)
    for _ in range(rng.randint(1, 10)):
        for key in (b"/Length ", b"/Count ", b"/W [", b"/Size ", b"/N "):
            at = data.find(key, rng.randrange(n))
            if at >= 0:
                digit = at + len(key)
                if digit < n and chr(buf[digit]).isdigit():
                    buf[digit] = ord(rng.choice("0123456789"))
    return bytes(buf), kind


def mutate_text(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    from checker.ingest.text import decode

    try:
        text = decode(data, "seed")
    except Exception:
        text = data.decode("utf-8", "replace")
    kind = rng.choice(["splice", "reencode", "bytes", "shuffle-lines", "table-soup"])
    if kind == "splice":
        for _ in range(rng.randint(1, 30)):
            pos = rng.randrange(len(text) + 1)
            text = text[:pos] + rng.choice(_SPLICE) + text[pos:]
        return text.encode("utf-8", "surrogatepass"), kind
    if kind == "reencode":
        enc = rng.choice(["gb18030", "gbk", "utf-16", "utf-16-le", "utf-8-sig", "big5", "latin-1"])
        return text.encode(enc, "replace"), f"{kind}:{enc}"
    if kind == "bytes":
        return _flip(text.encode("utf-8"), rng), kind
    lines = text.split("\n")
    if kind == "shuffle-lines":
        rng.shuffle(lines)
        return "\n".join(lines).encode("utf-8"), kind
    # table-soup: turn random lines into ragged pipe tables and headings
    out = []
    for line in lines:
        r = rng.random()
        if r < 0.3:
            cells = [line[i:i + rng.randint(1, 12)] for i in range(0, max(len(line), 1), 8)]
            out.append("|" + "|".join(cells[: rng.randint(1, 12)]) + "|" * rng.randint(0, 2))
        elif r < 0.4:
            out.append("#" * rng.randint(1, 8) + " " + line)
        else:
            out.append(line)
    return "\n".join(out).encode("utf-8"), kind


def mutate(seed: Path, rng: random.Random, hostile: float = 0.0) -> tuple[bytes, str, str]:
    """(bytes, suffix, description) of one variant of ``seed``; a ``hostile`` share of them are built
    to stay within the limits while pushing work and memory (scripts/fuzz_hostile.py)."""
    from fuzz_hostile import HOSTILE

    data = seed.read_bytes()
    ext = seed.suffix.lower()
    if ext in HOSTILE and rng.random() < hostile:
        out, how = HOSTILE[ext](data, rng)
    elif ext == ".docx":
        out, how = mutate_docx(data, rng)
    elif ext == ".pdf":
        out, how = mutate_pdf(data, rng)
    elif ext == ".doc":
        out, how = _flip(data, rng, rng.randint(1, 5)), "flip"
    else:
        out, how = mutate_text(data, rng)
    if rng.random() < 0.05:  # now and then, a wrong extension
        ext = rng.choice([".docx", ".pdf", ".doc", ".txt", ".md", ".wps", ".docm"])
        how += f"+renamed{ext}"
    return out, ext, how


# ---- classification ---------------------------------------------------------------------------------

def classify(result) -> str:
    if result.status == "ok":
        return "ok"
    err = result.error or ""
    if "\n" in err or not err.strip():
        return "crash"
    if err.startswith("处理超时"):
        return "timeout"
    if err.startswith(("内部错误", "处理该文件时工作进程意外退出")):
        return "crash"
    return "error"


def seeds_from(dirs: list[Path]) -> list[Path]:
    out = []
    for d in dirs:
        if d.is_file():
            out.append(d)
            continue
        out.extend(sorted(p for p in d.rglob("*") if p.is_file() and p.suffix.lower() in SEED_EXTENSIONS
                          and "fuzz_regressions" not in p.parts))
    return out


def keep(variant: Variant, result, kind: str) -> Path:
    REGRESSIONS.mkdir(parents=True, exist_ok=True)
    data = variant.path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    dest = REGRESSIONS / f"{kind}-{digest}{variant.path.suffix}"
    if not dest.exists():
        shutil.copyfile(variant.path, dest)
        dest.with_suffix(dest.suffix + ".why").write_text(
            f"seed: {variant.seed_name}\nmutation: {variant.how}\nresult: {result.error}\n", encoding="utf-8")
    return dest


def run(args) -> int:
    from checker.api import Options
    from checker.batch import Batch, BatchSettings

    dirs = [Path(d) for d in (args.seeds or [ROOT / "corpus"])]
    seeds = seeds_from(dirs)
    if not seeds:
        print("没有种子文件", file=sys.stderr)
        return 2
    real = seeds_from([Path(d) for d in args.real]) if args.real else []
    rng = random.Random(args.seed)
    counts: Counter = Counter()
    by_format: Counter = Counter()
    found: list[str] = []
    messages: Counter = Counter()
    settings = BatchSettings(jobs=args.jobs, timeout=args.timeout)
    start = time.monotonic()
    done = 0
    with tempfile.TemporaryDirectory(prefix="tender-fuzz-") as tmp:
        tmpdir = Path(tmp)

        def run_batch(variants: list[Variant], label: str) -> None:
            nonlocal done
            batch = Batch([str(v.path) for v in variants], Options(), settings)
            for v, result in zip(variants, batch):
                kind = classify(result)
                counts[(label, kind)] += 1
                by_format[(v.path.suffix, kind)] += 1
                done += label == "fuzz"
                if kind == "error":
                    messages[(result.error or "").split("：")[0][:40]] += 1
                    if label != "fuzz":
                        print(f"{label}: {v.path.name}: {result.error}", flush=True)
                if kind in ("crash", "timeout"):
                    dest = keep(v, result, kind) if label == "fuzz" else v.path
                    found.append(f"{kind}: {v.seed_name} [{v.how}] → {result.error} (kept as {dest})")
                    print(found[-1], flush=True)

        if real:  # every real file once, unmutated
            run_batch([Variant(p, p.name, "as-is") for p in real], "real")
            run_batch([Variant(p, p.name, "as-is") for p in seeds], "seed")
        round_no = 0
        while done < args.iterations and (args.seconds is None or time.monotonic() - start < args.seconds):
            round_no += 1
            size = min(args.round, args.iterations - done)
            round_dir = tmpdir / f"r{round_no}"
            round_dir.mkdir()
            variants = []
            for i in range(size):
                seed = rng.choice(seeds)
                data, ext, how = mutate(seed, rng, args.hostile)
                path = round_dir / f"v{i:04d}{ext}"
                path.write_bytes(data)
                variants.append(Variant(path, seed.name, how))
            run_batch(variants, "fuzz")
            shutil.rmtree(round_dir, ignore_errors=True)
            print(f"… {done} variants, {time.monotonic() - start:.0f} s: "
                  + ", ".join(f"{k}={v}" for (lab, k), v in sorted(counts.items()) if lab == "fuzz"), flush=True)
        _run_special(args, seeds, rng, tmpdir, counts, found)
    elapsed = time.monotonic() - start
    print(f"\n预算：{done} 个变体（上限 {args.iterations}" + (f"，{args.seconds:g} 秒" if args.seconds else "")
          + f"），种子 {len(seeds)} 个，随机种子 {args.seed}，用时 {elapsed:.0f} 秒，单文件时限 {args.timeout:g} 秒")
    for label in ("real", "seed", "fuzz", "folder", "rules"):
        row = {k: counts[(label, k)] for k in ("ok", "error", "crash", "timeout")}
        if sum(row.values()):
            print(f"{label:>5}: ok {row['ok']} / 明确错误 {row['error']} / 崩溃 {row['crash']} / 超时 {row['timeout']}")
    for ext in sorted({e for e, _ in by_format}):
        print(f"  {ext:<6} " + " ".join(f"{k}={by_format[(ext, k)]}" for k in ("ok", "error", "crash", "timeout")))
    print("最常见的明确错误：")
    for msg, n in messages.most_common(12):
        print(f"  {n:>5}  {msg}")
    for line in found:
        print(line)
    print(_peak_memory())
    return 1 if found else 0


def _run_special(args, seeds, rng, tmpdir: Path, counts: Counter, found: list) -> None:
    """Folders holding special files and malformed local rule packs, when asked for."""
    from fuzz_hostile import run_folders, run_rule_packs

    if args.folders:
        got, bad = run_folders(seeds, args.folders, rng, tmpdir, args.timeout + 60)
        counts.update({("folder", k): v for k, v in got.items()})
        found.extend(bad)
    if args.rule_packs:
        got, bad = run_rule_packs(args.rule_packs, rng, tmpdir, args.timeout)
        counts.update({("rules", k): v for k, v in got.items()})
        found.extend(bad)


def _peak_memory() -> str:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return f"峰值内存：本进程 {own:.0f} MB，单个子进程（工作进程、命令行扫描）最高 {children:.0f} MB"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("seeds", nargs="*", help="seed files or folders (default: corpus/)")
    ap.add_argument("--iterations", type=int, default=1000, help="number of variants (default 1000)")
    ap.add_argument("--seconds", type=float, default=None, help="stop after this many seconds")
    ap.add_argument("--seed", type=int, default=1, help="random seed (a run is reproducible)")
    ap.add_argument("--timeout", type=float, default=60.0, help="per-file time limit in seconds")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="worker processes")
    ap.add_argument("--round", type=int, default=50, help="variants per batch")
    ap.add_argument("--hostile", type=float, default=0.25,
                    help="share of variants built to push work and memory within the limits (default 0.25)")
    ap.add_argument("--folders", type=int, default=0, help="also scan this many folders holding special files")
    ap.add_argument("--rule-packs", type=int, default=0, help="also load this many malformed local rule packs")
    ap.add_argument("--real", action="append", default=[],
                    help="also scan every file of this folder unmutated (e.g. ../shared/real-corpus)")
    return run(ap.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
