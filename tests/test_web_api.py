"""The web app through Starlette's TestClient: uploads (good, refused, corrupt, many), the report,
filters, downloads, history, escaping and error pages."""
from __future__ import annotations

import io
import json
import tempfile

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")

from checker.api import build_engine, scan_file  # noqa: E402
from tests.docbuild import SAMPLE  # noqa: E402
from tests.webapp import client, docx_bytes, only, upload  # noqa: E402




@pytest.fixture
def web(tmp_path, web_checker):
    return client(tmp_path, web_checker)


def test_index_is_self_contained_chinese_page(web):
    r = web.get("/")
    assert r.status_code == 200
    assert "上传招标/采购文件" in r.text and "开始检查" in r.text
    # no resource from the network: no external script, style sheet, font or image
    for needle in ("http://", "https://", "//cdn", "<link"):
        assert needle not in r.text.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_upload_checks_and_report_lists_everything(web, tmp_path):
    res = only(upload(web, ("招标文件.docx", docx_bytes(tmp_path))))
    assert res["ok"] and res["verdict"].startswith("不通过")
    assert res["counts"]["error"] >= 1
    page = web.get(res["report"])
    assert page.status_code == 200
    text = page.text
    # rule ID, severity, message, fix, legal basis, quoted passage and location of the finding
    assert "EXC-SCALE-001" in text and "[错误]" in text
    assert "注册资本不少于人民币1000万元" in text
    assert "修改：" in text and "依据" in text and "第二章 投标人须知 › 二、资格要求" in text
    assert 'data-decisions-url="/api/checks/' in text
    assert "批注版 Word" in text and "审查意见书" in text


def test_findings_api_filters_by_severity_and_rule(web, tmp_path):
    cid = only(upload(web, ("a.docx", docx_bytes(tmp_path))))["check_id"]
    every = web.get(f"/api/checks/{cid}/findings").json()["findings"]
    assert {f["rule_id"] for f in every} >= {"EXC-SCALE-001"}
    one = web.get(f"/api/checks/{cid}/findings", params={"rule": "EXC-SCALE-001"}).json()["findings"]
    assert [f["rule_id"] for f in one] == ["EXC-SCALE-001"]
    assert one[0]["excerpt"] == "注册资本不少于人民币1000万元" and one[0]["where"].endswith("第6段")
    assert one[0]["fix"] and one[0]["basis"] and one[0]["message"]
    info = web.get(f"/api/checks/{cid}/findings", params={"severity": "info"}).json()["findings"]
    assert all(f["severity"] == "info" for f in info)
    assert len(info) == sum(1 for f in every if f["severity"] == "info")
    family = web.get(f"/api/checks/{cid}/findings", params={"rule": "EXC"}).json()["findings"]
    assert family and all(f["rule_id"].startswith("EXC-") for f in family)


def test_wrong_type_is_refused_with_its_name_and_the_rest_is_checked(web, tmp_path):
    r = upload(web, ("说明.exe", b"MZ\x90\x00"), ("招标文件.docx", docx_bytes(tmp_path)), ("无扩展名", b"abc"))
    assert r.status_code == 200
    bad, good, noext = r.json()["results"]
    assert not bad["ok"] and bad["error"].startswith("说明.exe：不支持“.exe”文件")
    assert good["ok"] and good["check_id"]
    assert not noext["ok"] and "无扩展名的文件" in noext["error"]


def test_empty_file_and_empty_request(web):
    res = only(upload(web, ("空.docx", b"")))
    assert res == {"name": "空.docx", "ok": False, "error": "空.docx：是空文件（0 字节）"}
    r = web.post("/api/checks", files=[("other", ("x.txt", io.BytesIO(b"x")))])
    assert r.status_code == 400 and r.json() == {"error": "没有收到文件：请选择要检查的文件"}
    r = web.post("/api/checks", data={"a": "b"})
    assert r.status_code == 400 and "multipart/form-data" in r.json()["error"]


def test_corrupt_file_gets_the_same_one_line_error_as_the_cli(web, tmp_path):
    bad = tmp_path / "损坏.docx"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    expected = scan_file(str(bad), build_engine()).error
    res = only(upload(web, ("损坏.docx", bad.read_bytes())))
    assert res == {"name": "损坏.docx", "ok": False, "error": f"损坏.docx：{expected}"}
    assert "\n" not in res["error"] and "Traceback" not in res["error"]


