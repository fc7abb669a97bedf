"""SME policy statements (catalog §6): reservation (专门面向中小企业) and small/micro price deductions.

Law restatements ("由6%—10%提高至10%—20%") and ranges are kept apart from the value a document
chose ("本项目取15%"); form templates with blanks and checkboxes are read for what is ticked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Document, Location
from .numbers import Percent, iter_percent_ranges, iter_percents
from .scoring import lot_of

_SME_WORDS = re.compile(r"小微|小型|微型|中小企业|中小微|监狱企业|残疾人福利")
_DEDUCT = re.compile(r"扣除|价格优惠|评审优惠|\(1-\d+(?:\.\d+)?%\)|扣减|价格分加分|另加|加分")
_FORMULA = re.compile(r"\(\s*1\s*-\s*(\d+(?:\.\d+)?)%\s*\)")
_ALL_SMALL = re.compile(r"(?:各方|全部|均)(?:均|都)?(?:为|由)小(?:型|微)")
_CONSORTIUM = re.compile(r"联合体|分包|联合协议|分包意向")
_WORKS_BONUS = re.compile(r"价格(?:分|得分)[^。;]{0,12}(?:另加|加分|增加)|(?:另加|加计|加分)[^。;]{0,8}价格(?:分|得分)")
# percents that are shares or thresholds, not deduction rates
_SHARE_BEFORE = re.compile(r"(?:占|达到|比例|份额|不低于|不少于|超过|总额的?|金额的?)\s*$")
_SHARE_AFTER = re.compile(r"^\s*(?:\(含\))?(?:以上|以下|及以上|及以下|的(?:合同)?份额)")
_TEMPLATE_BLANK = re.compile(r"_{2,}|\[\s*\]|\(\s*\)|/%|给予/|给予\s*的")
_CONDITIONAL = re.compile(r"^(?:\d+[.、)]|\(\d+\))?\s*(?:如果|如|若|对于|凡|属于|未预留份额|预留份额)|(?:如果|若)本项目|的采购包|的项目|对(?:非)?预留份额|专门面向中小企业采购(?:的)?(?:部分|产品|内容)|清单中|未预留份额专门面向中小企业采购的(?:采购)?项目")
_NEGATED_DEDUCT = re.compile(r"不(?:再)?(?:执行|享受|给予|进行|适用)[^。;]{0,12}(?:价格)?扣除|无价格(?:优惠|扣除)|不(?:再)?(?:对|在)[^。;]{0,20}给予[^。;]{0,6}扣除|原价参与评审")

# "本项目为非专门面向中小企业采购的项目" declares the project's status: its "的项目" is not a condition
_DECLARED = re.compile(r"^(?:\d+[.、)]|\(\d+\))?\s*(?:本(?:采购)?项目|本次采购|本(?:采购)?包|(?:采购)?包\s*\d+|第\d+(?:采购)?包)\s*(?:为|属于|是|系)")
_RESERVED = re.compile(r"专门面向(?P<who>中小微企业|中小企业|小微企业|小型、?微型企业)")
_NOT_RESERVED = re.compile(r"(?:不|非|未|没有)\s*专门面向|面向大、?中、?小、?微|不(?:预留|专门)|非预留")
_BOX = re.compile(r"([□■☑√✔☐✓])\s*")
# "本项目部分专门面向中小企业采购": some items reserved, the project as a whole is not
_PARTIAL = re.compile(r"部分(?:采购(?:内容|包)?)?专门面向|部分面向中小企业")
# "落实政府采购政策需满足的资格要求：无": no reservation among the qualification requirements
_POLICY_NONE = re.compile(r"落实政府采购政策需满足的资格要求\s*:?\s*(?:无|不适用|/)\s*(?:[。;]|$)")
# "本工程应为中小企业或监狱企业…承建": only SMEs may carry out the work
_ONLY_SME = re.compile(r"本(?:工程|项目)[^。;]{0,6}(?:应|须|必须|应当|只能)(?:为|由)中小(?:微)?企业[^。;]{0,24}"
                       r"(?:承建|承接|承担|实施|提供|投标)")


@dataclass(frozen=True)
class Deduction:
    value: float
    kind: str  # "small" (小微) | "consortium" (联合体/分包) | "bonus" (工程：价格分另加)
    location: Location
    lot: str | None
    block: int
    start: int  # in block.norm
    end: int


@dataclass(frozen=True)
class Reservation:
    reserved: bool
    who: str  # 中小企业 / 小微企业 / ""
    location: Location
    lot: str | None
    block: int
    start: int
    end: int
    partial: bool = False  # some items or parts reserved, not the whole project or lot
    implied: bool = False  # read from other words ("政策需满足的资格要求：无"), not a "(不)专门面向" statement


@dataclass(frozen=True)
class SmeFacts:
    deductions: tuple[Deduction, ...]
    reservations: tuple[Reservation, ...]
    ranges_only: tuple[Location, ...]  # "给予10%-20%的扣除" with no chosen value
    refusals: tuple[Location, ...]     # "本项目不执行价格扣除"

    def small(self, lot: str | None = None) -> list[float]:
        vals = []
        for d in self.deductions:
            if d.kind == "small" and (lot is None or d.lot in (None, lot)) and d.value not in vals:
                vals.append(d.value)
        return vals

    def reserved(self, lot: str | None = None) -> bool | None:
        """The first explicit statement for this lot (or the whole project)."""
        for r in self.reservations:
            if lot is None or r.lot in (None, lot):
                return r.reserved
        return None


def _ticked(sentence: str) -> str:
    """A checkbox line with only the ticked options kept: '■专门面向 □中小■小微企业' → '专门面向小微企业'."""
    if not _BOX.search(sentence):
        return sentence
    parts = re.split(r"([□■☑√✔☐✓])", sentence)
    out = [parts[0]]
    for i in range(1, len(parts) - 1, 2):
        box, text = parts[i], parts[i + 1]
        if box in "■☑√✔✓":
            out.append(text)
    return "".join(out)


def _lot_context(doc: Document, block) -> str | None:
    for text in (block.norm[:30], *reversed(block.section)):
        lot = lot_of(text)
        if lot:
            return lot
    if block.table is not None:
        row = doc.tables[block.table].rows[block.row]
        for idx in row[:2]:
            if idx is not None and idx != block.index:
                lot = lot_of(doc.blocks[idx].norm[:20])
                if lot:
                    return lot
    return None


def _stated_reservation(sentence: str) -> tuple[bool, bool, bool] | None:
    """(reserved, partial, implied) from the wordings besides "(非)专门面向": a partial reservation, a
    policy requirement of "无", a clause that only SMEs may do the work."""
    if _PARTIAL.search(sentence):
        return False, True, False
    if _POLICY_NONE.search(sentence):
        return False, False, True
    if _ONLY_SME.search(sentence):
        return True, False, True
    return None


def read_sme(doc: Document) -> SmeFacts:
    deductions: list[Deduction] = []
    reservations: list[Reservation] = []
    ranges_only: list[Location] = []
    refusals: list[Location] = []
    for b in doc.blocks:
        text = b.norm
        if not text or not (_SME_WORDS.search(text) or "政策需满足" in text):
            continue
        template = bool(re.search(r"声明函|承诺函|格式", " ".join(b.section[-2:])))
        for sm in re.finditer(r"[^。;\n]+", text):
            s0 = sm.start()
            sentence = sm.group()
            loc = Location.of(doc, b, *b.to_original(s0, sm.end()))
            lot = lot_of(sentence[:40]) or _lot_context(doc, b)
            # reservation
            ticked = _ticked(sentence)
            stated = _stated_reservation(ticked)
            if not template and stated is not None:
                reserved, partial, implied = stated
                reservations.append(Reservation(reserved, "中小企业" if reserved else "", loc, lot, b.index, s0,
                                                sm.end(), partial, implied))
            elif not template and (_DECLARED.search(ticked) or not _CONDITIONAL.search(ticked)):
                neg = _NOT_RESERVED.search(ticked)
                pos = _RESERVED.search(ticked)
                if neg and (not pos or neg.start() <= pos.start()):
                    reservations.append(Reservation(False, "", loc, lot, b.index, s0, sm.end()))
                elif pos and not re.search(r"[□☐]", sentence[max(0, pos.start() - 2):pos.start()]):
                    who = "小微企业" if "小微" in pos.group("who") or "小型" in pos.group("who") else "中小企业"
                    reservations.append(Reservation(True, who, loc, lot, b.index, s0, sm.end()))
            # deduction
            if not _DEDUCT.search(sentence):
                continue
            # "价格扣除幅度…本项目取15%" names no enterprise size; the block around it does
            if not _SME_WORDS.search(sentence) and not ("价格扣除" in sentence and "节能" not in sentence):
                continue
            if _NEGATED_DEDUCT.search(sentence) and not _CONDITIONAL.search(sentence):
                refusals.append(loc)
                continue
            if template or _TEMPLATE_BLANK.search(sentence):
                continue
            kind = "consortium" if _CONSORTIUM.search(sentence) and not _ALL_SMALL.search(sentence) else "small"
            if _WORKS_BONUS.search(sentence):
                kind = "bonus"
            values = []
            # "评审价=报价×(1-10%)" is a rate, not the range "1-10%"
            for fm in _FORMULA.finditer(sentence):
                values.append(Percent(float(fm.group(1)), fm.start(1), fm.end(1) + 1))
            masked = _FORMULA.sub(lambda m: " " * len(m.group()), sentence)
            for p in iter_percents(masked):
                before, after = sentence[:p.start], sentence[p.end:]
                if _SHARE_BEFORE.search(before[-6:]) or _SHARE_AFTER.search(after):
                    continue
                if re.search(r"节能|环保|环境标志|本国产品", sentence[max(0, p.start - 20):p.start]):
                    continue
                values.append(p)
            if not values:
                if any(True for _ in iter_percent_ranges(masked)):
                    ranges_only.append(loc)
                continue
            if any(True for _ in iter_percent_ranges(masked)):
                # "幅度由6%-10%提高至10%-20%,本项目取15%": the chosen value follows the range
                values = values[-1:]
            for p in values:
                deductions.append(Deduction(p.value, kind, Location.of(doc, b, *b.to_original(s0 + p.start, s0 + p.end)),
                                            lot, b.index, s0 + p.start, s0 + p.end))
    return SmeFacts(tuple(deductions), tuple(reservations), tuple(ranges_only), tuple(refusals))
