"""A local rule pack is untrusted input: it fails at load with the file and key named, never at scan time,
never by evaluating anything, and never by hanging the scan (issue 17, defects 7 and 9)."""
from __future__ import annotations

import copy
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from checker.api import Options, build_engine
from checker.engine import render_message
from checker.errors import RuleFileError
from checker.regex_safety import backtracking_risk
from checker.rules import default_rule_dirs, iter_rule_files, load_rules, parse_rule
from checker.template import template_problem

RULE = textwrap.dedent("""
    id: {rid}
    name: local-rule
    title: 本地规则
    severity: warning
    status: preview
    basis: [{{law: 《测试法》, article: 第一条}}]
    description: 说明
    message: {message}
    fix: 修改
    check: {check}
    examples:
      bad: [{{text: 这里有禁用词。, span: 禁用词}}]
      good: [这里没有。]
""")


def pack(folder: Path, rid="LOCAL-X-001", message="发现{found}", check="{type: phrase, terms: [禁用词]}") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{rid}.yaml").write_text(RULE.format(rid=rid, message=message, check=check), encoding="utf-8")
    return folder


def load_error(folder: Path) -> RuleFileError:
    with pytest.raises(RuleFileError) as err:
        load_rules([folder])
    return err.value


@pytest.mark.parametrize("message", ["'{x.__class__}'", "'{x.__class__.__mro__}'", "'{x:>300000000}'",
                                     "'{x[0]}'", "'{x!r}'", "'发现{'", "'发现}'"])
def test_a_placeholder_is_a_bare_name(tmp_path, message):
    err = load_error(pack(tmp_path, message=message))
    assert err.key == "message" and "LOCAL-X-001.yaml" in str(err)


def test_rendering_never_evaluates_and_cuts_long_values():
    assert template_problem("发现{found}，见{{附件}}") is None
    assert render_message("发现{found}，见{{附件}}，{unknown}", {"found": "品牌"}) == "发现品牌，见{附件}，{unknown}"
    assert len(render_message("{found}", {"found": "甲" * 10_000})) < 500


def test_check_type_must_be_a_name(tmp_path):
    err = load_error(pack(tmp_path, check="{type: [regex]}"))
    assert err.key == "check.type"


def test_like_references_itself_or_a_cycle(tmp_path):
    err = load_error(pack(tmp_path, check="{type: like, rules: [LOCAL-X-001]}"))
    assert "循环" in err.problem
    pack(tmp_path, rid="LOCAL-X-002", check="{type: like, rules: [LOCAL-X-001]}")
    pack(tmp_path, rid="LOCAL-X-001", check="{type: like, rules: [LOCAL-X-002]}")
    assert "LOCAL-X-001 → LOCAL-X-002 → LOCAL-X-001" in load_error(tmp_path).problem


def test_like_looks_only_among_loaded_rules(tmp_path):
    # a stale, broken file with the referenced ID two levels up must not be read
    (tmp_path / "LOCAL-OLD-001.yaml").write_text("id: [broken", encoding="utf-8")
    folder = pack(tmp_path / "a" / "pack", check="{type: like, rules: [LOCAL-OLD-001]}")
    err = load_error(folder)
    assert "找不到" in err.problem and "LOCAL-OLD-001" in err.problem


def test_a_local_like_rule_borrows_a_bundled_rule(tmp_path):
    folder = pack(tmp_path, check="{type: like, rules: [EXC-BRAND-001]}")
    engine = build_engine(Options(extra_rule_dirs=[folder]))
    local = [r for r in engine.rules if r.id == "LOCAL-X-001"]
    assert [r.id for r in local[0].check.rules] == ["EXC-BRAND-001"]


@pytest.mark.parametrize("pattern", ["(禁+)+$", "(?:\\s*\\w+)+$", "(\\d+,?)*", "(?:a{1,3})+", "(x|y+)+",
                                     "(禁|禁)*$", "(a|aa)+$", "(?:x|)+y"])
def test_patterns_that_backtrack_exponentially_are_refused(tmp_path, pattern):
    err = load_error(pack(tmp_path, check=f"{{type: regex, patterns: ['{pattern}']}}"))
    assert err.key == "check.patterns[0]" and "嵌套" in err.problem


def test_a_where_pattern_is_checked_too(tmp_path):
    check = "{type: regex, patterns: ['(?P<w>禁用词)'], where: {w: {regex: '(a+)+$'}}}"
    assert load_error(pack(tmp_path, check=check)).key == "check.where.w.regex"


