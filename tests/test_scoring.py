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


def test_scheme_split_into_separate_review_tables(tmp_path):
    # 《技术评审表》《商务评审表》《价格评审表》 each on their own: the price table has a single row
    path = make_docx(tmp_path / "split.docx", [
        ("h1", "第三章 评标方法"),
        ("p", "评分细则见后附技术评审表、商务评审表、价格评审表。"),
        ("p", "附表一：技术评审表(50分)"),
        ("table", [["序号", "评分项", "评审细则", "分值"], ["1", "实施方案", "方案完整可行", "30"],
                   ["2", "人员配置", "按持证人数", "20"]]),
        ("p", "附表二：商务评审表(30分)"),
        ("table", [["序号", "评分项", "评审细则", "分值"], ["1", "同类业绩", "每个3分", "15"],
                   ["2", "资质证书", "具备得15分", "15"]]),
        ("p", "附表三：价格评审表(20分)"),
        ("table", [["评分因素", "评分标准", "分值"], ["价格", "低价优先法计算", "20"]]),
    ])
    schemes = extract_scoring(read(path))
    main = primary(schemes)
    assert main.total == 100 and main.price_weight == 20.0
    assert len(main.items) == 5


def test_lone_price_row_without_partners_is_no_scheme():
    # a single price row whose neighbours do not add up to 100 is not read as "price is 100%"
    assert primary(_schemes("# 评标办法\n| 评分因素 | 分值 |\n| 价格 | 20 |")) is None


def test_price_heading_beside_a_table_of_the_other_items():
    s = primary(_schemes("""# 第四章 评标办法
## 二、评分内容
### (一)价格分(25分)
价格得分按低价优先法计算。
其余评分项(75分)
| 类别 | 分值 | 评分细则 |
| 服务方案 | 40 | 按方案评分 |
| 团队人员 | 20 | 按人数评分 |
| 类似业绩 | 15 | 每个5分 |
"""))
    assert s.total == 100 and s.price_weight == 25.0


def test_price_outside_a_full_sub_scale_gives_no_weight():
    # 陈述 + 施工组织设计 make their own 100-point scale (ranked into a small score elsewhere); the price
    # row sits outside it, and a notes row repeating both maxima is not a score of its own
    s = _schemes("""# 第三章 评标办法
| 条款号 | 评审因素 | 分值 | 评审标准 |
| 1 | 项目负责人答辩 | 50分 | 按答辩情况评分 |
| ^ | 施工组织设计 | 50分 | 按设计深度评分 |
| 2 | 投标报价 | 8分 | 按报价排名得分 |
| 评分说明 | | 答辩(满分50分)与施工组织设计(满分50分)合计后排名，第1名得12分，依次递减 | |
""")[0]
    assert s.total == 108
    assert s.price_points == 8 and s.price_weight is None


def test_standard_points_column_and_rule_text_under_merged_items(tmp_path):
    # "标准分值" is the points column; sub-rows under a merged item name carry only rule text, and a
    # rule mentioning "(报价)供应商" is not the price row; three separate tables make one 100-point scheme
    path = make_docx(tmp_path / "std.docx", [
        ("h1", "第四章 评审标准"),
        ("p", "附表一 商务评审表"),
        ("table", [["序号", "评审项目", "评审内容及规则", "标准分值", "类型"],
                   ["1", "企业资质", "投标(报价)人持有甲证书的得标准分值", "5", "客观"],
                   ["", "", "投标(报价)人持有乙证书的得标准分值", "5", "客观"],
                   ["2", "同类业绩", "每份合同得2分", "10", "客观"],
                   ["合计", "", "", "20", ""]]),
        ("p", "附表二 技术评审表"),
        ("table", [["序号", "评审项目", "评审内容及规则", "标准分值", "类型"],
                   ["1", "服务方案", "方案周全的得标准分值", "30", "主观"],
                   ["2", "人员安排", "团队稳定的得标准分值", "20", "主观"]]),
        ("p", "附表三 价格评审表"),
        ("table", [["序号", "评审项目", "评审内容及规则", "标准分值", "类型"],
                   ["1", "价格评审", "以平均报价为基准计算", "30", "客观"]]),
    ])
    main = primary(extract_scoring(read(path)))
    assert main is not None and main.total == 100
    assert main.price_points == 30 and main.price_weight == 30.0


