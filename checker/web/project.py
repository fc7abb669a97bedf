"""Which project a draft belongs to: its project number, else its project name, else its file name
without the draft marks (修改稿, 第二稿, v2…). Drafts of one project share decisions and are compared."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

_NUMBER = re.compile(r"(?:项目|招标|采购|询价|磋商|谈判|比选)(?:编号|编码)\s*[:：]\s*"
                     r"([A-Za-z0-9][A-Za-z0-9\-_/.（）()〔〕\[\]]{3,60})")
_NAME = re.compile(r"(?:项目|采购项目|招标项目)名称\s*[:：]\s*([^\s:：；;。，,]{4,80})")
_DRAFT_MARK = re.compile(r"[（(【\[]?(?:第?[一二三四五六七八九十\d]+稿|修改稿|修订稿|定稿|终稿|征求意见稿|送审稿|草稿|"
                         r"更正稿|[vV]\d+(?:\.\d+)?)[）)】\]]?")
_HEAD_BLOCKS = 120


@dataclass(frozen=True)
class ProjectId:
    keys: tuple[str, ...]  # best first: "no:…", "name:…", "file:…"
    name: str
    number: str


def _first(rx, blocks) -> str:
    for b in blocks:
        m = rx.search(b.text)
        if m:
            value = m.group(1).strip()
            opened = value.count("(") + value.count("（")
            return value.rstrip(")）") if not opened else value  # "（项目编号：ABC-1）" keeps no bracket
    return ""


def identify(document, file_name: str) -> ProjectId:
    blocks = document.blocks[:_HEAD_BLOCKS] if document is not None else []
    number, name = _first(_NUMBER, blocks), _first(_NAME, blocks)
    stem = _DRAFT_MARK.sub("", PurePath(file_name).stem).strip(" -_.") or PurePath(file_name).stem
    keys = []
    if number:
        keys.append("no:" + number.upper())
    if name:
        keys.append("name:" + "".join(name.split()))
    keys.append("file:" + "".join(stem.split()))
    return ProjectId(tuple(keys), name or stem, number)
