"""Checkbox options: clauses under an unticked option are not the document's text (checker/options.py)."""
from __future__ import annotations

from checker.api import build_engine, scan_text
from checker.ingest.text import parse_text
from checker.options import unselected_blocks

OPTIONS = """# 初步筛查
□对于装饰类项目
按签号顺序随机抽取15家投标人进入详细评审。
☑对于园林类项目
全部通过初步评审的投标人进入详细评审。
"""


def test_unticked_option_and_its_clauses_are_unselected():
    doc = parse_text(OPTIONS, "<t>", "md")
    texts = [doc.blocks[i].norm for i in sorted(unselected_blocks(doc))]
    assert len(texts) == 2 and texts[0].startswith("□") and "随机抽取" in texts[1]


def test_a_blank_form_with_no_box_ticked_is_checked_whole():
    doc = parse_text(OPTIONS.replace("☑", "□"), "<t>", "md")
    assert unselected_blocks(doc) == frozenset()


def test_random_selection_under_the_unticked_option_is_silent():
    engine = build_engine()
    assert "EXC-RANDOM-001" not in [f.rule_id for f in scan_text(OPTIONS, engine=engine)]
    ticked = OPTIONS.replace("□对于装饰", "☑对于装饰").replace("☑对于园林", "□对于园林")
    assert "EXC-RANDOM-001" in [f.rule_id for f in scan_text(ticked, engine=engine)]
