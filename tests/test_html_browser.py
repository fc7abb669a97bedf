"""The HTML report in a real headless Chromium: marks visible, filters work, Chinese glyphs render."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from tests.docbuild import SAMPLE, make_docx

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("TENDER_CHECK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

EXTRA = [("h2", "三、其他要求"), ("p", "供应商应设有常设服务机构并提供驻场服务。")]
# The report is made with these rules only (--select TST), so what is marked does not change as the
# bundled rules grow: an error, a warning in another family, and an info mark right after the error
# (overlapping findings fold into one, see checker/overlap.py).
RULES = {
    "TST-ERR-001": ("error", "EXC", "注册资本不少于人民币1000万元"),
    "TST-WARN-001": ("warning", "NUM", "常设服务机构"),
    "TST-INFO-001": ("info", "EXC", "以营业执照为准"),
}


def _rule_yaml(rid: str, severity: str, family: str, term: str) -> str:
    return f"""\
id: {rid}
name: browser-test-{severity}
title: 浏览器测试规则（{severity}）
family: {family}
severity: {severity}
status: stable
basis: [{{law: 《测试依据》, article: 第一条}}]
description: 浏览器测试用的规则。
message: 测试发现
fix: 测试修改建议。
check: {{type: phrase, terms: ["{term}"]}}
examples:
  bad: [{{text: "甲{term}乙。", span: "{term}"}}]
  good: ["没有问题的句子。"]
