"""The HTML report in a real headless Chromium: marks visible, filters work, Chinese glyphs render."""
from __future__ import annotations

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
# a warning-level rule of our own, so the filters have two severities and two families whatever the
# bundled rules' severities are
WARN_RULE = """\
id: TST-NOTE-001
name: test-warning
title: 测试用提示规则
severity: warning
status: stable
basis: [{law: 《测试依据》, article: 第一条}]
description: 浏览器测试用的规则。
message: 测试发现“{span}”
fix: 测试修改建议。
check: {type: phrase, terms: [常设服务机构]}
examples:
  bad: [{text: "供应商应设有常设服务机构。", span: 常设服务机构}]
  good: ["供应商应提供驻场服务。"]
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python 包 playwright 未安装（pip install playwright）")
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"没有可用的 Chromium（{CHROMIUM}）")
    tmp = tmp_path_factory.mktemp("html")
    src = make_docx(tmp / "招标文件.docx", SAMPLE + EXTRA)
    (tmp / "rules").mkdir()
    (tmp / "rules" / "TST-NOTE-001.yaml").write_text(WARN_RULE, encoding="utf-8")
    out = tmp / "report.html"
    res = CliRunner().invoke(main, ["scan", str(src), "--format", "html", "-o", str(out), "--fail-on", "never",
                                    "--rules", str(tmp / "rules")])
    assert res.exit_code == 0, res.output
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
                                     args=ARGS)
        pg = browser.new_page(viewport={"width": 1280, "height": 900})
        pg.goto(out.as_uri())
        yield pg
        browser.close()


def _bg(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).backgroundColor")


def test_every_finding_is_marked_visibly_in_place(page):
    items = page.locator('.list[data-by="section"] li.fi')
    assert items.count() >= 3
    for fid in items.evaluate_all("els => els.map(e => e.dataset.f)"):
        mark = page.locator(f'mark[data-f~="{fid}"]').first
        assert mark.is_visible()
        box = mark.bounding_box()
        assert box and box["width"] > 10 and box["height"] > 5
        assert _bg(mark) not in ("rgba(0, 0, 0, 0)", "transparent")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "html_report.png"), full_page=True)


def test_severity_filter_hides_and_shows_findings(page):
    button = page.locator('.flt[data-kind="sev"][data-key="error"]')
    error_item = page.locator('.list[data-by="section"] li.fi[data-sev="error"]').first
    fid = error_item.get_attribute("data-f")
    mark = page.locator(f'mark[data-f="{fid}"]').first
    chip = page.locator(f'a.chip[data-f="{fid}"]')
    others = page.locator('.list[data-by="section"] li.fi:not([data-sev="error"])')
    assert others.count() >= 1
    button.click()
    assert error_item.is_hidden() and chip.is_hidden()
    assert _bg(mark) == "rgba(0, 0, 0, 0)"  # the passage is no longer highlighted
    assert others.first.is_visible()
    button.click()
    assert error_item.is_visible() and chip.is_visible()
    assert _bg(mark) != "rgba(0, 0, 0, 0)"


def test_family_filter_and_keyboard_navigation(page):
    fam = page.locator('.flt[data-kind="fam"]').first
    key = fam.get_attribute("data-key")
    fam.click()
    hidden = page.locator(f'.list[data-by="section"] li.fi[data-fam="{key}"]')
    assert hidden.count() >= 1 and all(not hidden.nth(i).is_visible() for i in range(hidden.count()))
    fam.click()
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    first = page.locator("span.anc").first.get_attribute("data-f")
    assert page.locator(f'mark.cur[data-f~="{first}"]').count() >= 1
    page.keyboard.press("j")
    second = page.locator("span.anc").nth(1).get_attribute("data-f")
    assert page.locator(f'li.fi.cur[data-f="{second}"]').count() >= 1
    page.keyboard.press("k")
    assert page.locator(f'mark.cur[data-f~="{first}"]').count() >= 1


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
