"""Message templates of rule files: `{name}` placeholders filled from a match's values.

A rule pack may come from anyone, so a template is data, not code: a placeholder is a bare name
(no attribute or index access, no conversion, no format spec), checked when the rule loads, and
rendering is a single linear substitution that never evaluates anything. `{{` and `}}` are literal braces.
"""
from __future__ import annotations

import re

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}$")
# A value longer than this is cut in a message: a captured span is a phrase, not a page.
MAX_VALUE_CHARS = 400


def template_problem(template: str) -> str | None:
    """Why a template cannot be used (in Chinese), or None when it is fine."""
    for m in _TOKEN.finditer(template):
        token = m.group()
        if token in ("{{", "}}"):
            continue
        name = m.group(1)
        if name is None:
            return f"第 {m.start() + 1} 个字符处的花括号不成对（字面花括号写作 {{{{ 或 }}}}）"
        if not _NAME.match(name):
            return (f"占位符 {token} 只能是一个名称（字母、数字、下划线），"
                    "不能取属性、下标或格式说明")
    return None


def placeholders(template: str) -> list[str]:
    return [m.group(1) for m in _TOKEN.finditer(template) if m.group(1)]


def render(template: str, values: dict) -> str:
    """Fill placeholders; an unknown name stays as written, a long value is cut."""
    def one(m: re.Match) -> str:
        token = m.group()
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = m.group(1)
        if name is None or name not in values:
            return token
        text = str(values[name])
        return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "…"

    return _TOKEN.sub(one, template)
