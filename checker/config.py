"""Configuration from tender-check.toml or [tool.tender-check] in pyproject.toml, with the source of every value."""
from __future__ import annotations

import fnmatch
import math
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

CONFIG_NAME = "tender-check.toml"
SEVERITIES = ("error", "warning", "info")
FAIL_ON = ("error", "warning", "info", "never")
DEFAULT_SOURCE = "默认"
CLI_SOURCE = "命令行"


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


# key → (check, what a valid value looks like)
_KEYS: dict[str, tuple[Any, str]] = {
    "select": (_str_list, "规则 ID 前缀的列表，如 [\"EXC\", \"NUM-DEP\"]"),
    "ignore": (_str_list, "规则 ID 前缀的列表，如 [\"EXC-BRAND\"]"),
    "fail-on": (lambda v: v in FAIL_ON, "error、warning、info 或 never 之一"),
    "rules": (_str_list, "额外规则目录的列表（相对于配置文件）"),
    "switches": (_str_list, "地方开关的列表，如 [\"dongguan\"]"),
    "include": (_str_list, "文件名通配符的列表，如 [\"*.docx\"]"),
    "exclude": (_str_list, "文件名通配符的列表，如 [\"草稿/**\"]"),
    "jobs": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1, "正整数"),
    "timeout": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v > 0,
                "有限的正数（秒）"),
    "severity": (lambda v: isinstance(v, dict) and all(s in SEVERITIES for s in v.values()),
                 "表：规则 ID 前缀 = \"error\" / \"warning\" / \"info\""),
    "per-path-ignores": (lambda v: isinstance(v, dict) and all(_str_list(x) for x in v.values()),
                         "表：路径通配符 = [规则 ID 前缀…]"),
    "baseline": (lambda v: isinstance(v, str) and v, "基线文件路径"),
}

_DEFAULTS: dict[str, Any] = {
    "select": [], "ignore": [], "fail-on": "warning", "rules": [], "switches": [], "include": [],
    "exclude": [], "jobs": None, "timeout": None, "severity": {}, "per-path-ignores": {}, "baseline": None,
}


@dataclass(frozen=True)
class Config:
    """Effective settings; ``sources[key]`` says where each came from (默认, 命令行 or a file)."""

    values: dict[str, Any] = field(default_factory=lambda: dict(_DEFAULTS))
    sources: dict[str, str] = field(default_factory=lambda: {k: DEFAULT_SOURCE for k in _DEFAULTS})
    file: Path | None = None

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def root(self) -> Path:
        """Per-path ignores and relative folders are relative to the config file's folder."""
        return self.file.parent if self.file else Path.cwd()

    def override(self, **given: Any) -> "Config":
        """Command-line values replace configured ones (keys with '_' for '-'; None means not given)."""
        values, sources = dict(self.values), dict(self.sources)
        for key, value in given.items():
            key = key.replace("_", "-")
            if value is None:
                continue
            values[key] = value
            sources[key] = CLI_SOURCE
        return replace(self, values=values, sources=sources)

    def rule_dirs(self) -> list[Path]:
        """Configured rule folders are relative to the file, command-line ones to the cwd."""
        base = self.root if self.sources["rules"] not in (CLI_SOURCE, DEFAULT_SOURCE) else Path.cwd()
        return [base / d for d in self.values["rules"]]

    def ignored_for(self, path: str) -> list[str]:
        """Rule prefixes ignored for this file by per-path-ignores."""
        if not self.values["per-path-ignores"]:
            return []
        full = Path(path).resolve()
        try:
            rel = full.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            rel = Path(path).as_posix()
        out: list[str] = []
        for pattern, prefixes in self.values["per-path-ignores"].items():
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(Path(path).as_posix(), pattern):
                out.extend(prefixes)
        return out

    def filter_result(self, result):
        """Drop findings of rules ignored for this file's path."""
        prefixes = self.ignored_for(result.path)
        if not prefixes or not result.findings:
            return result
        kept = tuple(f for f in result.findings if not matches_prefix(f.rule_id, prefixes))
        return replace(result, findings=kept)


def matches_prefix(rule_id: str, prefixes) -> bool:
    """ID-prefix match as --select uses it: EXC matches EXC-BRAND-001, EXC-BRAND-001 only itself."""
    return any(p.upper() == "ALL" or rule_id == p or rule_id.startswith(p.rstrip("-") + "-")
               for p in prefixes)


def find_config(start: Path) -> tuple[Path, dict] | None:
    """Walk up from ``start``: in each folder tender-check.toml wins over pyproject.toml's
    [tool.tender-check]; a pyproject.toml without that table is passed over."""
    start = start.resolve()
    for folder in (start, *start.parents):
        own = folder / CONFIG_NAME
        if own.is_file():
            return own, _read(own)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _read(pyproject).get("tool", {}).get("tender-check")
            if table is not None:
                if not isinstance(table, dict):
                    raise ConfigError(f"{pyproject}: tool.tender-check: 应为一个表")
                return pyproject, table
    return None


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML 语法错误：{exc}") from exc
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: 配置文件不是 UTF-8 编码（如 GBK），请另存为 UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: 无法读取配置文件：{exc.strerror}") from exc


def validate(path: Path, table: dict) -> dict[str, Any]:
    """Check every key and value; the error names the file and the key."""
    prefix = "tool.tender-check." if path.name == "pyproject.toml" else ""
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _KEYS:
            hint = f"（可用：{', '.join(_KEYS)}）"
            raise ConfigError(f"{path}: {prefix}{key}: 未知的配置项{hint}")
        check, expected = _KEYS[key]
        if not check(value):
            raise ConfigError(f"{path}: {prefix}{key}: 值 {value!r} 无效，应为{expected}")
        out[key] = value
    return out


def load_config(explicit: str | os.PathLike | None = None, start: Path | None = None) -> Config:
    """The configuration in force: ``--config FILE`` if given, else the nearest one found upwards."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{path}: 配置文件不存在")
        data = _read(path)
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("tender-check", {})
        found: tuple[Path, dict] | None = (path, data)
    else:
        found = find_config(start or Path.cwd())
    if found is None:
        return Config()
    path, table = found
    values = dict(_DEFAULTS)
    sources = {k: DEFAULT_SOURCE for k in _DEFAULTS}
    for key, value in validate(path, table).items():
        values[key] = value
        sources[key] = str(path)
    return Config(values, sources, path.resolve())


def describe(config: Config) -> str:
    """The effective configuration as TOML-like lines, each with where it came from."""
    import json

    lines = [f"# 配置文件：{config.file if config.file else '（未找到，使用默认值）'}"]
    for key in _DEFAULTS:
        value = config.values[key]
        if isinstance(value, dict):
            shown = "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {json.dumps(v, ensure_ascii=False)}"
                                    for k, v in value.items()) + "}"
        elif value is None:
            shown = "（未设置）"
        else:
            shown = json.dumps(value, ensure_ascii=False)
        lines.append(f"{key:<17} = {shown}    # 来自：{config.sources[key]}")
    return "\n".join(lines) + "\n"
