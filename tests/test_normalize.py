"""Normalisation keeps a map back to the document's own characters."""
from __future__ import annotations

from checker.normalize import chinese_to_int, normalize


def test_fullwidth_digits_and_punctuation_become_halfwidth():
    n = normalize("注册资本不低于１０００万元（含）；")
    assert n.text == "注册资本不低于1000万元(含);"


def test_chinese_numerals_before_counters_become_digits():
    assert normalize("近三年内完成十二个项目").text == "近3年内完成12个项目"
    assert normalize("第一章 统一要求").text == "第一章统一要求"


def test_spaces_between_cjk_are_dropped_but_latin_words_keep_one():
    n = normalize("投 标 人 须 提 供 LaserJet  Pro 10 %")
    assert n.text == "投标人须提供LaserJet Pro 10%"


def test_offsets_map_back_to_the_original_text():
    original = "供应商须在 本市 设有分公司，近三年业绩"
    n = normalize(original)
    start = n.text.index("本市设有")
    s, e = n.to_original(start, start + len("本市设有"))
    assert original[s:e] == "本市 设有"
    i = n.text.index("3年")
    s, e = n.to_original(i, i + 2)
    assert original[s:e] == "三年"


def test_chinese_to_int():
    assert chinese_to_int("二十") == 20
    assert chinese_to_int("一百零五") == 105
    assert chinese_to_int("二〇二五") == 2025
