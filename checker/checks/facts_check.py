"""Check types over project facts and scoring tables: price weight, score sums, SME deduction rates and
consistency, amounts against the budget, and periods between dates."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from ..errors import RuleFileError
from ..model import Location
from ..numbers import calendar_days_between, working_days_between
from .base import Check, Match, config_number, fact_name

_ATTR_CN = {"goods": "货物", "services": "服务", "works": "工程"}
_SKIP_EVAL = ("最低评标价法", "经评审的最低投标价法", "最低投标价法")


def _fmt(v: float) -> str:
    return f"{v:g}"


def _match_at(ctx, loc: Location, values: dict, related=(), severity=None, document_level=False) -> Match:
    """A Match over the span of ``loc`` (original offsets) in its block's normalised text."""
    block = ctx.doc.blocks[loc.block]
    norm = block.normalized
    start = norm.to_normalized(loc.start)
    end = max(start + 1, norm.to_normalized(loc.end)) if block.norm else 0
    return Match(block, start, min(end, len(block.norm)), values, document_level, tuple(related),
                 severity=severity)


def _anchor(ctx):
    return next((b for b in ctx.doc.blocks if b.norm), None)


class PriceWeightCheck(Check):
    """`price_weight`: each scoring scheme's price points over the sum of every row's maximum, against
    `min`/`max` percents (inclusive, catalog §0.4). Fixed-price and lowest-price projects are exempt;
    with `approval_info: true` a document stating 财政部门审核同意 gets an info finding instead."""

    TYPE = "price_weight"
    KEYS = {"min", "max", "approval_info"}

    def __init__(self, path: str, cfg: dict):
        super().__init__(path, cfg)
        if cfg.get("min") is None and cfg.get("max") is None:
            raise RuleFileError(path, "check.min", "价格分权重检查需要 min 或 max（百分数）")
        self.min = config_number(path, "check.min", cfg["min"]) if cfg.get("min") is not None else None
        self.max = config_number(path, "check.max", cfg["max"]) if cfg.get("max") is not None else None
        self.approval_info = bool(cfg.get("approval_info"))

    def run(self, ctx, rule):
        facts = ctx.facts
        if facts.get("fixed_price") or facts.get("evaluation") in _SKIP_EVAL:
            return
        for scheme in facts.scoring:
            weight = scheme.price_weight
            if weight is None:
                continue
            lot_facts = facts.lot_facts(scheme.lot)
            attribute = lot_facts.get("attribute")
            if rule.applies.attribute and attribute not in rule.applies.attribute:
                continue
            if self.min is not None and weight < self.min - 1e-9:
                compare, limit = "低于", self.min
            elif self.max is not None and weight > self.max + 1e-9:
                compare, limit = "高于", self.max
            else:
                continue
            severity = "info" if self.approval_info and facts.get("price_approved") else None
            item = scheme.price_items[0]
            values = {"attr_cn": _ATTR_CN.get(attribute, ""), "price": _fmt(scheme.price_points),
                      "total": _fmt(scheme.total), "weight": _fmt(weight), "compare": compare,
                      "limit": _fmt(limit), "lot_label": f"采购包{scheme.lot}：" if scheme.lot else "",
                      "unit": "%" if scheme.percent else "分"}
            related = tuple(i.cell for i in scheme.items if i is not item)
            yield _match_at(ctx, item.cell, values, related, severity)


class ScoreSumCheck(Check):
    """`score_sum`: a scoring table whose rows do not add up to the total it states, or whose
    sub-items do not add up to their item's own "(30分)"."""

    TYPE = "score_sum"
    KEYS: set[str] = set()

    def run(self, ctx, rule):
        for scheme in ctx.facts.scoring:
            if scheme.source != "table":
                continue
            related = tuple(i.cell for i in scheme.items)
            if scheme.stated_total is not None and abs(scheme.stated_total - scheme.total) > 1e-6:
                loc = scheme.stated_total_at or scheme.anchor
                yield _match_at(ctx, loc, {"what": "各评分项最高分之和", "sum": _fmt(scheme.total),
                                           "stated": _fmt(scheme.stated_total)}, related)
            # the groups' own points add up to the items' total: each group's items must too, so a group
            # that seems not to is a misread of which rows belong to it (merged cells), not the document's error
            if abs(sum(points for _, points, _ in scheme.parents) - scheme.total) < 1e-6:
                continue
            for label, points, loc in scheme.parents:
                children = [i for i in scheme.items if i.parent and label.startswith(i.parent[:20])]
                if len(children) < 2:
                    continue
                total = round(sum(i.points for i in children), 4)
                if abs(total - points) > 1e-6:
                    yield _match_at(ctx, loc, {"what": f"“{label[:20]}”的各子项之和", "sum": _fmt(total),
                                               "stated": _fmt(points)}, tuple(i.cell for i in children))


