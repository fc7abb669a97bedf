"""Reads a document's regime (catalog §2.1) and the policies it adopts, each with its evidence.

Who buys decides first: a company is never a 采购人 under 政府采购法 第15条, whatever template it copied,
and a 军队 buyer has its own regulations. Then the procedure: a company that runs a 招标 (招标公告, 投标人,
开标, 评标委员会) is under 招标投标法 (第2条); one that runs 询比/比选/磋商/谈判/单一来源 is not. 依法必须招标
is read for 工程建设项目 (works). A public buyer is 政府采购 unless its document only speaks 招标投标法.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Block, Document, Location

_COMPANY = re.compile(r"(?:有限(?:责任)?公司|股份有限公司|集团|银行|公司)(?:[^\s,，。;；:：]{0,12}(?:分公司|分行|支行|研究院|中心))?")
_AGENCY = re.compile(r"招标|咨询|代理|项目管理|造价|采购服务|工程管理|交易")
_PUBLIC = re.compile(r"人民政府|政府|局|委员会|办公室|学校|大学|医院|学院|中学|小学|幼儿园|海关|法院|检察院|"
                     r"管委会|管理委员会|(?<!公司)中心$|院$|所$|站$|馆$")
_MILITARY = re.compile(r"中国人民解放军|解放军|[0-9]{5}部队|部队|军队采购|武警|军队")
_BUYER_LINE = re.compile(r"(?:采购人|招标人|采购单位|招标单位|比选人|询比人|征询人|业主|建设单位)(?:名称)?\s*[:：为]\s*"
                         r"(?P<name>[^\s,，。;；|]{4,40})")
_TENDER_WORDS = re.compile(r"投标人|开标|评标委员会|中标人|招标公告|投标邀请")
_NON_TENDER = re.compile(r"询比|比选|征询|竞争性磋商|竞争性谈判|单一来源|询价")
_MANDATORY = re.compile(r"本(?:招标)?项目[^。;不非]{0,10}(?<![不非])(?:属于|为|系)依法必须(?:进行)?招标(?:的)?[^。;]{0,6}?项目|"
                        r"(?<![不非])依法必须(?:进行)?招标(?=[。;,，|)\s]|$)")
_NAME = re.compile(r"[\u4e00-\u9fa5()（）]{2,30}?(?:银行(?:股份有限公司|有限责任公司|有限公司)?|股份有限公司|有限责任公司|有限公司)(?:[\u4e00-\u9fa5]{0,12}?(?:分公司|分行|研究院))?")
_SME_ADOPT = re.compile(r"(?:小型|微型|小微)企业[^。;]{0,40}(?:价格)?扣除[^。;]{0,30}\d+(?:\.\d+)?%|"
                        r"财库\s*[\[〔(（]?\s*2020\s*[\]〕)）]?\s*46\s*号|政府采购促进中小企业发展管理办法")
_GP_SCORING_ADOPT = re.compile(r"财政部令\s*第?\s*87\s*号|政府采购货物和服务招标投标管理办法")


_TITLE_NAME_END = re.compile(r"\s|$|关于|20\d\d|[^。;,，]{0,30}(?:项目|采购|招标|比选|询比|征询)")
_NOT_NAME = re.compile(r"投标人|供应商|须|应|具有|要求|提供|通过|以")


@dataclass(frozen=True)
class RegimeReading:
    regime: str | None
    why: str
    evidence: Block | None = None
    adopts: dict | None = None


def _buyer_kind(name: str) -> str | None:
    if not name:
        return None
    if _MILITARY.search(name):
        return "military"
    if _COMPANY.search(name) and not _AGENCY.search(name) and not re.search(r"人民政府|局$|委员会$", name):
        return "company"
    if _PUBLIC.search(name):
        return "public"
    return None


def _buyer_from_text(doc: Document, limit: int = 120) -> tuple[str, Block | None]:
    """A 采购人/招标人 line near the start, else a company named in the title lines."""
    for b in doc.blocks[:limit]:
        m = _BUYER_LINE.search(b.norm)
        if m and _buyer_kind(m.group("name")):
            return m.group("name"), b
    for b in doc.blocks[:6]:
        m = _NAME.match(b.norm.strip())  # a title line opens with the buyer's name
        if m and _TITLE_NAME_END.match(b.norm.strip(), m.end()) and not _NOT_NAME.search(m.group()) \
                and _buyer_kind(m.group()) == "company":
            return m.group(), b
    return "", None


def _count(rx: re.Pattern, text: str) -> int:
    return len(rx.findall(text))


def _procedure(text: str, method: str | None) -> str:
    """'tender' when the document runs a 招标, 'other' for 询比/比选/磋商/谈判/单一来源/询价, '' unknown."""
    if method in ("公开招标", "邀请招标"):
        # a 采购文件 written throughout for 响应人, naming 招标 once in passing, is not run as a 招标
        if _count(re.compile("招标"), text) <= 2 and \
                _count(re.compile("响应人|响应文件"), text) > 5 * _count(_TENDER_WORDS, text):
            return "other"
        return "tender"
    if method and _NON_TENDER.search(method):
        return "other"
    head = text[:6000]
    if _NON_TENDER.search(head[:600]):
        return "other"
    return "tender" if _count(_TENDER_WORDS, text) >= 10 else ""


# 16号令 第五条: a 施工 contract is 依法必须招标 from an estimated 400万元
WORKS_THRESHOLD = 4_000_000


# 843号 第二条 binds projects paid with state money; a company's own funds ("资金来源：企业自筹") do not
_OWN_FUNDS = re.compile(r"资金来源\s*:?\s*(?:为)?(?:企业|公司|单位|业主|招标人)?(?:自筹|自有)")
_STATE_FUNDS = re.compile(r"国有资金|国家融资|财政(?:资金|性资金|拨款)|政府投资|中央预算内")


def _tender_regime(text: str, attribute: str | None, budget: float | None = None, company: bool = False) -> str:
    if _MANDATORY.search(text):
        return "eng-must"
    own_funds = company and _OWN_FUNDS.search(text) and not _STATE_FUNDS.search(text)
    if attribute == "works" and not (budget and budget < WORKS_THRESHOLD) and not own_funds:
        return "eng-must"
    return "eng-other"


# 政府采购法 第2条 covers purchases in the 集中采购目录 or above the 采购限额标准; a public buyer's tender
# that says it is below the threshold is a voluntary 招标 (招标投标法 第2条), whatever template it copied.
_BELOW_THRESHOLD = re.compile(r"限额(?:标准)?以下(?:的)?(?:交易|采购|招标)?项目|(?:未达到|低于|不足)[^。;]{0,8}(?:政府)?采购限额标准")


def _gp_signals(text: str) -> int:
    return _count(re.compile(r"政府采购"), text) + 5 * _count(re.compile(r"财库|政府采购法|财政部令"), text)


def read_regime(doc: Document, text: str, buyer: str | None, buyer_block: Block | None,
                method: str | None, attribute: str | None, budget: float | None = None) -> RegimeReading:
    name, block = (buyer, buyer_block) if _buyer_kind(buyer or "") else _buyer_from_text(doc)
    kind = _buyer_kind(name)
    procedure = _procedure(text, method)
    if kind == "military" or _count(_MILITARY, text[:20000]) >= 3:
        return RegimeReading("military", f"军队采购：{name or '文件中多处出现部队/军队采购'}", block)
    if kind == "company":
        if procedure == "tender":
            regime = _tender_regime(text, attribute, budget, company=True)
            return RegimeReading(regime, f"采购人为企业（{name}），以招标方式采购：招标投标法第二条", block)
        return RegimeReading("enterprise", f"采购人为企业（{name}），未采用招标方式", block)
    tl = _count(re.compile(r"招标投标法"), text)
    tenderer = _count(re.compile(r"招标人"), text) > _count(re.compile(r"采购人"), text)
    if (attribute == "works" or _MANDATORY.search(text)) and tenderer and (
            tl >= 1 or procedure == "tender" or _MANDATORY.search(text)):
        return RegimeReading("eng-must", f"工程招标（{name or '招标人'}）：招标投标法", block)
    if procedure == "tender" and _BELOW_THRESHOLD.search(text[:20000]):
        return RegimeReading("eng-other", f"限额以下项目的招标（{name or '招标人'}）：不属政府采购法调整范围，"
                                          "适用招标投标法第二条", block)
    gp = _gp_signals(text)
    if gp >= 5 or (gp >= 1 and "采购人" in text):
        return RegimeReading("gp", f"政府采购（{name or '采购人'}）", block)
    if procedure == "tender" and (tl >= 1 or tenderer):
        return RegimeReading(_tender_regime(text, attribute, budget), f"招标投标法招标（{name or '招标人'}）", block)
    return RegimeReading(None, "制度未能确定", block)


def _first(doc: Document, rx: re.Pattern) -> tuple[Block, re.Match] | None:
    for b in doc.blocks:
        m = rx.search(b.norm)
        if m:
            return b, m
    return None


def read_adopts(doc: Document, regime: str | None) -> dict:
    """Policies a non-政府采购 document declares it applies: key -> {text, where, location}."""
    if regime == "gp":
        return {}
    out = {}
    for key, rx in (("sme", _SME_ADOPT), ("gp_scoring", _GP_SCORING_ADOPT)):
        hit = _first(doc, rx)
        if hit:
            b, m = hit
            s, e = b.to_original(*m.span())
            loc = Location.of(doc, b, s, e)
            out[key] = {"text": b.text[max(0, s - 10):e + 20], "where": loc.describe(), "block": b.index}
    return out