@pytest.mark.parametrize("pattern", ["(?:\\d+,)+", "[一-龥]{2,20}(?:[，、][一-龥]{2,20})*", "a+b+", "(?:ab)+",
                                     "(?:万元|元)+", "(?:[A-Z]|\\d)+", "(?:[，、](?:品牌|型号))*"])
def test_ordinary_repeats_still_load(pattern):
    assert not backtracking_risk(pattern)


def test_bundled_rules_pass_the_pack_checks():
    rules = load_rules()
    assert rules and all(template_problem(r.message) is None for r in rules)


def test_a_gbk_rule_file_is_a_clear_error(tmp_path):
    (tmp_path / "LOCAL-X-001.yaml").write_bytes(RULE.format(rid="LOCAL-X-001", message="发现", check="{type: phrase, "
                                                            "terms: [禁用词]}").encode("gbk"))
    err = load_error(tmp_path)
    assert "UTF-8" in err.problem


SHAPES = [[[1]], {"x": 1}, 1, None, "", [], True, float("inf"), "{x.__class__}", [{"a": [1]}], "(", -1]


def _paths(node, prefix=()):
    yield prefix
    children = node.items() if isinstance(node, dict) else enumerate(node[:3]) if isinstance(node, list) else ()
    for key, value in children:
        yield from _paths(value, prefix + (key,))


def _one_file_per_check_type() -> list[Path]:
    chosen: dict[str, Path] = {}
    for f in iter_rule_files(default_rule_dirs()):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        chosen.setdefault(str(data["check"].get("type")), f)
    return list(chosen.values())


def _runs_on_its_examples(rule, original: dict, bundled) -> int:
    """An accepted variant runs on the original rule's bad examples without raising (a value that only
    failed at scan time, like a list as a threshold limit, broke every document)."""
    from checker.api import scan_text
    from checker.engine import Engine
    from checker.rules import resolve_likes

    try:
        rules = resolve_likes([rule], base=bundled)
    except RuleFileError:
        return 0
    texts = [e["text"] if isinstance(e, dict) else e for e in original.get("examples", {}).get("bad", [])]
    scan_text("\n".join(texts[:2]) or "# 资格要求\n投标人须具有本地分公司。", engine=Engine(rules))
    return 1


def test_malformed_shapes_anywhere_in_a_rule_are_rule_file_errors():
    """Every value of one rule per check type replaced by each wrong shape: the loader either accepts the
    rule or raises RuleFileError, never another exception (defect 7: 60 shapes gave tracebacks); a rule
    it accepts then runs without raising."""
    tried = ran = 0
    bundled = load_rules()
    for f in _one_file_per_check_type():
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        for path in _paths(data):
            if not path:
                continue
            for shape in SHAPES:
                variant = copy.deepcopy(data)
                node = variant
                for key in path[:-1]:
                    node = node[key]
                node[path[-1]] = shape
                tried += 1
                try:
                    rule = parse_rule(str(f), variant)
                except RuleFileError:
                    continue
                ran += _runs_on_its_examples(rule, data, bundled)
    assert tried > 3000 and ran > 1000


def test_cli_reports_a_broken_pack_in_one_line_with_exit_2(tmp_path):
    folder = pack(tmp_path / "pack", check="{type: like, rules: [LOCAL-X-001]}")
    doc = tmp_path / "a.txt"
    doc.write_text("本项目须使用禁用词。", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "checker", "scan", str(doc), "--rules", str(folder)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert "LOCAL-X-001.yaml" in run.stderr


def test_a_timeout_inside_a_rule_names_the_rule(tmp_path):
    """A pattern that passes the load checks can still be slow (here polynomial: six .* in a row on a
    long paragraph); the time limit then says which rule was running instead of blaming the document."""
    from click.testing import CliRunner

    from checker.cli import main
    folder = pack(tmp_path / "pack", check="{type: regex, patterns: ['禁.*.*.*.*.*.*止']}")
    doc = tmp_path / "a.txt"
    doc.write_text("# 资格要求\n禁" + "投标" * 3000 + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["scan", str(doc), "--rules", str(folder), "--timeout", "3",
                                    "--format", "json"])
    assert "处理超时" in res.output and "LOCAL-X-001" in res.output
