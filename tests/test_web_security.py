"""The request guard: token on a non-loopback address, Host names on loopback, other sites' posts."""
from __future__ import annotations

import socket

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")

from checker.web.settings import Settings, is_loopback, with_token  # noqa: E402
from tests.webapp import client, docx_bytes, only, upload  # noqa: E402




@pytest.mark.parametrize("host,loop", [("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("[::1]", True),
                                       ("localhost", True), ("0.0.0.0", False), ("192.168.1.5", False),
                                       ("::", False), ("example.org", False)])
def test_loopback(host, loop):
    assert is_loopback(host) is loop


def test_a_token_is_generated_off_loopback_only():
    token, generated = with_token("0.0.0.0", None)
    assert generated and len(token) >= 24
    assert with_token("0.0.0.0", None)[0] != token  # a new one each start
    assert with_token("127.0.0.1", None) == (None, False)
    assert with_token("127.0.0.1", "given") == ("given", False)
    assert with_token("10.0.0.2", "given") == ("given", False)


def test_token_required_on_every_request(tmp_path, web_checker):
    web = client(tmp_path, web_checker, host="0.0.0.0", token="s3cret-token")
    for method, url in (("get", "/"), ("get", "/history"), ("get", "/checks/1"), ("post", "/api/checks")):
        r = getattr(web, method)(url)
        assert r.status_code == 401, url
        assert "需要访问令牌" in r.text
    assert web.get("/api/checks/1/findings").json() == {
        "error": "需要访问令牌：请用服务启动时打印的完整地址（含 ?token=…）打开本页面"}
    assert web.get("/?token=wrong").status_code == 401
    # the printed address: the token is swapped for a cookie and left out of the address
    r = web.get("/history?token=s3cret-token&x=1", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/history?x=1"
    cookie = r.headers["set-cookie"]
    assert "tender_check_token_8765=s3cret-token" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert web.get("/").status_code == 200  # the client keeps the cookie
    assert only(upload(web, ("a.docx", docx_bytes(tmp_path))))["ok"]
    web.cookies.clear()
    assert web.get("/").status_code == 401
    assert web.get("/", headers={"X-Tender-Token": "s3cret-token"}).status_code == 200
    assert web.get("/", headers={"X-Tender-Token": "s3cret"}).status_code == 401


def test_token_given_on_loopback_is_required_too(tmp_path, web_checker):
    web = client(tmp_path, web_checker, token="abc123")
    assert web.get("/").status_code == 401
    assert web.get("/", headers={"X-Tender-Token": "abc123"}).status_code == 200


def test_no_token_needed_on_loopback(tmp_path, web_checker):
    assert client(tmp_path, web_checker).get("/").status_code == 200


def test_loopback_refuses_other_host_names(tmp_path, web_checker):
    web = client(tmp_path, web_checker)
    r = web.get("/", headers={"Host": "attacker.example:8765"})
    assert r.status_code == 400 and "只接受本机地址" in r.text
    assert web.get("/", headers={"Host": "localhost:8765"}).status_code == 200


def test_posts_from_other_sites_are_refused(tmp_path, web_checker):
    web = client(tmp_path, web_checker)
    data = docx_bytes(tmp_path)
    r = web.post("/api/checks", files=[("file", ("a.docx", data))], headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and r.json() == {"error": "拒绝来自其他网站的请求"}
    r = web.post("/api/checks", files=[("file", ("a.docx", data))], headers={"Origin": "null"})
    assert r.status_code == 403
    ok = web.post("/api/checks", files=[("file", ("a.docx", data))], headers={"Origin": "http://127.0.0.1:8765"})
    assert ok.status_code == 200


def test_serve_refuses_a_busy_port(tmp_path):
    from click.testing import CliRunner

    from checker.cli import main

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        r = CliRunner().invoke(main, ["serve", "--port", str(port), "--data", str(tmp_path / "d")])
    assert r.exit_code == 2
    assert f"无法监听 127.0.0.1:{port}" in r.output and "Traceback" not in r.output


def test_settings_defaults_come_from_limits():
    from checker import limits

    s = Settings("/tmp/x")
    assert (s.host, s.port, s.token) == ("127.0.0.1", 8765, None)
    assert s.max_upload_bytes == limits.current().max_upload_bytes
    assert s.max_upload_files == limits.current().max_upload_files


def test_serve_off_loopback_prints_a_generated_token(tmp_path, monkeypatch):
    pytest.importorskip("uvicorn")
    import uvicorn
    from click.testing import CliRunner

    from checker.cli import main

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(app=app, **kw))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", str(port), "--data", str(tmp_path / "d")])
    assert r.exit_code == 0, r.output
    settings = started["app"].state.settings
    assert (started["host"], started["port"]) == ("0.0.0.0", port)
    assert settings.token and f"http://127.0.0.1:{port}/?token={settings.token}" in r.output
    assert "访问令牌（已自动生成" in r.output
    assert (tmp_path / "d" / "tender-check.sqlite3").is_file()


def test_serve_without_the_web_extra_says_what_to_install(tmp_path, monkeypatch):
    import sys

    from click.testing import CliRunner

    from checker.cli import main

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if not installed
    r = CliRunner().invoke(main, ["serve", "--data", str(tmp_path / "d")])
    assert r.exit_code == 2
    assert "缺少网页服务组件（uvicorn）" in r.output and "tender-check[web]" in r.output


def test_serve_passes_limits_and_timeout_on(tmp_path, monkeypatch):
    pytest.importorskip("uvicorn")
    import uvicorn
    from click.testing import CliRunner

    from checker import limits
    from checker.cli import main

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(app=app))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    try:
        r = CliRunner().invoke(main, ["serve", "--port", str(port), "--data", str(tmp_path / "d"), "--max-upload-mb", "2",
                                      "--max-files", "4", "--timeout", "30"])
        assert r.exit_code == 0, r.output
        settings = started["app"].state.settings
        assert (settings.max_upload_bytes, settings.max_upload_files, settings.token) == (2 * 1024 * 1024, 4, None)
        assert limits.current().file_timeout == 30
    finally:
        limits.reset()