# catalog §6: (from, to, low, high) per attribute group and kind
_RANGES = {
    ("gs", "small"): ((date(2021, 1, 1), date(2022, 6, 30), 6, 10), (date(2022, 7, 1), None, 10, 20)),
    ("gs", "consortium"): ((date(2021, 1, 1), date(2022, 6, 30), 2, 3), (date(2022, 7, 1), None, 4, 6)),
    ("works", "small"): ((date(2021, 1, 1), None, 3, 5),),
    ("works", "consortium"): ((date(2021, 1, 1), None, 1, 2),),
    ("works", "bonus"): ((date(2021, 1, 1), None, 3, 5),),
}


def legal_range(attribute: str | None, kind: str, announced: str | None):
    """(low, high, note) for a deduction, or None when the facts do not decide it."""
    group = "works" if attribute == "works" else ("gs" if attribute in ("goods", "services") else None)
    if group is None:
        return None
    periods = _RANGES.get((group, kind))
    if not periods:
        return None
    if len(periods) == 1:
        lo, hi = periods[0][2], periods[0][3]
        return lo, hi, "政府采购工程" if group == "works" else ""
    if not announced:
        lo = min(p[2] for p in periods)
        hi = max(p[3] for p in periods)
        return lo, hi, "公告日期不明，取两个时期幅度的并集"
    d = date.fromisoformat(announced)
    for start, end, lo, hi in periods:
        if d >= start and (end is None or d <= end):
            return lo, hi, f"{'2022年7月1日起' if end is None else '2021年1月1日至2022年6月30日'}公告的项目"
    return None


class SmeRateCheck(Check):
    """`sme_rate`: each stated deduction of `kind` (small / consortium / bonus) against the legal range
    for the project's attribute and announcement date (catalog §6)."""

    TYPE = "sme_rate"
    KEYS = {"kind"}

    def __init__(self, path: str, cfg: dict):
        super().__init__(path, cfg)
        self.kind = cfg.get("kind", "small")
        if self.kind not in ("small", "consortium", "bonus"):
            raise RuleFileError(path, "check.kind", "应为 small / consortium / bonus")

    def run(self, ctx, rule):
        sme = ctx.facts.sme
        if sme is None:
            return
        for d in sme.deductions:
            if d.kind != self.kind or d.value == 0:
                continue
            lot = ctx.facts.lot_facts(d.lot)
            rng = legal_range(lot.get("attribute"), self.kind, lot.get("announce_date"))
            if rng is None:
                continue
            lo, hi, note = rng
            if lo - 1e-9 <= d.value <= hi + 1e-9:
                continue
            values = {"value": _fmt(d.value), "low": _fmt(lo), "high": _fmt(hi), "note": note,
                      "attr_cn": _ATTR_CN.get(lot.get("attribute"), "")}
            yield _match_at(ctx, d.location, values)


