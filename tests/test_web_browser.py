"""`tender-check serve` end to end in a real headless Chromium (the system one, no browser download):
upload a .docx, read the findings and verdict, mark a false alarm with a note, reload, download the
annotated copy, upload a changed draft and open the comparison. Screenshots go to tests/artifacts/."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.docbuild import SAMPLE, make_docx

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("TENDER_CHECK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python 包 playwright 未安装（pip install playwright）")
    pytest.importorskip("uvicorn")
    pytest.importorskip("starlette")
    exe = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not exe:
        pytest.skip(f"没有可用的 Chromium（{CHROMIUM}）")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def server(tmp_path):
    """`python -m checker serve` on a free port with its own data folder; stopped by its PID."""
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "checker", "serve", "--port", str(port), "--data",
                             str(tmp_path / "data")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                log.close()
                pytest.fail("服务未能启动：" + (tmp_path / "server.log").read_text(encoding="utf-8"))
            time.sleep(0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def _upload(page, url, path):
    page.goto(url + "/")
    page.set_input_files("#files", str(path))
    page.click("#start")
    row = page.locator("ol.progress li").last
    row.locator("a", has_text="查看报告").wait_for(timeout=60_000)
    return row


def test_review_in_the_browser(browser, server, tmp_path):
    import docx

    ARTIFACTS.mkdir(exist_ok=True)
    first = make_docx(tmp_path / "招标文件.docx", SAMPLE)
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    row = _upload(page, server, first)
    assert row.get_attribute("class") == "done"
    assert "审查结论：不通过" in row.inner_text()
    page.screenshot(path=str(ARTIFACTS / "web-upload.png"), full_page=True)

    row.locator("a", has_text="查看报告").click()
    page.wait_for_selector(".verdict")
    assert "不通过" in page.inner_text(".verdict")
    item = page.locator('.list[data-by="section"] li.fi[data-rule="EXC-SCALE-001"]')
    assert "注册资本不少于人民币1000万元" in item.inner_text()
    item.locator('button[data-d="false_alarm"]').click()
    page.wait_for_function("document.getElementById('dec-saved').textContent === '判断已保存'")
    item.locator(".dnote").fill("行业主管部门规定的资质条件，已核实")
    page.wait_for_function("document.getElementById('dec-saved').textContent === '判断已保存'")
    page.screenshot(path=str(ARTIFACTS / "web-report.png"))

    page.reload()
    page.wait_for_selector("#webpanel")
    assert page.locator('.list[data-by="section"] li.fi[data-rule="EXC-SCALE-001"]').count() == 0
    kept = page.inner_text("#webpanel details.fa")
    assert "已判定为误报的 1 项" in kept and "行业主管部门规定的资质条件，已核实" in kept
    assert "另有 1 项已判定为误报" in page.inner_text("section.doc")
    page.screenshot(path=str(ARTIFACTS / "web-report-reloaded.png"))

    with page.expect_download() as dl:
        page.click("a.dl:has-text('批注版 Word')")
    saved = tmp_path / "download.docx"
    dl.value.save_as(saved)
    assert dl.value.suggested_filename == "招标文件.批注.docx"
    comments = [c.text for c in docx.Document(str(saved)).comments]
    assert comments and not any("EXC-SCALE-001" in c for c in comments)

    changed = [p if "注册资本" not in str(p) else ("p", "投标人须在本市设有分支机构。") for p in SAMPLE]
    second = make_docx(tmp_path / "招标文件（修改稿）.docx", changed)
    row = _upload(page, server, second)
    row.locator("a", has_text="与上一稿比较").click()
    page.wait_for_selector(".counts-line")
    assert page.inner_text("#added").count("EXC-") >= 1
    assert "EXC-SCALE-001" in page.inner_text("#fixed")
    page.screenshot(path=str(ARTIFACTS / "web-compare.png"), full_page=True)

    page.goto(server + "/history")
    assert page.locator("table.list tbody tr").count() == 2
    page.screenshot(path=str(ARTIFACTS / "web-history.png"))
    assert not errors, errors
    page.close()