def test_too_large_file_and_too_large_body(tmp_path, web_checker):
    small = client(tmp_path, web_checker, max_upload_bytes=2000, max_upload_files=3)
    res = only(upload(small, ("大.txt", "资格要求。".encode() * 400)))
    assert not res["ok"] and res["error"] == f"大.txt：文件超过 {2000 / 1024 / 1024:g} MB 的上限"
    ok = only(upload(small, ("小.txt", "# 资格要求\n投标人注册资本不少于500万元。".encode())))
    assert ok["ok"]
    # a body beyond every file at its limit is refused before it is read
    r = upload(small, ("巨大.txt", b"x" * (3 * 2000 + 1024 * 1024 + 10)))
    assert r.status_code == 413 and r.json()["error"].startswith("上传内容过大：每次最多 3 个文件")


def test_many_files_at_once(tmp_path, web_checker):
    web = client(tmp_path, web_checker, max_upload_files=3)
    files = [(f"第{i}稿.docx", docx_bytes(tmp_path, SAMPLE + [("p", f"附注 {i}")], f"d{i}.docx")) for i in range(3)]
    r = upload(web, *files)
    assert r.status_code == 200
    results = r.json()["results"]
    assert [x["name"] for x in results] == ["第0稿.docx", "第1稿.docx", "第2稿.docx"]
    assert all(x["ok"] for x in results)
    r = upload(web, *(files + [("第3稿.docx", files[0][1])]))
    assert r.status_code == 413 and r.json() == {"error": "一次最多上传 3 个文件（收到 4 个）"}


