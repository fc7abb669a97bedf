"""Takes the README's screenshots of `tender-check serve` with Playwright and the system Chromium (run by hand).

    python scripts/serve_screenshot.py [--chromium /usr/bin/chromium]

Starts the server on a free port with a temporary data folder, uploads a test draft, marks its first
finding 采纳 with a note and saves docs/serve-upload.png (the upload page after the check) and
docs/serve-report.png (the report page).
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.docbuild import SAMPLE, make_docx

    tmp = Path(tempfile.mkdtemp(prefix="serve-shot-"))
    draft = make_docx(tmp / "某单位办公设备采购招标文件.docx", SAMPLE + [
        ("h2", "三、商务要求"), ("p", "供应商须在本市设有常设服务机构，并提供原厂授权书。")])
    port = _port()
    proc = subprocess.Popen([sys.executable, "-m", "checker", "serve", "--port", str(port), "--data", str(tmp / "data")],
                            cwd=ROOT, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1360, "height": 1000}, locale="zh-CN")
            page.goto(url)
            page.set_input_files("#files", str(draft))
            page.click("#start")
            page.locator("ol.progress li.done a").first.wait_for()
            page.screenshot(path=str(ROOT / "docs" / "serve-upload.png"))
            page.locator("ol.progress li.done a").first.click()
            page.wait_for_selector("#webpanel")
            page.click("details.checklist summary")  # fold the checklist so the findings show
            item = page.locator('.list[data-by="section"] li.fi').first
            item.locator('button[data-d="accepted"]').click()
            item.locator(".dnote").fill("请改为与项目相适应的资质要求")
            page.wait_for_function("document.getElementById('dec-saved').textContent === '判断已保存'")
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(ROOT / "docs" / "serve-report.png"))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print("已写入 docs/serve-upload.png、docs/serve-report.png")


if __name__ == "__main__":
    main()
