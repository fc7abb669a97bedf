"""A broken rule file is reported with its path and the offending key."""
from __future__ import annotations

import textwrap

import pytest

from checker.errors import RuleFileError
from checker.rules import load_rules, select_rules

GOOD = textwrap.dedent("""
    id: TEST-X-001
    name: test-rule
    title: 测试规则
    severity: warning
    status: preview
    basis: [{law: 《测试法》, article: 第一条}]
    description: 说明
    message: 发现{term}
    fix: 修改
    check: {type: phrase, terms: [禁用词]}
    examples:
      bad: [{text: 这里有禁用词。, span: 禁用词}]
      good: [这里没有。]
""")


def write(tmp_path, text, name="TEST-X-001.yaml"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_loader_accepts_a_valid_rule(tmp_path):
    rules = load_rules([write(tmp_path, GOOD)])
    assert [r.id for r in rules] == ["TEST-X-001"]
    assert rules[0].group == "TEST-X"


@pytest.mark.parametrize("old,new,key", [
    ("fix: 修改\n", "fix: 修改\nfixx: 多余\n", "fixx"),
    ("severity: warning", "severity: fatal", "severity"),
    ("{type: phrase, terms: [禁用词]}", "{type: phrasee, terms: [禁用词]}", "check.type"),
    ("{type: phrase, terms: [禁用词]}", "{type: regex, patterns: ['(']}", "check.patterns[0]"),
    ("span: 禁用词", "span: 不存在", "examples.bad[0].span"),
])
def test_loader_names_file_and_key(tmp_path, old, new, key):
    write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(RuleFileError) as err:
        load_rules([tmp_path])
    assert err.value.key.startswith(key)
    assert "TEST-X-001.yaml" in str(err.value)


def test_unknown_key_suggests_the_close_one(tmp_path):
    write(tmp_path, GOOD.replace("fix: 修改\n", "fixx: 修改\n"))
    with pytest.raises(RuleFileError) as err:
        load_rules([tmp_path])
    assert "fix" in str(err.value)


def test_select_and_ignore_by_prefix(rules):
    ids = {r.id for r in select_rules(rules, ["EXC"], ["EXC-BRAND"])}
    assert "EXC-SCALE-001" in ids and "EXC-BRAND-001" not in ids
    assert all(i.startswith("EXC-") for i in ids)