"""


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python 包 playwright 未安装（pip install playwright）")
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"没有可用的 Chromium（{CHROMIUM}）")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
                                     args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("html")
    src = make_docx(tmp / "招标文件.docx", SAMPLE + EXTRA)
    (tmp / "rules").mkdir()
    for rid, (severity, family, term) in RULES.items():
        (tmp / "rules" / f"{rid}.yaml").write_text(_rule_yaml(rid, severity, family, term), encoding="utf-8")
    out = tmp / "report.html"
    res = CliRunner().invoke(main, ["scan", str(src), "--format", "html", "-o", str(out), "--fail-on", "never",
                                    "--rules", str(tmp / "rules"), "--select", "TST"])
    assert res.exit_code == 0, res.output
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    pg.goto(out.as_uri())
    yield pg
    pg.close()


def _bg(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).backgroundColor")


def _item(page, rule_id: str):
    return page.locator(f'.list[data-by="section"] li.fi:has(.rid:text-is("{rule_id}"))')


def _marks_text(page, fid: str) -> str:
    return "".join(page.locator(f'mark[data-f~="{fid}"]').all_inner_texts())


def test_every_finding_is_marked_visibly_in_place(page):
    items = page.locator('.list[data-by="section"] li.fi')
    assert items.count() == len(RULES)
    for rid, (_sev, _fam, term) in RULES.items():
        fid = _item(page, rid).get_attribute("data-f")
        assert _marks_text(page, fid) == term  # exactly the flagged words, overlaps included
        mark = page.locator(f'mark[data-f~="{fid}"]').first
        assert mark.is_visible()
        box = mark.bounding_box()
        assert box and box["width"] > 10 and box["height"] > 5
        assert _bg(mark) not in ("rgba(0, 0, 0, 0)", "transparent")
        assert page.locator(f'a.chip[data-f="{fid}"]').inner_text() == rid
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "html_report.png"), full_page=True)


def test_severity_filter_hides_and_shows_findings(page):
    button = page.locator('.flt[data-kind="sev"][data-key="error"]')
    err, info = _item(page, "TST-ERR-001"), _item(page, "TST-INFO-001")
    fid = err.get_attribute("data-f")
    only_error = page.locator(f'mark[data-f="{fid}"]')
    info_mark = page.locator(f'mark[data-f="{info.get_attribute("data-f")}"]')
    chip = page.locator(f'a.chip[data-f="{fid}"]')
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    assert err.is_hidden() and chip.is_hidden()
    assert _bg(only_error) == "rgba(0, 0, 0, 0)"   # no longer highlighted
    assert _bg(info_mark) != "rgba(0, 0, 0, 0)"    # the info finding stays highlighted
    assert info.is_visible() and _item(page, "TST-WARN-001").is_visible()
    assert page.locator(".shown").first.inner_text() == "2"
    button.click()
    assert err.is_visible() and chip.is_visible()
    assert _bg(only_error) != "rgba(0, 0, 0, 0)"


def test_family_filter_and_keyboard_navigation(page):
    fam = page.locator('.flt[data-kind="fam"][data-key="NUM"]')
    warn = _item(page, "TST-WARN-001")
    fam.click()
    assert warn.is_hidden() and _item(page, "TST-ERR-001").is_visible()
    fam.click()
    assert warn.is_visible()
    order = page.locator("span.anc").evaluate_all("els => els.map(e => e.dataset.f)")
    assert len(order) == len(RULES)
    page.keyboard.press("j")
    assert page.locator("li.fi.cur").first.get_attribute("data-f") == order[0]
    assert page.locator(f'mark.cur[data-f~="{order[0]}"]').count() >= 1
    page.keyboard.press("n")
    assert page.locator("li.fi.cur").first.get_attribute("data-f") == order[1]
    page.keyboard.press("k")
    assert page.locator("li.fi.cur").first.get_attribute("data-f") == order[0]
    # navigation skips what the filters hide
    page.locator('.flt[data-kind="sev"][data-key="info"]').click()
    page.keyboard.press("j")
    page.keyboard.press("j")
    current = page.locator("li.fi.cur").first.get_attribute("data-f")
    assert current == _item(page, "TST-WARN-001").get_attribute("data-f")
    page.locator('.flt[data-kind="sev"][data-key="info"]').click()


def test_chinese_text_renders_with_real_glyphs(page):
    # Draw two different characters in the report's font: with no CJK font both come out as the same
    # "tofu" box (or nothing), with one they differ and cover pixels.
    result = page.evaluate("""() => {
        const font = getComputedStyle(document.body).fontFamily;
        function draw(ch) {
            const c = document.createElement('canvas'); c.width = 64; c.height = 64;
            const g = c.getContext('2d'); g.fillStyle = '#fff'; g.fillRect(0, 0, 64, 64);
            g.fillStyle = '#000'; g.font = '48px ' + font; g.textBaseline = 'top'; g.fillText(ch, 8, 8);
            const d = g.getImageData(0, 0, 64, 64).data; let ink = 0; const bits = [];
            for (let i = 0; i < d.length; i += 4) { const on = d[i] < 128 ? 1 : 0; ink += on; bits.push(on); }
            return {ink, key: bits.join('')};
        }
        const a = draw('审'), b = draw('标');
        return {font, inkA: a.ink, inkB: b.ink, same: a.key === b.key};
    }""")
    assert "Noto Sans CJK SC" in result["font"]
    assert result["inkA"] > 50 and result["inkB"] > 50 and not result["same"]
    title = page.locator(".dochead h2").first
    assert title.inner_text() == "招标文件.docx"


def test_printing_shows_verdict_checklist_and_expanded_findings_not_the_text(page):
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    try:
        assert page.locator(".verdict").first.is_visible()
        assert page.locator("details.checklist").first.evaluate("d => d.open")
        assert all(d.evaluate("d => d.open") for d in page.locator('.list[data-by="section"] li.fi details').all())
        assert not page.locator("article.body").first.is_visible()
    finally:
        page.emulate_media(media="screen")
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")


def _html_report(src: Path, rules: Path, out: Path, *extra) -> None:
    res = CliRunner().invoke(main, ["scan", str(src), "--format", "html", "-o", str(out), "--fail-on", "never",
                                    "--rules", str(rules), "--select", "TST", "-j", "1", *map(str, extra)])
    assert res.exit_code == 0, res.output


def test_reviewer_marks_a_false_alarm_exports_it_and_a_renamed_copy_no_longer_lists_it(browser, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    for rid, (severity, family, term) in RULES.items():
        (rules / f"{rid}.yaml").write_text(_rule_yaml(rid, severity, family, term), encoding="utf-8")
    src = make_docx(tmp_path / "第一稿.docx", SAMPLE + EXTRA)
    first = tmp_path / "第一稿.html"
    _html_report(src, rules, first)
    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.goto(first.as_uri())
    assert all(li.get_attribute("data-fp") for li in pg.locator("li.fi").all())
    warn, err = _item(pg, "TST-WARN-001"), _item(pg, "TST-ERR-001")
    fp_warn = warn.get_attribute("data-fp")
    # the buttons are labelled for a screen reader and work from the keyboard
    group = warn.get_by_role("group", name="审查判断：TST-WARN-001")
    assert group.get_attribute("aria-label") == "审查判断：TST-WARN-001“常设服务机构”"
    group.get_by_role("button", name="误报").focus()
    pg.keyboard.press("Enter")
    assert warn.locator('.db[data-d="false_alarm"]').get_attribute("aria-pressed") == "true"
    twin = pg.locator(f'.list[data-by="family"] li.fi[data-fp="{fp_warn}"] .db[data-d="false_alarm"]')
    assert twin.get_attribute("aria-pressed") == "true"  # the same finding in the other list
    err.locator('.db[data-d="accepted"]').click()
    note = err.get_by_role("textbox", name="备注：TST-ERR-001")
    note.fill("改为资格")
    pg.keyboard.type("j")  # typing a note is not navigation
    assert note.input_value() == "改为资格j" and pg.locator("li.fi.cur").count() == 0
    note.fill("改为资格承诺")
    assert pg.locator(".dec-count").inner_text() == "2"
    pg.reload()  # kept in the browser
    warn, err = _item(pg, "TST-WARN-001"), _item(pg, "TST-ERR-001")
    assert warn.locator('.db[data-d="false_alarm"]').get_attribute("aria-pressed") == "true"
    assert err.get_by_role("textbox").input_value() == "改为资格承诺"
    with pg.expect_download() as dl:
        pg.get_by_role("button", name="导出判断").click()
    saved = tmp_path / "审查判断.json"
    dl.value.save_as(str(saved))
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["version"] == 1
    by_rule = {d["rule_id"]: d for d in data["decisions"]}
    assert set(by_rule) == {"TST-WARN-001", "TST-ERR-001"}
    assert by_rule["TST-WARN-001"]["decision"] == "false_alarm" and by_rule["TST-WARN-001"]["fingerprint"] == fp_warn
    assert by_rule["TST-WARN-001"]["excerpt"] == "常设服务机构"
    assert (by_rule["TST-ERR-001"]["decision"], by_rule["TST-ERR-001"]["note"]) == ("accepted", "改为资格承诺")

    # a renamed copy of the draft, somewhere else: the decisions still apply
    (tmp_path / "送审").mkdir()
    copy = tmp_path / "送审" / "第二稿（改名）.docx"
    shutil.copy(src, copy)
    second = tmp_path / "第二稿.html"
    _html_report(copy, rules, second, "--decisions", saved)
    pg.goto(second.as_uri())
    rids = pg.locator('.list[data-by="section"] li.fi .rid').all_inner_texts()
    assert sorted(rids) == ["TST-ERR-001", "TST-INFO-001"]
    assert pg.locator(f'li.fi[data-fp="{fp_warn}"]').count() == 0
    assert pg.locator(".hidden-fa").first.inner_text() == "另有 1 项已判定为误报，未列出"
    err = _item(pg, "TST-ERR-001")
    assert err.locator('.db[data-d="accepted"]').get_attribute("aria-pressed") == "true"
    assert err.get_by_role("textbox").input_value() == "改为资格承诺"
    # exporting again keeps the hidden false alarm, so the file can be carried to the next draft
    with pg.expect_download() as dl:
        pg.get_by_role("button", name="导出判断").click()
    again = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert {d["fingerprint"] for d in again["decisions"]} == {d["fingerprint"] for d in data["decisions"]}
    ctx.close()
