"""Checks every request passes before it reaches a page: the Host name, the access token, the
origin of a form or API call, and the size of the body."""
from __future__ import annotations

import hmac
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit

from .errors import BodyTooLarge, refusal
from .settings import Settings

COOKIE = "tender_check_token"  # + "_<port>": browsers do not keep cookies apart by port
HEADER = "x-tender-token"
_SAFE = ("GET", "HEAD", "OPTIONS")


def _headers(scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}


def _host_name(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _given_token(scope, headers: dict[str, str]) -> tuple[str | None, bool]:
    """The token the request carries and whether it came in the query string."""
    if headers.get(HEADER):
        return headers[HEADER], False
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header is no token
        cookie = SimpleCookie()
    name = cookie_name(scope)
    if name in cookie:
        return cookie[name].value, False
    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    if query.get("token"):
        return query["token"], True
    return None, False


def cookie_name(scope) -> str:
    server = scope.get("server") or ("", 0)
    return f"{COOKIE}_{server[1] or 0}"


def _without_token(scope) -> str:
    query = [(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1")) if k != "token"]
    return scope.get("path", "/") + (f"?{urlencode(query)}" if query else "")


class Guard:
    """ASGI middleware; ``settings.token`` set means every request needs it (query ``?token=`` once,
    then a cookie the server sets, or the ``X-Tender-Token`` header)."""

    def __init__(self, app, settings: Settings):
        self.app = app
        self.settings = settings

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = _headers(scope)
        problem = self._refused(scope, headers)
        if problem is not None:
            return await problem(scope, receive, send)
        if self.settings.token:
            given, in_query = _given_token(scope, headers)
            if not given or not hmac.compare_digest(given.encode(), self.settings.token.encode()):
                return await refusal(scope, 401, "需要访问令牌：请用服务启动时打印的完整地址（含 ?token=…）打开本页面")(
                    scope, receive, send)
            if in_query and scope["method"] in _SAFE:
                return await self._enter(scope, receive, send)
        await self.app(scope, self._limited(receive), send)

    def _refused(self, scope, headers):
        allowed = self.settings.allowed_hosts()
        host = headers.get("host", "")
        if allowed is not None and _host_name(host) not in allowed:
            return refusal(scope, 400, f"拒绝访问：服务只接受本机地址（收到的主机名为 {host or '空'}）")
        if scope["method"] not in _SAFE:
            origin = headers.get("origin")
            if origin and origin != "null" and urlsplit(origin).netloc.lower() != host.lower():
                return refusal(scope, 403, "拒绝来自其他网站的请求")
            if origin == "null":
                return refusal(scope, 403, "拒绝来源不明的请求")
        length = headers.get("content-length")
        if length and length.isdigit() and int(length) > self.settings.max_request_bytes:
            return refusal(scope, 413, _too_large(self.settings))
        return None

    async def _enter(self, scope, receive, send):
        """A valid ?token=: set the cookie and go to the same page without the token in the address."""
        from starlette.responses import RedirectResponse

        response = RedirectResponse(_without_token(scope), status_code=303)
        response.set_cookie(cookie_name(scope), self.settings.token, httponly=True, samesite="strict", path="/")
        await response(scope, receive, send)

    def _limited(self, receive):
        limit = self.settings.max_request_bytes
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message.get("type") == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(_too_large(self.settings))
            return message

        return counted


def _too_large(settings: Settings) -> str:
    mb = settings.max_upload_bytes / (1024 * 1024)
    return f"上传内容过大：每次最多 {settings.max_upload_files} 个文件，每个不超过 {mb:g} MB"
