"""`tender-check serve`: start the local web page for reviewers (checker.web)."""
from __future__ import annotations

import os
import socket
from pathlib import Path

import click

from .cli_batch import Seconds, ocr_option
from .errors import CheckerError


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "tender-check"


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _url(host: str, port: int, token: str | None) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else (f"[{host}]" if ":" in host else host)
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；不是本机地址（如 0.0.0.0）时必须使用访问令牌（未给出则自动生成并打印）")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="端口")
@click.option("--data", "data_dir", type=click.Path(file_okay=False), default=None,
              help=f"数据目录：SQLite 数据库、检查结果和审查判断（默认 {default_data_dir()}）")
@click.option("--token", default=None, help="访问令牌：给出后每个请求都须带上（本机地址上也是）")
@click.option("--keep", is_flag=True, help="检查后保留上传的临时文件（默认检查完即删除）")
@click.option("--max-upload-mb", type=click.FloatRange(0.001), default=None, help="每个上传文件的大小上限（MB）")
@click.option("--max-files", type=click.IntRange(1), default=None, help="每次上传的文件数上限")
@click.option("--timeout", type=Seconds(), default=None, help="单个文件的处理时限（秒，默认 600），超时记为该文件的错误")
@ocr_option
def serve_cmd(host, port, data_dir, token, keep, max_upload_mb, max_files, timeout):
    """启动本机网页：拖入招标文件即可检查，查看报告、保存审查判断、下载批注版和审查意见书、比较两稿。

    \b
    例：
      tender-check serve                       # 打开 http://127.0.0.1:8765/
      tender-check serve --data ~/审查数据
      tender-check serve --host 0.0.0.0        # 办公室共用：打印带令牌的地址
    """
    try:
        import uvicorn

        from .web import Settings, create_app
        from .web.settings import with_token
    except ImportError as exc:
        raise CheckerError(f"缺少网页服务组件（{exc.name}）：请安装 pip install 'tender-check[web]'") from None
    from . import limits

    changes = {}
    if max_upload_mb:
        changes["max_upload_bytes"] = int(max_upload_mb * 1024 * 1024)
    if max_files:
        changes["max_upload_files"] = max_files
    if timeout:
        changes["file_timeout"] = timeout  # what checker.batch's workers are given by default
    if changes:
        limits.configure(**changes)
    token, generated = with_token(host, token)
    if not _port_free(host, port):
        raise CheckerError(f"无法监听 {host}:{port}：地址已被占用或不可用，请用 --port 换一个端口")
    data = Path(data_dir) if data_dir else default_data_dir()
    try:
        data.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CheckerError(f"数据目录 {data} 无法创建：{exc.strerror or exc}") from None
    settings = Settings(data, host, port, token, keep)
    click.echo("正在加载规则…", err=True)
    app = create_app(settings)
    click.echo(f"tender-check 审查工作台已启动：{_url(host, port, token)}", err=True)
    if generated:
        click.echo(f"访问令牌（已自动生成，每次启动都不同）：{token}", err=True)
    if not settings.loopback:
        click.echo("其他电脑请把地址中的 127.0.0.1 换成本机的局域网地址", err=True)
    click.echo(f"数据目录：{data}　按 Ctrl-C 停止", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
