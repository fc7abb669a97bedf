"""The reviewer's checklist (核查表): every item of the form, for one document, with a status and a verdict.

Items come from ``rules/checklist.yaml`` (the 编制核查表 items, 招标投标法实施条例 第三十二条) and
``rules/regulator_coverage.yaml`` (the MOF rectification forms D01–D22). An item is

- 发现问题  one of its rules reported a finding in this document;
- 通过      its rules bind this document's regime and ran, and found nothing;
- 不适用    none of its rules binds this document (regime, method, attribute);
- 需人工核查 a fact its rules need was not read (no price weight, no announcement date …), or the item
            is not something text can decide (``manual``).

The base status (without findings) is fixed at scan time; the final status is taken against the findings
shown, so a baseline or a reviewer's decisions that hide findings turn an item back to 通过.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .regime import binding_for
from .rules import default_rule_dirs
from .yamlio import load_file

FOUND, PASSED, NOT_APPLICABLE, MANUAL = "发现问题", "通过", "不适用", "需人工核查"
NEED_LABELS = {"price_weight": "价格分权重", "announce_date": "公告日期", "attribute": "项目属性",
               "scoring": "评分标准", "budget": "预算金额"}


@dataclass(frozen=True)
class Item:
    group: str
    group_title: str
    id: str
    title: str
    rules: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    manual: str = ""
    regimes: tuple[str, ...] = ()  # the group binds only these regimes (empty: all)


@dataclass(frozen=True)
class ItemState:
    item: Item
    status: str
    reason: str = ""
    rule_ids: tuple[str, ...] = ()  # the item's rules that bind this document
    findings: int = 0

    def as_json(self) -> dict:
        return {"group": self.item.group, "id": self.item.id, "title": self.item.title, "status": self.status,
                "reason": self.reason, "rules": list(self.rule_ids), "findings": self.findings}


def _rule_matches(rule_id: str, patterns: tuple[str, ...]) -> bool:
    return any(rule_id.startswith(p[:-1]) if p.endswith("*") else rule_id == p for p in patterns)


@lru_cache(maxsize=4)
def load_items(directory: str | None = None) -> tuple[Item, ...]:
    dirs = [Path(directory)] if directory else default_rule_dirs()
    items: list[Item] = []
    for d in dirs:
        path = d / "checklist.yaml"
        if path.is_file():
            items.extend(_form_items(load_file(path)))
        coverage = d / "regulator_coverage.yaml"
        if coverage.is_file():
            items.extend(_coverage_items(load_file(coverage)))
    return tuple(items)


def _form_items(data: dict) -> list[Item]:
    out = []
    for group in data.get("groups") or []:
        for raw in group.get("items") or []:
            out.append(Item(group["id"], group["title"], str(raw["id"]), raw["title"], tuple(raw.get("rules") or ()),
                            tuple(raw.get("needs") or ()), raw.get("manual") or "", tuple(group.get("regimes") or ())))
    return out


def _coverage_items(data: dict) -> list[Item]:
    return [Item("mof", "财政部专项整治表现形式", raw["id"], raw["label_zh"],
                 tuple(r["id"] for r in raw.get("rules") or ()), manual="" if raw.get("rules") else
                 "没有规则检测这一表现形式，请人工核查")
            for raw in data.get("items") or []]


def base_states(engine, facts) -> tuple[ItemState, ...]:
    """Each item's status before findings are counted: 通过, 不适用 or 需人工核查."""
    return tuple(_base_state(item, engine, facts) for item in load_items())


def _base_state(item: Item, engine, facts) -> ItemState:
    if item.manual:
        return ItemState(item, MANUAL, item.manual)
    regime = facts.get("regime")
    if item.regimes and regime not in item.regimes:
        return ItemState(item, NOT_APPLICABLE, "本文件不是该制度下的文件")
    binding = [r.id for r in engine.rules if _rule_matches(r.id, item.rules)
               and binding_for(r, facts) is not None and r.applies.matches(facts, engine.switches)]
    if not binding:
        return ItemState(item, NOT_APPLICABLE, "本项规则不约束本文件的制度、采购方式或项目属性")
    missing = [NEED_LABELS.get(n, n) for n in item.needs if not facts.get(n)]
    if missing:
        return ItemState(item, MANUAL, f"未读出{'、'.join(missing)}，相关检查无法完成", tuple(binding))
    return ItemState(item, PASSED, "", tuple(binding))


def final_states(base: tuple[ItemState, ...], findings) -> tuple[ItemState, ...]:
    """The base states with 发现问题 where one of the item's rules reported a finding."""
    out = []
    for state in base:
        pats = state.item.rules
        hits = sum(1 for f in findings if any(_rule_matches(r, pats) for r in (f.rule_id, *f.also)))
        if hits and state.status != NOT_APPLICABLE:
            out.append(ItemState(state.item, FOUND, f"{hits} 处", state.rule_ids, hits))
        else:
            out.append(state)
    return tuple(out)


def shown(states: tuple[ItemState, ...], mof: bool = True) -> list[ItemState]:
    """The items a report lists: the 招标投标法 items only on a document they apply to, and the MOF forms
    unless ``mof`` is False (a summary that names items keeps to the form)."""
    return [s for s in states if (mof or s.item.group != "mof")
            and not (s.item.group == "eng" and s.status == NOT_APPLICABLE)]


def verdict(states: tuple[ItemState, ...], findings) -> dict:
    """不通过 (an error), 需修改 (warnings only), 通过; with the items a reviewer must still check by hand."""
    severities = {f.severity for f in findings}
    conclusion = "不通过" if "error" in severities else "需修改" if "warning" in severities else "通过"
    manual = [f"{s.item.id} {s.item.title}" for s in states if s.status == MANUAL and s.item.group != "mof"]
    text = conclusion + (f"（附需人工核查项 {len(manual)} 项）" if manual else "")
    return {"conclusion": conclusion, "text": text, "manual": manual}


def summary(states: tuple[ItemState, ...], group: str | None = None) -> dict[str, int]:
    counts = {FOUND: 0, PASSED: 0, NOT_APPLICABLE: 0, MANUAL: 0}
    for s in states:
        if group is None or s.item.group == group:
            counts[s.status] += 1
    return counts
