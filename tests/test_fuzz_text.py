"""Property test of the text path: any Unicode text parses and checks without an exception."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.api import build_engine
from checker.errors import InputError
from checker.facts import extract_facts
from checker.ingest.text import parse_text

_PIECES = ["投标人", "注册资本", "不少于", "1000万元", "价格分", "30%", "中小企业", "扣除", "。", "；", "，", "：",
           "|", "| 评分项 | 分值 |", "\n", "\n# ", "#", "第一章", "一、", "（一）", "1.", "1.1", "％", "（", "）",
           "预算金额：", "万元", "日", "年", "月", "\t", " ", "\u3000", "\u202e", "\x00", "\ud800", "𠀀"]

texts = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(min_size=0, max_size=12),
              st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=8)),
    max_size=60).map("".join)


@pytest.fixture(scope="module")
def engine():
    return build_engine()


def test_text_path_never_raises(engine):
    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(texts, st.sampled_from(["md", "txt"]))
    def run(text, fmt):
        try:
            doc = parse_text(text, "<fuzz>", fmt)
        except InputError as exc:
            assert exc.problem and "\n" not in exc.problem
            return
        facts = extract_facts(doc)
        for f in engine.check(doc, facts):
            block = doc.blocks[f.location.block]
            assert 0 <= f.location.start <= f.location.end <= len(block.text)

    run()
