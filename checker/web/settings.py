"""What a `serve` run is configured with: address, data folder, token, upload limits."""
from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from ..limits import current

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
_LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and ``localhost``; everything else (0.0.0.0, a LAN address, a name) is not."""
    host = host.strip().strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    token: str | None = None     # required on every request when set
    keep_uploads: bool = False   # keep the temporary upload folder (for looking into a problem file)
    max_upload_bytes: int = field(default_factory=lambda: current().max_upload_bytes)
    max_upload_files: int = field(default_factory=lambda: current().max_upload_files)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def allowed_hosts(self) -> tuple[str, ...] | None:
        """Host header names accepted (None: any). On loopback only the loopback names are, so a web
        page elsewhere cannot reach the server through a DNS name that points to 127.0.0.1."""
        if not self.loopback:
            return None
        return ("127.0.0.1", "localhost", "[::1]", "::1", self.host.lower())

    @property
    def max_request_bytes(self) -> int:
        """One request's body: every file at its limit plus room for the multipart framing."""
        return self.max_upload_files * self.max_upload_bytes + 1024 * 1024


def with_token(host: str, token: str | None) -> tuple[str | None, bool]:
    """The token in force and whether it was generated: a non-loopback address always has one."""
    if token:
        return token, False
    if is_loopback(host):
        return None, False
    return new_token(), True