class SmePolicyCheck(Check):
    """`sme_policy`: document-level SME checks.

    - missing: a project (or lot) not reserved for SMEs that states no small/micro deduction;
    - reserved_deducts: a reserved project or lot that still deducts;
    - rate_conflict: two different deduction percents for the same lot;
    - reserve_conflict: a lot said to be reserved in one place and not reserved in another;
    - not_reserved: the first "不专门面向中小企业" statement, unless the document gives a 46号 第六条
      reason (the size/attribute conditions come from a `when` gate around it)."""

    TYPE = "sme_policy"
    KEYS = {"mode"}
    MODES = ("missing", "reserved_deducts", "rate_conflict", "reserve_conflict", "not_reserved")

    def __init__(self, path: str, cfg: dict):
        super().__init__(path, cfg)
        self.mode = cfg.get("mode")
        if self.mode not in self.MODES:
            raise RuleFileError(path, "check.mode", f"应为 {' / '.join(self.MODES)}")

    def run(self, ctx, rule):
        sme = ctx.facts.sme
        if sme is None:
            return
        yield from getattr(self, "_" + self.mode)(ctx, sme)

    def _missing(self, ctx, sme):
        facts = ctx.facts
        if facts.get("method") in ("单一来源",) or ctx.notice_only:
            return
        if facts.get("sme_reserved") is True:
            return  # a reserved project rightly deducts nothing
        for loc in sme.refusals:
            block = ctx.doc.blocks[loc.block]
            if any(w in block.norm for w in ("联合体", "分包", "监狱", "残疾")):
                continue
            here = [r for r in sme.reservations if r.block == loc.block]
            if not any(r.reserved for r in here):
                # "专门面向" unparsed may be a reservation; "本项目为非专门面向…" next to the refusal is not
                if "专门面向" not in block.norm or here:
                    yield _match_at(ctx, loc, {"where": "本项目"})
        if sme.refusals:
            return
        if any(d.kind == "small" and d.value > 0 for d in sme.deductions):
            return
        if facts.get("sme_reserved") is True:
            return
        lots = [lot for lot in (facts.get("lots") or []) if lot.get("sme_reserved") is True]
        if lots and all(lot.get("sme_reserved") for lot in facts.get("lots")):
            return
        where = "本项目"
        # a missing policy is reported on procurement documents, not on excerpts that never reach it
        if "中小企业" not in ctx.doc.text and (len(ctx.doc.blocks) < 150 or facts.get("method") is None):
            return
        anchor_loc = facts.evidence.get("sme_reserved")
        if anchor_loc is not None:
            yield _match_at(ctx, anchor_loc, {"where": where})
            return
        block = _anchor(ctx)
        if block is not None:
            yield Match(block, 0, len(block.norm), {"where": where}, document_level=True)

    def _reserved_deducts(self, ctx, sme):
        for d in sme.deductions:
            if d.kind != "small" or d.value == 0:
                continue
            block = ctx.doc.blocks[d.block]
            # the condition may sit in the sentence, the heading above it or the lead-in paragraph
            # ("对于非专门面向中小企业的项目……扣除比例如下：")
            sentence = " ".join((block.norm[max(0, d.start - 80):d.end + 10], *block.section[-2:],
                                 _lead_in(ctx.doc, block)))
            if any(w in sentence for w in ("非专门面向", "非预留", "未预留", "不专门面向", "如果", "对于", "若")):
                continue
            reserved = sme.reserved(d.lot)
            if reserved is True:
                r = next(x for x in sme.reservations if x.reserved and (d.lot is None or x.lot in (None, d.lot)))
                yield _match_at(ctx, d.location, {"value": _fmt(d.value), "lot_label": f"采购包{d.lot}" if d.lot else "本项目"},
                                (r.location,))

    def _rate_conflict(self, ctx, sme):
        seen: dict[str | None, object] = {}
        for d in sme.deductions:
            if d.kind != "small" or d.value == 0:
                continue
            first = seen.get(d.lot) or (seen.get(None) if d.lot else None)
            if first is None:
                seen[d.lot] = d
                continue
            if first.value != d.value:
                yield _match_at(ctx, d.location, {"value": _fmt(d.value), "first": _fmt(first.value),
                                                  "lot_label": f"采购包{d.lot}" if d.lot else "本项目"},
                                (first.location,))

    def _reserve_conflict(self, ctx, sme):
        seen: dict[str | None, object] = {}
        for r in sme.reservations:
            if r.partial:
                continue  # "部分专门面向" agrees both with the reserved items and the rest
            first = seen.get(r.lot)
            if first is None:
                seen[r.lot] = r
                continue
            if first.reserved != r.reserved:
                yield _match_at(ctx, r.location, {
                    "lot_label": f"采购包{r.lot}" if r.lot else "本项目",
                    "now": "专门面向中小企业" if r.reserved else "不专门面向中小企业",
                    "before": "专门面向中小企业" if first.reserved else "不专门面向中小企业"},
                    (first.location,))

    def _not_reserved(self, ctx, sme):
        if ctx.facts.get("method") in ("单一来源", "框架协议") or _RESERVE_EXCEPTION_DOC.search(ctx.doc.text):
            return
        for r in sme.reservations:
            if r.reserved or r.partial or r.implied:
                continue  # only a written "不专门面向中小企业" is reported
            block = ctx.doc.blocks[r.block]
            if _RESERVE_EXCEPTION.search(block.norm):
                return  # the statement gives its reason (46号 第六条)
            budget = ctx.facts.get("budget")
            yield _match_at(ctx, r.location, {"lot_label": f"采购包{r.lot}" if r.lot else "本项目",
                                              "budget_cn": _money(budget) if budget else "未知"})
            return


