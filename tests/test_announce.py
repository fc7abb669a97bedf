"""The notice's publication day when no 公告发布日期 field names it: a glossed date, the signature date."""
from __future__ import annotations

from checker.facts import extract_facts
from checker.ingest.text import parse_text


def _facts(md: str):
    return extract_facts(parse_text(md, "<t>", "md"))


def test_signature_date_at_the_foot_of_the_notice_wins_over_the_issue_period():
    f = _facts("""# 第一章 招标公告
## 三、获取招标文件
获取时间：2025年3月10日至2025年3月14日。
## 六、联系方式
招标人：某某物流有限公司
2025年3月7日
# 第二章 投标人须知
签署日期：2025年4月1日
""")
    assert f.get("announce_date") == "2025-03-07"
    assert f.get("issue_start") == "2025-03-10"
    assert f.get("announce_date_from") == "signature"


def test_dated_line_under_an_invitation_title_without_chapters():
    f = _facts("投标邀请书\n日期：2025年8月1日\n项目编号：X-1\n获取文件时间：2025年8月2日至2025年8月8日\n")
    assert f.get("announce_date") == "2025-08-01"


def test_date_the_text_calls_the_publication_day():
    f = _facts("# 第二章 须知\n保函开具日期不得早于2024年9月3日(招标公告发布之日)。\n"
               "获取招标文件时间：2024年9月4日至2024年9月10日\n")
    assert f.get("announce_date") == "2024-09-03"


def test_field_still_wins_and_dates_outside_the_notice_do_not_count():
    f = _facts("# 第一章 采购公告\n公告发布日期：2025年5月6日\n2025年5月9日\n")
    assert f.get("announce_date") == "2025-05-06"
    f = _facts("# 第四章 合同\n2025年5月9日\n")
    assert f.get("announce_date") is None


def test_numbered_period_label_under_the_issue_heading():
    text = ("# 第一章 投标邀请\n## 3.获取招标文件的时间期限、地点、方式\n"
            "3.1获取时间期限：自2026年3月2日起至2026年3月9日00:00。\n"
            "## 4.投标截止时间\n4.1本项目投标截止时间为2026年3月23日09:00。\n")
    f = extract_facts(parse_text(text, "<t>", "md"))
    assert f.get("issue_start") == "2026-03-02" and f.get("issue_end") == "2026-03-09"