def test_path_in_file_name_is_never_used(web, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    data = docx_bytes(tmp_path)
    r = upload(web, ("../../../../tmp/evil.docx", data), ("C:\\Users\\x\\..\\机密.docx", data))
    names = [x["name"] for x in r.json()["results"]]
    assert names == ["evil.docx", "机密.docx"]
    assert all(x["ok"] for x in r.json()["results"])
    assert list((tmp_path / "tmp").iterdir()) == []  # the private upload folder is gone
    assert not (tmp_path / "evil.docx").exists()
    page = web.get(r.json()["results"][1]["report"]).text
    assert "Users" not in page and "tender-check-upload" not in page


def test_keep_leaves_the_upload_folder(tmp_path, web_checker, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    web = client(tmp_path, web_checker, keep_uploads=True)
    assert only(upload(web, ("a.docx", docx_bytes(tmp_path))))["ok"]
    kept = list((tmp_path / "tmp").iterdir())
    assert len(kept) == 1 and [p.name for p in kept[0].iterdir()] == ["000.docx"]


def test_document_text_and_file_name_are_escaped(web, tmp_path):
    parts = SAMPLE + [("p", "<script>alert('x')</script> 投标人注册资本不少于人民币2000万元。")]
    res = only(upload(web, ('<img src=x onerror="alert(1)">.docx', docx_bytes(tmp_path, parts))))
    assert res["ok"]
    for url in (res["report"], "/history", "/"):
        text = web.get(url).text
        assert "<script>alert(" not in text and '<img src=x' not in text
    assert "&lt;img src=x onerror=" in web.get("/history").text
    assert "&lt;script&gt;alert(" in web.get(res["report"]).text


def test_downloads_follow_the_decisions(web, tmp_path):
    import docx
    import openpyxl

    res = only(upload(web, ("招标文件.docx", docx_bytes(tmp_path))))
    cid = res["check_id"]
    findings = web.get(f"/api/checks/{cid}/findings").json()["findings"]
    target = next(f for f in findings if f["rule_id"] == "EXC-SCALE-001")
    r = web.post(f"/api/checks/{cid}/decisions",
                 json={"fingerprint": target["fingerprint"], "decision": "false_alarm", "note": "注册资本为行业许可条件"})
    assert r.status_code == 200
    got = {}
    for kind in ("annotated", "opinion", "xlsx", "json"):
        r = web.get(f"/checks/{cid}/download/{kind}")
        assert r.status_code == 200, r.text
        assert "filename*=UTF-8''" in r.headers["content-disposition"]
        got[kind] = r.content
    annotated = docx.Document(io.BytesIO(got["annotated"]))
    comments = [c.text for c in annotated.comments]
    assert len(comments) == len(findings) - 1 and not any("EXC-SCALE-001" in c for c in comments)
    assert "采购文件审查意见书" in docx.Document(io.BytesIO(got["opinion"])).paragraphs[0].text
    assert openpyxl.load_workbook(io.BytesIO(got["xlsx"])).sheetnames
    report = json.loads(got["json"])
    assert report["files"][0]["path"] == "招标文件.docx"
    assert "EXC-SCALE-001" not in {f["rule_id"] for f in report["files"][0]["findings"]}
    assert report["files"][0]["hidden_false_alarms"] == 1
    assert web.get(f"/checks/{cid}/download/zip").status_code == 404


def test_annotated_copy_only_for_word_files(web):
    res = only(upload(web, ("说明.txt", "# 资格要求\n投标人注册资本不少于500万元。".encode())))
    page = web.get(res["report"]).text
    assert "批注版 Word" not in page and "审查意见书" in page
    r = web.get(f"/checks/{res['check_id']}/download/annotated")
    assert r.status_code == 404 and "批注版只对 Word 文件" in r.text


def test_history_and_delete(web, tmp_path):
    a = only(upload(web, ("甲.docx", docx_bytes(tmp_path))))
    page = web.get("/history").text
    assert "甲.docx" in page and "某单位办公设备采购项目" in page and a["verdict"] in page
    r = web.post(f"/checks/{a['check_id']}/delete", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/history"
    assert "甲.docx" not in web.get("/history").text
    gone = web.get(a["report"])
    assert gone.status_code == 404 and "找不到第" in gone.text


def test_errors_are_chinese_pages_without_traceback(tmp_path, web_checker, monkeypatch):
    web = client(tmp_path, web_checker, raise_server_exceptions=False)
    r = web.get("/no/such/page")
    assert r.status_code == 404 and "页面不存在" in r.text
    assert web.get("/checks/abc").status_code == 404
    assert web.get("/api/checks/999/findings").json() == {"error": "找不到第 999 号检查记录（可能已被删除）"}
    from checker.web import routes

    def broken(*a, **k):
        raise RuntimeError("secret internal detail /etc/passwd")

    monkeypatch.setattr(routes.pages, "history_page", broken)
    r = web.get("/history")
    assert r.status_code == 500
    assert "服务器内部错误（RuntimeError）" in r.text
    assert "Traceback" not in r.text and "secret internal detail" not in r.text


def test_form_upload_without_javascript(web, tmp_path):
    data = docx_bytes(tmp_path)
    r = web.post("/upload", files=[("file", ("招标文件.docx", data)), ("file", ("坏.pdf", b"%PDF-1.4 x"))],
                 data={"project": ""})
    assert r.status_code == 200 and "检查结果" in r.text
    assert "招标文件.docx" in r.text and "查看报告" in r.text
    assert "坏.pdf：不是有效的 PDF 文件" in r.text
    r = web.post("/upload", data={"project": ""}, files=[("other", ("x", b"x"))])
    assert r.status_code == 400 and "没有收到文件" in r.text and "<!DOCTYPE html>" in r.text


def test_a_damaged_stored_result_is_a_clear_message(web, tmp_path):
    res = only(upload(web, ("a.docx", docx_bytes(tmp_path))))
    store = web.app.state.checker.store
    (store.check_dir(res["check_id"]) / "result.pickle.gz").write_bytes(b"\x1f\x8b broken")
    r = web.get(res["report"])
    assert r.status_code == 500 and "结果文件无法读取" in r.text and "请重新上传" in r.text
    assert "Traceback" not in r.text


def test_a_file_that_kills_or_hangs_its_worker_costs_only_that_file(web, tmp_path, monkeypatch):
    import os
    import time

    from checker import batch, limits

    real = batch.scan_one

    def scan_one(path, engine, keep_document=False):
        if path.endswith("001.docx"):
            os._exit(3)  # a reader that takes the process down
        if path.endswith("002.docx"):
            time.sleep(30)
        return real(path, engine, keep_document)

    monkeypatch.setattr(batch, "scan_one", scan_one)
    limits.configure(file_timeout=1.5)
    try:
        data = docx_bytes(tmp_path)
        r = upload(web, ("好.docx", data), ("崩溃.docx", data), ("卡住.docx", data))
    finally:
        limits.reset()
    good, crashed, hung = r.json()["results"]
    assert good["ok"]
    assert crashed["error"].startswith("崩溃.docx：处理该文件时工作进程意外退出（退出码 3）")
    assert hung["error"] == "卡住.docx：处理超时（超过 1.5 秒）"
    assert web.get("/").status_code == 200  # the server goes on
