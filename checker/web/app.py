"""The ASGI application: routes behind the request guard, every failure a Chinese message."""
from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware

from .errors import WebError, refusal
from .routes import routes
from .security import Guard
from .service import Checker
from .settings import Settings
from .store import Store

_HTTP_ZH = {404: "页面不存在", 405: "不支持这种请求方式", 400: "请求无效", 413: "上传内容过大"}


async def _web_error(request, exc: WebError):
    return refusal(request.scope, exc.status, exc.message)


async def _http_error(request, exc: HTTPException):
    return refusal(request.scope, exc.status_code, _HTTP_ZH.get(exc.status_code, f"请求无法处理（{exc.status_code}）"))


async def _crash(request, exc: Exception):
    # the page gets one sentence; the traceback goes to the console of whoever runs the server
    # (Starlette raises the exception on to uvicorn, which logs it)
    return refusal(request.scope, 500, f"服务器内部错误（{type(exc).__name__}），请重试；若反复出现请报告")


def create_app(settings: Settings, checker: Checker | None = None) -> Starlette:
    """The app for ``settings``; ``checker`` (a warm engine over a store) may be shared by tests."""
    app = Starlette(routes=routes(), middleware=[Middleware(Guard, settings=settings)],
                    exception_handlers={WebError: _web_error, HTTPException: _http_error, Exception: _crash})
    app.state.settings = settings
    app.state.checker = checker or Checker(Store(settings.data_dir))
    return app
