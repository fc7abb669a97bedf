"""Budget under its other names, stated in a sentence, as the total of a shares table, and a lot
table continued over pages."""
from __future__ import annotations

import pytest

from checker.facts import extract_facts
from checker.ingest.builder import DocumentBuilder
from checker.ingest.text import parse_text


def _facts(md: str):
    return extract_facts(parse_text(md, "<t>", "md"))


@pytest.mark.parametrize("text, yuan", [
    ("| 标项 | 内容 | 招标估算(万元) |\n| 1 | 台式电脑采购 | 96.5 |", 965000),
    ("1.3项目规模：不含税420万元。", 4200000),
    ("1.2.1采购预估金额：18万元(含税)。", 180000),
    ("1.1本项目为集中采购，两年保洁服务费预算总额为1250.5万元(不含税)，分两个份额。", 12505000),
])
def test_budget_names_and_sentences(text, yuan):
    assert _facts(f"# 第一章 公告\n{text}\n").get("budget") == yuan


def test_project_scale_that_is_no_amount_is_no_budget():
    assert _facts("# 第一章 公告\n项目规模：共计3栋楼宇\n").get("budget") is None


def test_shares_table_gives_its_total():
    f = _facts("""# 第一章 公告
| 份额 | 区域 | 预算金额(元) | 占比 |
| 1 | 东片区 | 3000000 | 60% |
| 2 | 西片区 | 2000000 | 40% |
| 合计 | | 5000000 | 100% |
""")
    assert f.get("budget") == 5000000


def test_lot_table_continued_on_the_next_page():
    b = DocumentBuilder("<t>", "pdf")
    b.heading("第一章 招标公告", 1, page=1)
    b.table([["包号", "采购内容", "预算金额(万元)"], ["1", "中文图书", "120万元"], ["2", "外文图书", "80万元"]], page=1)
    b.table([["3", "中文期刊", "30万元"], ["4", "外文期刊", "50万元"]], page=2)
    f = extract_facts(b.build(pages=2))
    assert [lot["budget"] for lot in f.get("lots")] == [1200000, 800000, 300000, 500000]
    assert f.get("budget") == 2800000