# 46号 第六条 exceptions, said next to the statement or anywhere in the document
_RESERVE_EXCEPTION = re.compile(r"不适宜|不宜|不适合|无法确保|难以确保|充分供应|充分竞争|第六条|第6条|原因|理由|"
                                r"专利|专有技术|基础设施|特定公共服务|非企业|框架协议")
_RESERVE_EXCEPTION_DOC = re.compile(r"不适宜由中小企业|不适宜专门面向|(?:无法|难以)确保充分供应|第六条(?:规定)?的情形|"
                                    r"不专门面向中小企业(?:采购)?的(?:原因|理由)")


class FactCompareCheck(Check):
    """`fact_compare`: one amount fact against another times a factor, per lot where lots state
    their own (e.g. 最高限价 above 预算金额); silent when either is unknown."""

    TYPE = "fact_compare"
    KEYS = {"fact", "op", "other", "factor"}

    def __init__(self, path: str, cfg: dict):
        super().__init__(path, cfg)
        from .base import OPS

        for key in ("fact", "op", "other"):
            if not cfg.get(key):
                raise RuleFileError(path, f"check.{key}", "缺少必填键")
        if cfg["op"] not in OPS:
            raise RuleFileError(path, "check.op", f"应为 {' / '.join(OPS)}")
        self.fact, self.op = fact_name(path, "check.fact", cfg["fact"]), cfg["op"]
        self.other = fact_name(path, "check.other", cfg["other"])
        self.factor = config_number(path, "check.factor", cfg.get("factor", 1))
        self.ops = OPS

    def run(self, ctx, rule):
        facts = ctx.facts
        lots = [(lot.get("lot"), lot) for lot in facts.get("lots") or []
                if lot.get(self.fact) is not None and lot.get(self.other) is not None]
        pairs = lots or [(None, facts.values)]
        for lot, vals in pairs:
            a, b = vals.get(self.fact), vals.get(self.other)
            if a is None or b is None:
                continue
            if self.ops[self.op](float(a), float(b) * self.factor):
                loc = facts.evidence.get(f"lots.{lot}.{self.fact}" if lot else self.fact)
                if loc is None:
                    continue
                yield _match_at(ctx, loc, {"a": _money(a), "b": _money(b),
                                           "lot_label": f"采购包{lot}" if lot else "本项目"})


def _money(v: float) -> str:
    return f"{v / 10000:g}万元" if v >= 10000 else f"{v:g}元"


class PeriodCheck(Check):
    """`period`: days (or working days, Mon–Fri) between two date facts against a minimum; the
    start day is not counted (87号令 第85条)."""

    TYPE = "period"
    KEYS = {"start", "end", "min", "unit", "inclusive", "label"}

    def __init__(self, path: str, cfg: dict):
        super().__init__(path, cfg)
        for key in ("start", "end", "min"):
            if cfg.get(key) is None:
                raise RuleFileError(path, f"check.{key}", "缺少必填键")
        self.start = fact_name(path, "check.start", cfg["start"])
        self.end = fact_name(path, "check.end", cfg["end"])
        self.min = int(cfg["min"])
        self.unit = cfg.get("unit", "days")
        if self.unit not in ("days", "working_days"):
            raise RuleFileError(path, "check.unit", "应为 days / working_days")
        self.inclusive = bool(cfg.get("inclusive"))
        # `label` names the period in the message ({what}); it may use {start_date} and {end_date}
        self.label = str(cfg.get("label") or "")

    def run(self, ctx, rule):
        facts = ctx.facts
        a, b = facts.get(self.start), facts.get(self.end)
        if not a or not b:
            return
        d1, d2 = date.fromisoformat(a), date.fromisoformat(b)
        if self.unit == "days":
            n = calendar_days_between(d1, d2) + (1 if self.inclusive else 0)
        else:
            from datetime import timedelta

            n = working_days_between(d1 - timedelta(days=1) if self.inclusive else d1, d2)
        if n >= self.min:
            return
        loc = facts.evidence.get(self.end) or facts.evidence.get(self.start)
        if loc is None:
            return
        yield _match_at(ctx, loc, {"start_date": a, "end_date": b, "count": str(n), "min": str(self.min),
                                   "unit_cn": "个工作日" if self.unit == "working_days" else "日",
                                   "what": self.label.replace("{start_date}", a).replace("{end_date}", b)},
                        tuple(x for x in (facts.evidence.get(self.start),) if x is not None))


