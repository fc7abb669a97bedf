"""Our corpus stays right: every planted problem is found, no look-alike is reported, facts are read correctly."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from checker.evaluate import Expected, Sidecar, evaluate, load_sidecar, match_document, sidecar_path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLDEN = Path(__file__).resolve().parent / "golden"
GOLDEN_DOCS = ("02-goods-open-scale.docx", "06-goods-tcn-brand.pdf", "01-goods-open-clean.docx")
REGENERATE = "python scripts/build_corpus.py --golden"


def sidecars() -> list[Path]:
    return sorted(CORPUS.glob("*.expected.yaml"))


@pytest.fixture(scope="module")
def evaluation():
    return evaluate([str(CORPUS)])


def test_corpus_has_twenty_documents_in_every_format():
    docs = [yaml.safe_load(p.read_text(encoding="utf-8"))["document"] for p in sidecars()]
    assert len(docs) >= 20
    assert all((CORPUS / d).exists() for d in docs)
    suffixes = {Path(d).suffix for d in docs}
    assert {".docx", ".pdf", ".doc", ".txt"} <= suffixes


def test_gbk_text_document_is_really_gbk():
    raw = (CORPUS / "09-goods-rfq-gbk.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "询价" in raw.decode("gbk")


def test_every_expected_excerpt_is_in_its_docx():
    """A sidecar names text that is really in its document (guards against sidecar/document drift)."""
    from checker.evaluate import _positions
    from checker.ingest import read

    lost = []
    for p in sidecars():
        side = load_sidecar(p)
        doc_path = CORPUS / yaml.safe_load(p.read_text(encoding="utf-8"))["document"]
        if doc_path.suffix not in (".docx", ".txt"):
            continue
        doc = read(doc_path)
        lost += [f"{doc_path.name}: {e.excerpt}" for e in side.findings if not _positions(doc, e.excerpt)]
    assert not lost


def _missing_rules() -> list[str]:
    from checker.rules import load_rules

    loaded = {r.id for r in load_rules()}
    wanted = {f.rule_id for p in sidecars() for f in load_sidecar(p).findings}
    return sorted(wanted - loaded)


def test_corpus_f1_is_one(evaluation):
    """Every planted problem found, no look-alike reported (issue 7); the message lists the gaps."""
    missing = _missing_rules()
    assert not missing, f"sidecars name rules that are not loaded: {', '.join(missing)}"
    assert len(evaluation.documents) >= 20
    o = evaluation.overall
    gaps = [f"miss {m.document} {m.rule_id} 「{m.excerpt}」" for d in evaluation.documents for m in d.misses]
    gaps += [f"false alarm {f.document} {f.rule_id} 「{f.excerpt}」 {f.where}"
             for d in evaluation.documents for f in d.false_alarms]
    assert o.f1 == 1.0, "\n".join(gaps)


def test_every_corpus_file_reads(evaluation):
    errors = [f"{d.document}: {d.error}" for d in evaluation.documents if d.status != "ok"]
    assert not errors
    assert not evaluation.unpaired


def test_corpus_facts_are_all_right(evaluation):
    wrong = [f"{c.document} {c.key}: expected {c.expected!r}, got {c.actual!r}"
             for c in evaluation.fact_checks if not c.ok]
    assert not wrong, "\n".join(wrong)


# --- the matching rule itself, on a tiny document --------------------------------------------
def _result(text: str, findings_for):
    from checker.ingest.text import parse_text
    from checker.model import FileResult

    doc = parse_text(text, "t.md", "md")
    return FileResult("t.md", "ok", None, {"budget": 3000000.0, "sme_deduction": [10.0]},
                      tuple(findings_for(doc)), doc)


def _finding(doc, rule_id, needle, block_text=None):
    from checker.model import Finding, Location

    block = next(b for b in doc.blocks if (block_text or needle) in b.text)
    s = block.text.index(needle)
    return Finding(rule_id, "error", "", "", needle, Location.of(doc, block, s, s + len(needle)), (), "")


TEXT = "# 资格要求\n投标人注册资本不少于人民币1000万元（以营业执照为准）。\n| 评分项 | 分值 | 评分标准 |\n| 价格分 | 20 | 投标报价得分=(评标基准价/投标报价)×20 |\n"


def test_overlapping_span_in_same_block_counts_and_other_rule_does_not():
    side = Sidecar(Path("t.expected.yaml"), (Expected("EXC-SCALE-001", "注册资本不少于人民币1000万元"),),
                   {"budget": 3000000, "sme_deduction": [10]})
    res = _result(TEXT, lambda d: [_finding(d, "EXC-SCALE-001", "注册资本不少于人民币1000万元（以营业执照为准）"),
                                   _finding(d, "EXC-SCALE-002", "注册资本")])
    out = match_document(res, side)
    assert [h.level for h in out.hits] == ["overlap"]
    assert [(f.rule_id, f.excerpt) for f in out.false_alarms] == [("EXC-SCALE-002", "注册资本")]
    assert all(c.ok for c in out.facts)


def test_finding_in_same_table_row_counts_but_elsewhere_is_a_miss():
    side = Sidecar(Path("t.expected.yaml"), (Expected("PRICE-WEIGHT-001", "20"), Expected("PRICE-WEIGHT-001", "不少于")), {})
    res = _result(TEXT, lambda d: [_finding(d, "PRICE-WEIGHT-001", "投标报价得分")])
    out = match_document(res, side)
    assert [h.level for h in out.hits] == ["row"]
    assert [m.excerpt for m in out.misses] == ["不少于"]


def test_wrong_fact_is_reported():
    side = Sidecar(Path("t.expected.yaml"), (), {"budget": 2000000, "sme_deduction": [10]})
    out = match_document(_result(TEXT, lambda d: []), side)
    assert [(c.key, c.ok) for c in out.facts] == [("budget", False), ("sme_deduction", True)]


def test_sidecar_sits_beside_its_document():
    assert sidecar_path("corpus/03-goods-open-weight.docx") == Path("corpus/03-goods-open-weight.expected.yaml")


# --- golden files ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", GOLDEN_DOCS)
def test_golden_json(name):
    from checker.api import build_engine, scan_file
    from checker.evaluate import golden_view

    golden = GOLDEN / (name + ".json")
    assert golden.exists(), f"no golden file; create it with {REGENERATE}"
    actual = json.loads(json.dumps(golden_view(scan_file(str(CORPUS / name), build_engine())), ensure_ascii=False))
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert actual == expected, f"{name} output changed; if intended, run {REGENERATE} and review the diff"
