"""JUnit XML for CI: a test suite per file, a test case per rule family, failures carrying the findings."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from . import SEVERITY_ZH


def _family(rule_id: str) -> str:
    return rule_id.split("-", 1)[0]


def _clean(text: str) -> str:
    # XML 1.0 cannot carry control characters or lone surrogates that broken documents contain
    return "".join(c for c in text if c in "\t\n\r" or (" " <= c and not "\ud800" <= c <= "\udfff"
                                                         and c not in "\ufffe\uffff"))


def render(report, rules=None, **_options) -> str:
    families = sorted({r.family for r in rules} if rules else set())
    root = ET.Element("testsuites", name="tender-check")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for r in report.files:
        suite = ET.SubElement(root, "testsuite", name=_clean(r.path))
        counts = {"tests": 0, "failures": 0, "errors": 0}
        if r.status != "ok":
            case = ET.SubElement(suite, "testcase", classname=_clean(r.path), name="读取文件")
            ET.SubElement(case, "error", message=_clean(r.error or ""), type="unreadable").text = _clean(r.error or "")
            counts["tests"] += 1
            counts["errors"] += 1
        else:
            by_family: dict[str, list] = {}
            for f in r.findings:
                by_family.setdefault(_family(f.rule_id), []).append(f)
            for family in sorted(set(families) | set(by_family)):
                case = ET.SubElement(suite, "testcase", classname=_clean(r.path), name=family)
                counts["tests"] += 1
                found = by_family.get(family)
                if not found:
                    continue
                counts["failures"] += 1
                body = "\n\n".join(
                    f"{f.rule_id} [{SEVERITY_ZH.get(f.severity, f.severity)}] {f.message}\n"
                    f"位置：{f.location.describe()}\n原文：{f.excerpt}\n修改：{f.fix}" for f in found)
                ET.SubElement(case, "failure", message=_clean(f"{family}：{len(found)} 项"),
                              type=family).text = _clean(body)
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
    for k, v in totals.items():
        root.set(k, str(v))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