class WhenCheck(Check):
    """`when`: an inner check run only when project facts are known and fit, e.g. a 磋商 period only for
    a document known to be 竞争性磋商, a reservation rule only for budgets ≤200万. Unlike `applies`
    (where an unknown fact lets the rule run), an unknown fact here keeps the check silent unless the
    condition lists null (`[false, null]`) or says `or_null: true`.

    facts: {fact: [allowed values], fact: {op: number or YYYY-MM-DD}}; document_has: regexes of which
    one must occur in the text; scope: sections for the inner check (overrides the rule's)."""

    TYPE = "when"
    KEYS = {"facts", "document_has", "scope", "check"}

    def __init__(self, path: str, cfg: dict):
        super().__init__(path, cfg)
        from . import build_check
        from .base import OPS, compile_list

        facts = cfg.get("facts") or {}
        if not isinstance(facts, dict):
            raise RuleFileError(path, "check.facts", "应为映射：事实名 → [取值] 或 {gt|ge|lt|le: 值}")
        self.conds = []
        for key, spec in facts.items():
            fact_name(path, "check.facts", key)
            if isinstance(spec, dict):
                for op in spec:
                    if op not in OPS and op != "or_null":
                        raise RuleFileError(path, f"check.facts.{key}.{op}", f"应为 {' / '.join(OPS)} 或 or_null")
            elif not isinstance(spec, list):
                raise RuleFileError(path, f"check.facts.{key}", "应为取值列表或 {op: 值}")
            if key == "regime" and isinstance(spec, list):
                from ..regime import expand

                spec = expand(spec) + (["eng"] if "eng" in spec else [])  # eng = both 招标投标法 classes
            self.conds.append((str(key), spec))
        self.ops = OPS
        self.document_has = compile_list(path, "check.document_has", cfg.get("document_has"))
        self.scope = None
        if cfg.get("scope") is not None:
            from ..rules import _parse_scope

            self.scope = _parse_scope(path, cfg["scope"])
        if not isinstance(cfg.get("check"), dict):
            raise RuleFileError(path, "check.check", "需要内层检查 {type: ...}")
        self.inner = build_check(path, cfg["check"])

    def terms(self) -> list[str]:
        return self.inner.terms()

    def _holds(self, facts) -> bool:
        for key, spec in self.conds:
            value = facts.get(key)
            if isinstance(spec, list):
                if value is None:
                    if None not in spec:
                        return False
                elif value not in [x for x in spec if x is not None]:
                    return False
                continue
            if value is None:
                if not spec.get("or_null"):
                    return False
                continue
            for op, operand in spec.items():
                if op == "or_null":
                    continue
                if isinstance(operand, date) or isinstance(value, str):
                    left, right = str(value), str(operand)
                else:
                    left, right = float(value), float(operand)
                if not self.ops[op](left, right):
                    return False
        return True

    def run(self, ctx, rule):
        if not self._holds(ctx.facts):
            return
        if self.document_has and not any(p.search(ctx.doc.text) for p in self.document_has):
            return
        yield from self.inner.run(ctx, replace(rule, scope=self.scope) if self.scope is not None else rule)


TYPES = (PriceWeightCheck, ScoreSumCheck, SmeRateCheck, SmePolicyCheck, FactCompareCheck, PeriodCheck, WhenCheck)


def _lead_in(doc, block, back: int = 3) -> str:
    """The nearest paragraph before ``block`` (same section, a few paragraphs back) that ends in a colon."""
    for i in range(block.index - 1, max(-1, block.index - 1 - back), -1):
        prev = doc.blocks[i]
        if prev.section != block.section:
            break
        if prev.norm.rstrip().endswith(":"):
            return prev.norm
    return ""
