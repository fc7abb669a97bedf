"""What the web app tells a reviewer when something is refused or fails: one Chinese sentence,
as a page or as JSON for the API, never a traceback."""
from __future__ import annotations


class WebError(Exception):
    """A request the app refuses, with the HTTP status and the message shown."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class BodyTooLarge(WebError):
    def __init__(self, message: str):
        super().__init__(413, message)


def wants_json(scope) -> bool:
    if scope.get("path", "").startswith("/api/"):
        return True
    accept = dict(scope.get("headers", ())).get(b"accept", b"").decode("latin-1")
    return "application/json" in accept and "text/html" not in accept


def refusal(scope, status: int, message: str):
    """The response for a refused or failed request: JSON for the API, a page otherwise."""
    from starlette.responses import HTMLResponse, JSONResponse

    if wants_json(scope):
        return JSONResponse({"error": message}, status_code=status)
    from .pages import error_page

    return HTMLResponse(error_page(status, message), status_code=status)
