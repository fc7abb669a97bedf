"""Sends the same per-file work as the local pool to a Dask cluster (optional extra ``dask``)."""
from __future__ import annotations

import pickle
import threading
from typing import Callable

from .api import Options, build_engine
from .errors import CheckerError
from .model import FileResult

_ENGINES: dict[bytes, object] = {}
_LOCK = threading.Lock()


def _engine_for(options: Options):
    """One engine per Dask worker process and option set, built on first use (not per file)."""
    key = pickle.dumps(options)
    with _LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = build_engine(options)
    return engine


def dask_scan(index: int, path: str, options: Options) -> tuple[int, FileResult]:
    from . import batch

    return index, batch.scan_one(path, _engine_for(options), options.keep_document)


def run_dask(paths: list[str], options: Options, scheduler, in_flight: int,
             on_start: Callable[[str], None]):
    """Yield (index, FileResult) as the cluster finishes them, keeping only a few tasks queued so a
    huge folder does not sit in the scheduler's memory all at once."""
    try:
        from dask.distributed import Client, as_completed
    except ImportError as exc:
        raise CheckerError("--executor dask 需要安装 dask：pip install 'tender-check[dask]'") from exc
    if not scheduler:
        raise CheckerError("--executor dask 需要 --scheduler 地址（如 tcp://10.0.0.5:8786）")
    build_engine(options)  # a broken rule file is a usage error here, not one error per file
    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    own_client = client is not scheduler
    window = max(2, in_flight * 4)
    todo = iter(enumerate(paths))
    futures: dict = {}

    def submit_next(ac) -> None:
        for index, path in todo:
            on_start(path)
            fut = client.submit(dask_scan, index, path, options, pure=False)
            futures[fut] = (index, path)
            ac.add(fut)
            return

    try:
        ac = as_completed()
        for _ in range(window):
            submit_next(ac)
        for fut in ac:
            index, path = futures.pop(fut)
            try:
                yield fut.result()
            except Exception as exc:  # e.g. KilledWorker: the file took its worker down
                yield index, FileResult(path, "error", f"集群处理该文件失败：{type(exc).__name__}: {exc}")
            submit_next(ac)
    finally:
        for fut in futures:
            fut.cancel()
        if own_client:
            client.close()
