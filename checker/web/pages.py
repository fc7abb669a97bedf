"""The app's own pages (upload, results, history, comparison, errors) and the report page, all from
the HTML reporter's templates and Jinja environment (same CSS, autoescaping, control characters
made harmless)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .. import __version__
from ..compare import KIND_NOTE, KIND_ZH, KINDS
from ..decisions import DECISION_ZH
from ..model import Report
from ..reporters import SEVERITY_ZH
from ..reporters import html as html_report

APP_TITLE = "tender-check 审查工作台"


@dataclass(frozen=True)
class ReportWeb:
    """What the report page shows beyond the report: navigation, downloads, comparison, false alarms."""

    check: dict
    decisions_url: str
    downloads: tuple[tuple[str, str], ...]     # (label, url)
    compare_url: str = ""
    previous: dict | None = None
    false_alarms: tuple[dict, ...] = ()        # rule_id, excerpt, note, fingerprint
    carried: int = 0
    app_title: str = APP_TITLE


def verdict_class(text: str) -> str:
    """v-error / v-warning / v-ok for a verdict text (不通过… / 需修改… / 通过…)."""
    for prefix, key in (("不通过", "error"), ("需修改", "warning"), ("通过", "ok")):
        if (text or "").startswith(prefix):
            return key
    return ""


@lru_cache(maxsize=1)
def _env():
    env = html_report._env()
    env.filters["verdict_class"] = verdict_class
    env.globals.update(app_title=APP_TITLE, version=__version__, severity_zh=SEVERITY_ZH,
                       decision_zh=DECISION_ZH)
    return env


def _page(name: str, **values) -> str:
    text = _env().get_template(name).render(**values)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error_page(status: int, message: str) -> str:
    return _page("web_error.html.j2", title=f"出错了（{status}）", status=status, message=message)


def index_page(recent: list[dict], projects: list[dict], settings) -> str:
    mb = settings.max_upload_bytes / (1024 * 1024)
    return _page("web_index.html.j2", title="上传检查", recent=recent, projects=projects,
                 max_files=settings.max_upload_files, max_mb=f"{mb:g}")


def results_page(outcomes: list) -> str:
    return _page("web_results.html.j2", title="检查结果", outcomes=outcomes)


def history_page(checks: list[dict]) -> str:
    return _page("web_history.html.j2", title="历史记录", checks=checks)


def compare_page(old: dict, new: dict, comparison) -> str:
    groups = [(k, KIND_ZH[k], KIND_NOTE[k], comparison.of(k)) for k in KINDS]
    order = {"added": 0, "fixed": 1, "remaining": 2}
    groups.sort(key=lambda g: order[g[0]])
    return _page("web_compare.html.j2", title=f"两稿比较：{new['file_name']}", old=old, new=new,
                 groups=groups, counts=comparison.counts())


def report_page(loaded, engine, web: ReportWeb) -> str:
    return html_report.render(Report((loaded.decided,)), rules=engine.rules,
                              title=f"检查报告：{loaded.check['file_name']}", web=web)


def false_alarms(result) -> tuple[dict, ...]:
    return tuple({"rule_id": f.rule_id, "excerpt": f.excerpt, "note": f.note or "", "fingerprint": f.fingerprint,
                  "message": f.message, "where": f.location.describe()} for f in (result.hidden or ()))
