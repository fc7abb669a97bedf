"""The generic check types, registered in one explicit table; a rule's `check.type` picks one."""
from __future__ import annotations

from ..errors import RuleFileError
from .absence import AbsenceCheck
from .anyof import AnyCheck
from .base import Check, Match
from .brand import BrandCheck
from .like import LikeCheck
from .near import NearCheck
from .phrase import PhraseCheck
from .regex import RegexCheck
from .threshold import ThresholdCheck
from .window import WindowCheck

REGISTRY: dict[str, type[Check]] = {
    PhraseCheck.TYPE: PhraseCheck,
    RegexCheck.TYPE: RegexCheck,
    NearCheck.TYPE: NearCheck,
    ThresholdCheck.TYPE: ThresholdCheck,
    AbsenceCheck.TYPE: AbsenceCheck,
    AnyCheck.TYPE: AnyCheck,
    BrandCheck.TYPE: BrandCheck,
    LikeCheck.TYPE: LikeCheck,
    WindowCheck.TYPE: WindowCheck,
}


def register(cls: type[Check]) -> type[Check]:
    """Add a check type (used by modules that need whole-document context, e.g. scoring tables)."""
    REGISTRY[cls.TYPE] = cls
    return cls


from .facts_check import TYPES as _FACT_TYPES  # noqa: E402  (facts, scoring tables, SME policy)

for _cls in _FACT_TYPES:
    register(_cls)


def build_check(path: str, cfg) -> Check:
    if not isinstance(cfg, dict) or "type" not in cfg:
        raise RuleFileError(path, "check.type", f"缺少检查类型（可用：{', '.join(sorted(REGISTRY))}）")
    kind = cfg["type"]
    if not isinstance(kind, str):
        raise RuleFileError(path, "check.type", f"应为一个检查类型名称（可用：{', '.join(sorted(REGISTRY))}）")
    if kind not in REGISTRY:
        from ..rules import _unknown

        raise _unknown(path, "check.type: ", str(kind), set(REGISTRY))
    return REGISTRY[kind](path, cfg)


__all__ = ["Check", "Match", "REGISTRY", "build_check", "register"]
