"""LibreOffice without network: a converted file must not make the reviewer's machine fetch anything.

A .doc can link a picture by URL; LibreOffice fetches it while converting, which lets a document
tell its author when and where it was opened (a beacon inside an intranet). Two layers:
- where the kernel allows an unprivileged network namespace (`unshare -rn`), LibreOffice runs in one
  with no interfaces but loopback, so nothing can be reached;
- always, its fresh profile sets every proxy to a closed local port with no exceptions, so a
  request that does get out (no namespaces, e.g. in some containers) goes nowhere.
"""
from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

_DEAD_PROXY = ("127.0.0.1", 9)  # the discard port: nothing listens there
_INET = "/org.openoffice.Inet/Settings"


def _prop(name: str, value) -> str:
    return (f'<item oor:path="{_INET}"><prop oor:name="{name}" oor:op="fuse">'
            f"<value>{value}</value></prop></item>")


def write_profile(profile_dir: Path) -> None:
    """A LibreOffice user profile whose proxies lead nowhere (ooInetProxyType 1: manual)."""
    host, port = _DEAD_PROXY
    props = [_prop("ooInetProxyType", 1), _prop("ooInetNoProxy", "")]
    for scheme in ("HTTP", "HTTPS", "FTP"):
        props += [_prop(f"ooInet{scheme}ProxyName", host), _prop(f"ooInet{scheme}ProxyPort", port)]
    user = profile_dir / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        + "\n".join(props) + "\n</oor:items>\n", encoding="utf-8")


@lru_cache(maxsize=1)
def _namespace_prefix() -> tuple[str, ...]:
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    try:
        ok = subprocess.run([unshare, "-rn", "true"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        ok = False
    return (unshare, "-rn") if ok else ()


def offline(cmd: list[str]) -> list[str]:
    """The command run in a network namespace of its own when the system allows one."""
    return [*_namespace_prefix(), *cmd]
