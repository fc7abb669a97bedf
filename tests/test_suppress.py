"""The engine-wide look-alike suppressors (checker/suppress.py) on short texts of our own."""
from __future__ import annotations

import pytest

from checker.api import build_engine, scan_text


@pytest.fixture(scope="module")
def engine():
    return build_engine()


def _ids(text, engine):
    return [f.rule_id for f in scan_text(text, engine=engine)]


def test_placeholder_boilerplate_is_silent(engine):
    model = "# 评分标准\n| 实施方案 | 投标人提供xxxx系统实施方案，优得9-10分，良得6-8分，一般得0-5分 |\n"
    assert "SCORE-QUANT-001" not in _ids(model, engine)
    assert "SCORE-QUANT-001" in _ids(model.replace("xxxx", "数据"), engine)


def test_clause_after_an_adopted_policy_is_the_documents_own(engine):
    adopted = ("# 招标公告\n项目属性：服务\n# 政府采购政策\n"
               "本项目依照《政府采购促进中小企业发展管理办法》执行，对小微企业报价给予30%的扣除。\n")
    assert "SME-DED-002" in _ids(adopted, engine)


def test_quoted_law_stays_silent(engine):
    quoted = ("# 招标公告\n项目属性：服务\n# 政府采购政策\n"
              "根据《政府采购促进中小企业发展管理办法》第九条，对小微企业报价给予6%—10%的扣除。\n")
    assert "SME-DED-002" not in _ids(quoted, engine)


def test_clause_marked_not_applicable_stays_silent(engine):
    marked = ("# 招标公告\n项目属性：货物\n# 投标人资格要求\n"
              "投标人销售非自产设备时，须提交制造商出具的授权书（本项目不适用）；\n")
    assert "EXC-AUTH-001" not in _ids(marked, engine)
    assert "EXC-AUTH-001" in _ids(marked.replace("（本项目不适用）", ""), engine)
    # "不适用于…" limits the clause's scope; it does not switch it off.
    scoped = marked.replace("（本项目不适用）", "，本款不适用于联合体牵头人以外的成员")
    assert "EXC-AUTH-001" in _ids(scoped, engine)
