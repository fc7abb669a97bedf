"""Scoring tables from Word tables, Markdown tables, prose lists and headings; price weight."""
from __future__ import annotations

from checker.ingest import read
from checker.ingest.text import parse_text
from checker.scoring import extract_scoring, primary

from .docbuild import make_docx


def _schemes(md: str):
    return extract_scoring(parse_text(md, "<t>", "md"))


def test_docx_table_split_across_pages_with_ranges(tmp_path):
    # a table continued on the next page arrives as a second table right after the first
    path = make_docx(tmp_path / "s.docx", [
        ("h1", "第三章 评标办法"),
        ("p", "采购包1评分规则："),
        ("table", [["评分项目", "分值区间", "评分办法"], ["报价分", "0~10", "低价优先"],
                   ["服务方案", "0~40", "按方案评分"]]),
        ("table", [["人员配置", "0~30", "按资格评分"], ["业绩", "0~20", "每个2分"]]),
    ])
    schemes = extract_scoring(read(path))
    assert len(schemes) == 1
    s = schemes[0]
    assert s.total == 100 and s.price_points == 10 and s.price_weight == 10.0
    assert s.lot == "1"
    assert [i.group for i in s.items] == ["price", "technical", "technical", "commercial"]


def test_merged_item_with_sub_items_and_stated_total():
    s = _schemes("""# 评分标准
| 序号 | 评审因素 | 评分标准 | 分值 |
| 1 | 服务方案(30分) | 方案完整得15分 | 15分 |
| ^ | ^ | 应急预案完善得15分 | 15分 |
| 2 | 报价 | 低价优先法 | 20分 |
| 3 | 业绩 | 每个5分 | 50分 |
| 合计 | | | 100分 |
""")[0]
    assert s.stated_total == 100 and s.total == 100
    assert s.price_weight == 20.0
    assert [i.parent for i in s.items[:2]] == ["服务方案(30分)", "服务方案(30分)"]


def test_total_is_the_sum_not_the_stated_total():
    s = _schemes("# 评标办法\n本项目满分100分。\n| 评分项目 | 分值 |\n| 技术 | 60 |\n| 商务 | 20 |\n| 价格分 | 30 |")[0]
    assert s.stated_total == 100 and s.total == 110
    assert s.price_weight == round(30 / 110 * 100, 2)


def test_prose_list_and_group_heading_forms():
    s = _schemes("# 评标办法\n评分构成：技术分50分，商务分25分，价格分25分。")[0]
    assert s.price_weight == 25.0 and s.source == "prose"
    s = _schemes("# 评标办法\n经济标30分、技术标70分。")[0]
    assert s.price_weight == 30.0
    s = _schemes("# 第四章 评标办法(总分100分)\n## 一、投标报价(40分)\n说明\n## 二、技术方案(60分)\n说明")[0]
    assert s.price_weight == 40.0 and s.stated_total == 100


def test_price_reasonableness_is_not_the_price_score():
    s = _schemes("# 评分标准\n| 评分项目 | 分值 |\n| 报价合理性 | 10 |\n| 投标报价 | 30 |\n| 技术 | 60 |")[0]
    assert s.price_points == 30


def test_law_restatement_is_not_a_scoring_scheme():
    assert _schemes("# 评标办法\n货物项目的价格分值占总分值的比重不得低于30%，服务项目不得低于10%。") == []


def test_primary_per_lot():
    md = """# 采购包1评分标准
| 评分项目 | 分值 |
| 价格分 | 30 |
| 技术 | 70 |
# 采购包2评分标准
| 评分项目 | 分值 |
| 价格分 | 10 |
| 技术 | 90 |
"""
    schemes = _schemes(md)
    assert primary(schemes, "1").price_weight == 30.0
    assert primary(schemes, "2").price_weight == 10.0


def test_stated_weights_win_over_sub_scores():
    schemes = _schemes("""# 评标办法
技术评标权重:40%价格评标权重:60%商务评标权重:0%
## 3.2技术评分标准(100分)
## 3.3评标价格的评分方法(100分)
""")
    assert primary(schemes).price_weight == 60.0


def test_one_item_per_line():
    s = _schemes("# 评标办法\n技术文件：10分\n商务文件：10分\n说明\n报价文件：80分")[0]
    assert s.price_weight == 80.0