def test_points_written_inside_item_cells_without_a_points_column():
    # no 分值 column: each item cell ends with its points and the group cell on its left has the subtotal
    s = primary(_schemes("""# 第三章 评标办法
评审细则表(满分100分)
| 评分类别 | 评分内容 | 评分细则 |
| 报价部分(40分) | 总价(40分) | 最低价为基准价 |
| 商务部分(20分) | 公司业绩(20分) | 每份合同得4分 |
| 技术部分(40分) | 运维方案(25分) | 按完整性评分 |
| ^ | 驻场人员(15分) | 按人数评分 |
"""))
    assert s is not None and s.total == 100
    assert s.price_points == 40 and s.price_weight == 40.0
    assert [i.group for i in s.items] == ["price", "commercial", "technical", "technical"]


def test_price_paragraph_numbered_with_a_closing_paren_beside_the_other_items_table():
    s = primary(_schemes("""# 第四章 评审办法
## 三、评审细则
1)技术商务分(80分)
| 评分因素 | 分值 | 评分细则 |
| 实施计划 | 50 | 按计划评分 |
| 供货业绩 | 30 | 每个得6分 |
2)价格分(20分)
最低报价为基准价。
"""))
    assert s is not None and s.total == 100 and s.price_weight == 20.0


def _docx_with_title_rows(path):
    # each part opens its own table with a full-width title row; the item tables do not join up
    import docx

    d = docx.Document()
    d.add_heading("第三章 评审方法", level=1)
    d.add_heading("二、评分标准", level=2)
    for title, rows in (("一、报价分(20分)", [["报价", "最低价得满分"]]),
                        ("二、技术部分(70分)", [["参数响应", "20分"], ["演示效果", "50分"]]),
                        ("三、商务部分(10分)", [["业绩", "10分"]])):
        t = d.add_table(rows=len(rows) + 1, cols=2)
        t.cell(0, 0).merge(t.cell(0, 1)).text = title
        for r, row in enumerate(rows, start=1):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
        d.add_paragraph("（本页完）")
    d.save(str(path))
    return path


def test_part_titles_as_full_width_table_rows(tmp_path):
    s = primary(extract_scoring(read(_docx_with_title_rows(tmp_path / "titles.docx"))))
    assert s is not None and s.total == 100 and s.price_weight == 20.0
    assert [i.name for i in s.items] == ["报价分", "技术部分", "商务部分"]


def test_pdf_table_continued_on_next_page_with_fewer_columns_and_a_late_header():
    # the run opens with the tail of a compliance table, the header comes on its fourth row, and the
    # next page's part of the table was found one column narrower (its clause-number column lost)
    from checker.ingest.builder import DocumentBuilder

    b = DocumentBuilder("<t>", "pdf")
    b.heading("第三章 评审办法", 1, page=5)
    b.table([["", "合同条款", "无负偏离", None],
             ["", "技术规范", "无负偏离", None],
             ["", "服务期限", "满足要求", None],
             ["条款号", "评分因素", "分值", "评分标准"],
             ["2.2", "项目业绩", "15", "每个5分"],
             [None, "人员资历", "15", "按证书评分"]], page=5)
    b.table([["运维方案", "30", "按方案评分"],
             ["报价", "40", "基准价法"]], page=6)
    s = primary(extract_scoring(b.build(pages=6)))
    assert s is not None and s.total == 100 and s.price_weight == 40.0


def test_scoring_rows_deep_inside_a_long_front_table_with_an_overall_score_row():
    # the 评标办法前附表 lists compliance rows first; its scoring part has its own header further down,
    # and the closing "综合评分得分 | 100" row is the total, not an item
    rows = "\n".join(f"| 1.{k} | 符合性条款{k} | 满足要求 | |" for k in range(8))
    s = primary(_schemes(f"""# 第三章 评标办法
| 条款号 | 评审因素 | 评审标准 | |
{rows}
| 2.2 | 评分因素 | 分值 | 评分标准 |
| 技术分(60分) | 系统功能 | 45 | 按响应程度 |
| ^ | 培训安排 | 15 | 按计划评分 |
| 商务分(40分) | 企业资质 | 10 | 按证书 |
| ^ | 报价 | 30 | 基准价法 |
| 综合评分得分 | | 100 | 两项相加 |
"""))
    assert s is not None and s.total == 100 and s.stated_total == 100
    assert s.price_weight == 30.0


