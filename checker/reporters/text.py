"""Terminal output: full findings with the excerpt underlined (CJK-width aware), or concise lines."""
from __future__ import annotations

import re
import unicodedata

from ..regime import LABELS
from ..textsafe import printable
from . import SEVERITY_ZH

# Characters from a document or a file name that could drive the terminal (escape sequences, C1
# controls), reorder what it shows (bidi overrides) or fail to encode (lone surrogates): each is
# shown as U+FFFD, one for one, so excerpt offsets still line up.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def safe(s) -> str:
    s = "" if s is None else str(s)
    return _UNSAFE.sub("\ufffd", s) if _UNSAFE.search(s) else s

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def _cols(c: str) -> int:
    if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
        return 0  # combining marks and zero-width characters sit on the character before
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def width(s: str) -> int:
    """Terminal columns: East Asian wide and full-width characters take two, combining marks none."""
    return sum(_cols(c) for c in s)


def _clip(context: str, start: int, end: int, room: int = 40) -> tuple[str, int, int]:
    """Cut a long block to about ``room`` terminal columns either side of the excerpt (counted in
    columns, so a Chinese line fits an 80-column terminal without wrapping under the carets),
    keeping excerpt offsets."""
    # one line, and no tab: a terminal would widen it to the next tab stop and push the carets off
    context = context.replace("\n", " ").replace("\r", " ").replace("\t", " ")
    lo, used = start, 0
    while lo > 0 and used + _cols(context[lo - 1]) <= room:
        lo -= 1
        used += _cols(context[lo])
    hi, used = end, 0
    while hi < len(context) and used + _cols(context[hi]) <= room:
        used += _cols(context[hi])
        hi += 1
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(context) else ""
    return prefix + context[lo:hi] + suffix, start - lo + len(prefix), end - lo + len(prefix)


def _c(code: str, s: str, color: bool) -> str:
    return f"{code}{s}{_RESET}" if color else s


def location_text(loc) -> str:
    """A finding's location as every text output shows it: 第一章 › 小节 · 第N段 / 表N 第R行第C列 / 第N页."""
    return safe(loc.describe())


def wrap(line: str, limit: int | None, indent: str = "      ") -> str:
    """Break a long line at the terminal width (CJK characters count two columns); continuation lines
    are indented. ``limit`` None: leave the line whole (output to a file or a pipe)."""
    if not limit or _visible(line) <= limit:
        return line
    out, cur, used = [], "", 0
    for m in _TOKEN.finditer(line):  # a colour code is one token of no width
        ch = m.group()
        w = _visible(ch)
        if w and used + w > limit:
            out.append(cur)
            cur, used = indent, width(indent)
        cur += ch
        used += w
    out.append(cur)
    return "\n".join(out)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_TOKEN = re.compile(r"\x1b\[[0-9;]*m|.", re.S)


def _visible(s: str) -> int:
    """Columns on screen: colour codes take none."""
    return width(_ANSI.sub("", s))


def terminal_width() -> int | None:
    """The terminal's width when writing to one, else None (files and pipes keep whole lines)."""
    import shutil
    import sys

    return max(60, shutil.get_terminal_size((100, 24)).columns) if sys.stdout.isatty() else None


def render_finding(f, color: bool = False, limit: int | None = None) -> str:
    sev = SEVERITY_ZH.get(f.severity, f.severity)
    preview = "（预览）" if f.status == "preview" else ""
    lines = [f"  {_c(_BOLD, f.rule_id, color)} {_c(_COLORS.get(f.severity, ''), '[' + sev + ']', color)}{preview} {safe(f.message)}"]
    lines.append(f"    位置：{location_text(f.location)}")
    if f.context:
        ctx, s, e = _clip(safe(f.context), f.location.start, f.location.end)
        lines.append(f"    │ {ctx}")
        caret = "^" * max(1, width(ctx[s:e]))
        lines.append(f"    │ {' ' * width(ctx[:s])}{_c(_COLORS.get(f.severity, ''), caret, color)}")
    if f.basis:
        regime = f"（按{LABELS[f.regime]}）" if f.regime in LABELS else ""
        lines.append(f"    依据{regime}：" + "；".join(str(b) for b in f.basis))
    if f.also:
        lines.append("    同一条款亦触发：" + "、".join(f.also))
    lines.append(f"    修改：{safe(f.fix)}")
    if f.decision:
        lines.append(f"    判断：{decision_text(f)}")
    # the excerpt lines (│) keep their caret alignment; the others wrap
    return "\n".join(ln if ln.startswith("    │") else wrap(ln, limit) for ln in lines)


def decision_text(f) -> str:
    """The reviewer's decision in words, with the note: 采纳（备注：…）."""
    from ..decisions import DECISION_ZH

    label = DECISION_ZH.get(f.decision, f.decision or "")
    return f"{label}（备注：{safe(f.note)}）" if f.note else label


def hidden_text(n: int) -> str:
    return f"另有 {n} 项已判定为误报，未列出"


def _checklist_lines(r) -> list[str]:
    """The verdict and the checklist counts; items to check by hand and items with findings are named."""
    if not r.checklist:
        return []
    from ..checklist import FOUND, MANUAL, shown, summary

    states = shown(r.checklist_states(), mof=False)
    counts = summary(tuple(states))
    lines = [f"  审查结论：{r.verdict()['text']}",
             "  核查表：" + "，".join(f"{k} {v} 项" for k, v in counts.items())]
    for s in states:
        if s.status in (FOUND, MANUAL):
            lines.append(f"    [{s.status}] {s.item.id} {s.item.title}{'：' + s.reason if s.reason else ''}")
    return lines


def render(report, color: bool = False, concise: bool = False, **_options) -> str:
    out: list[str] = []
    limit = terminal_width()
    for r in report.files:
        path = printable(r.path)  # one line whatever the name holds: concise output cannot be forged
        if concise:
            if r.status == "error":
                out.append(f"{path}: 错误: {printable(r.error)}")
            for f in r.findings:
                loc = f.location
                where = f"p{loc.page}" if loc.page else f"b{loc.block + 1}"
                judged = f"（{decision_text(f)}）" if f.decision else ""
                out.append(f"{path}:{where}:{loc.start + 1}: {f.rule_id} [{SEVERITY_ZH.get(f.severity)}] "
                           f"{printable(f.message)}{judged}")
            continue
        header = _c(_BOLD, path, color)
        if r.status == "error":
            out.append(f"{header}\n  {_c(_COLORS['error'], '无法读取', color)}：{safe(r.error)}\n")
            continue
        if not r.findings:
            out.append(f"{header}\n  未发现问题")
        else:
            out.append(f"{header}（{len(r.findings)} 项）")
        for f in r.findings:
            out.append(render_finding(f, color, limit))
            out.append("")
        if r.hidden:
            out.append(f"  {hidden_text(len(r.hidden))}")
        out.extend(_checklist_lines(r))
        out.append("")
    s = report.summary()
    sev = s["by_severity"]
    out.append(f"共检查 {s['files']} 个文件（{s['files_error']} 个无法读取），发现 {s['findings']} 项："
               f"错误 {sev.get('error', 0)}，警告 {sev.get('warning', 0)}，提示 {sev.get('info', 0)}"
               + (f"；{hidden_text(s['hidden_false_alarms'])}" if s.get("hidden_false_alarms") else ""))
    return "\n".join(out) + "\n"