def test_price_row_on_a_shifted_grid_and_a_bracketed_word_in_prose(tmp_path):
    # the last row's cells sit one column right: its name lands in the points column, the points beside it
    s = primary(_schemes("""# 第五章 评审办法
报价部分(满分35分):按最低价评审。
| 评审内容 | 评分因素 | 分值 | 评分标准 | |
| 商务部分(25分) | 公司资质 | 25 | 按证书 | |
| 技术(服务)部分(40分) | 实施方案 | 40 | 按方案 | |
| 报价部分 | | 报价得分 | 35分 | 最低价为基准 |
"""))
    assert s.total == 100 and s.price_weight == 35.0 and s.stated_total is None
    s = _schemes("# 评审办法\n本项目总分设置100分，其中商务部分25分、技术(服务)部分40分、报价部分35分。")[0]
    assert s.stated_total == 100 and s.total == 100 and s.price_weight == 35.0
    assert [i.name for i in s.items] == ["商务", "技术", "报价"]


def test_scheme_written_as_a_sum_and_step_formula_is_no_scheme():
    s = primary(_schemes("# 评标办法\n1.总得分[100分]=价格评分(报价)[55分]+综合评分(方案)[45分];\n"
                         "2.报价每高于基准价1%扣0.5分，每低于基准价1%扣0.25分。"))
    assert s is not None and s.stated_total == 100 and s.price_weight == 55.0
    assert _schemes("# 评标办法\n投标报价满分为50分：等于基准价得50分，每高于基准价1%的扣1分。") == []


def test_part_titled_commercial_that_is_all_price():
    # "(二)商务部分(45分)" holds nothing but the price score: its text gives the price the same 45 points
    s = primary(_schemes("""# 第六章 评标办法
## 二、详细评审
### (一)技术部分(55分)
按方案评分。
### (二)商务部分(45分)
商务专家打分。报价满分为45分，与基准价相同得满分。
"""))
    assert s is not None and s.price_weight == 45.0
    assert [i.group for i in s.items] == ["technical", "price"]


def test_weight_stated_in_brackets_after_each_part():
    s = primary(_schemes("# 评标办法\n| 分值构成 | (1)报价部分(占总分权重35%):35分(2)方案部分(占总分权重65%):65分 |"))
    assert s is not None and s.source == "weights" and s.price_weight == 35.0


def test_packed_score_list_wins_over_a_sub_scale_table():
    # the breakdown cell lost its line breaks; the detailed table ranks two 50-point items into the
    # 12-point technical score, so only the breakdown gives the price share
    s = primary(_schemes("""# 第三章 评标办法
| 条款号 | 内容 |
| 2.2.1 | 技术文件:12分报价文件:4分 |
评分细则
| 条款号 | 评审因素 | 分值 | 评审标准 |
| 1 | 方案陈述 | 50分 | 按陈述评分 |
| ^ | 施工部署 | 50分 | 按部署评分 |
| 2 | 投标报价 | 4分 | 按排名得分 |
"""))
    assert s is not None and s.total == 16 and s.price_weight == 25.0


def test_full_scale_scheme_wins_over_a_checklist_copy_missing_a_row():
    # a checklist placed before the scoring chapter repeats the scheme with a row lost; the chapter's
    # own table adds up to 100
    s = primary(_schemes("""# 第二章 须知前附表
## 评分索引表
| 评分项目 | 分值 | 页码 |
| 价格分 | 20 | |
| 技术方案 | 50 | |
| 售后服务 | 29 | |
# 第三章 评标办法
| 评分项目 | 分值 |
| 价格分 | 20 |
| 技术方案 | 50 |
| 售后服务 | 30 |
"""))
    assert s.total == 100 and s.price_weight == 20.0


def test_full_marks_awarded_to_one_item_is_not_the_tables_total():
    # "得满分70分" gives the price item its maximum; the table after it states no total of its own
    tables = [s for s in _schemes("""# 评标办法
价格分：报价等于评标基准价得满分70分。
| 评分项目 | 分值 |
| 财务状况 | 10 |
| 案例情况 | 20 |
""") if s.source == "table"]
    assert tables and all(t.stated_total is None for t in tables)
    stated = [s for s in _schemes("# 评标办法\n本项评审满分30分。\n| 评分项目 | 分值 |\n| 财务状况 | 10 |\n| 案例情况 | 20 |\n")
              if s.source == "table"]
    assert stated and stated[0].stated_total == 30
