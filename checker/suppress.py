"""Look-alikes the engine silences for every rule (catalog §3): prohibitions, quotations of law,
form templates, "或同等" openers, evidence-form sentences, post-award commitments, statutory text,
SME size-standard definitions and e-platform registration.

Each suppressor sees the sentence around a match and returns True to drop it; a rule opts out of
one with ``keep_in: [name]``.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .sentences import clause_end, clause_start

# Negators that govern what follows them in the same clause. 不限于 ("including but not limited
# to") is not a negation; neither are 不低于/不少于 (comparators).
_NEG_BEFORE = re.compile(
    r"不得|禁止|严禁|不应|不宜|不允许|不作为|不以|不将|无需|无须|不需|不要求|不限(?!于)|不限制|不接受|不设置?|"
    r"不含|不属于|不再|不予(?:考虑|设置)|取消|避免|杜绝|除[^,;。]{0,20}(?:外|以外)")
_NEG_AFTER = re.compile(r"^[^,;。]{0,12}?(?:不作为|不列为|不得作为|不纳入|不作要求|不做要求|不限|不受限|均可|不予考虑|除外|(?:本项目|本次采购|本包)?不适用(?!于))")
_LAW_QUOTE = re.compile(r"(?:根据|依据|按照|依照|参照|执行)《|《[^》]{2,40}》(?:\([^)]*\))?第[一二三四五六七八九十百零\d]{1,6}条")
_LAW_SECTION = re.compile(r"质疑|投诉|法律依据|名词解释|释义|术语|定义|政策依据|法律责任")
_TEMPLATE_SECTION = re.compile(
    r"声明函|承诺函|承诺书|(?:投标|响应|报价|磋商|谈判|询价|应答)文件(?:的)?格式|格式(?:文本|范本|文件)|填写说明|"
    r"授权委托书|附件[^,;。]{0,8}格式|(?:投标|响应)文件(?:应?由以下(?:部分|内容))?组成|(?:投标|响应)文件(?:内容)?(?:及|和)格式")
_BLANKS = re.compile(r"_{2,}|＿{2,}|\[\s*\]|\(\s*\)|□|…{2,}|\.{6,}")
_EQUIVALENT = re.compile(r"或同等|或相当|或等同|同等(?:及|或)以上|或其他(?:同等|相当)|或性能相当|或优于|或更优|相当于或优于|等同及以上")
_EVIDENCE_START = re.compile(r"^\s*(?:\d+[.、)]|\(\d+\))?\s*(?:投标人|供应商)?(?:须|应|需)?(?:提供|附|出具|提交|上传)")
# A sentence that awards points (提供…的得2分) is a scoring rule, not an evidence-form sentence.
_COMPARATOR = re.compile(r"不低于|不少于|不小于|以上|≥|>=|达到|超过|大于|满\d|至少|"
                         r"(?:得|加|计)\s*[(\[]?\d+(?:\.\d+)?(?:\s*[-~,至]\s*\d+(?:\.\d+)?)?[)\]]?\s*分")
_POST_AWARD = re.compile(r"中标(?:后|人|供应商|单位)|成交(?:后|人|供应商|单位)|合同签订后|签订合同后|签约后|履约(?:期间|过程中)|"
                         r"入场后|进场后|服务期内|合同期内|合同生效后|乙方")
_STATUTORY = re.compile(r"(?:前|近)\s*3\s*年内?[^。;]{0,25}(?:没有|无)[^。;]{0,6}重大违法|重大违法记录|失信被执行人|"
                        r"行贿犯罪|严重违法失信")

# SME size standards (工信部联企业〔2011〕300号 as quoted in 中小企业声明函 notes) and the 残疾人福利性
# 单位 definition state 从业人员/营业收入/职工 figures that classify firms; they are not thresholds.
_SIZE_METRIC = re.compile(r"从业人员|营业收入|资产总额|职工|员工|人数")
_SME_CLASS = re.compile(r"(?:中型|小型|微型|小微|中小)企业(?!.{0,4}(?:不得|除外))|划型|划分标准|"
                        r"残疾人福利性单位|安置(?:的)?残疾人|残疾人(?:职工|员工)")
# Accounts on an e-procurement or credit platform (在XX平台注册/登记): free and open to anyone.
_PLATFORM = re.compile(r"(?:平台|交易系统|网站|网上|系统)(?:上|中|内)?[^。;,]{0,6}?(?:完成|进行|办理)?(?:注册|登记|入库|开户)|"
                       r"(?:注册|登记)(?:为)?[^。;,]{0,8}(?:平台|系统)(?:用户|会员|账号)|CA(?:数字)?证书")


# "(事业单位除外)" right after a threshold exempts one class of bidder; the threshold binds the rest.
_CARVE_OUT = re.compile(r"\([^()]*除外$")


def prohibition(text: str, s: int, e: int, start: int, end: int, labels: str) -> bool:
    c0 = clause_start(text, s, start)
    if _NEG_BEFORE.search(text, c0, start):
        return True
    m = _NEG_AFTER.search(text[end:clause_end(text, end, e)])
    return bool(m) and not _CARVE_OUT.search(m.group())


# A company's or group's own rules (《中国某某集团供应商黑名单管理办法》) are the buyer's terms, not law.
_INTERNAL_RULES = re.compile(r"《[^》]{0,30}(?:集团|公司|银行|供应商)[^》]{0,30}》")
# "参照《…》执行," adopts a policy: the clauses after it are the document's own terms, not the law's words.
_ADOPTION_END = re.compile(r"(?:执行|实施|落实)[,;:]$")


def law_quote(text, s, e, start, end, labels) -> bool:
    if _LAW_SECTION.search(labels):
        return True
    m = _LAW_QUOTE.search(text, s, e)
    if not m or _INTERNAL_RULES.search(text, m.start(), m.end() + 40):
        return False
    c0 = clause_start(text, s, start)
    return not (m.end() <= c0 and _ADOPTION_END.search(text, m.end(), c0))


# A model text's placeholders (中国xxxx采购网, ×××公司): the whole paragraph or cell is boilerplate.
_PLACEHOLDER = re.compile(r"[xX×]{3,}")


@lru_cache(maxsize=64)
def _has_placeholder(text: str) -> bool:
    """Once per paragraph, not once per finding in it (a str caches its own hash)."""
    return bool(_PLACEHOLDER.search(text))


def template(text, s, e, start, end, labels) -> bool:
    return bool(_TEMPLATE_SECTION.search(labels) or _BLANKS.search(text, s, e) or _has_placeholder(text))


def equivalent(text, s, e, start, end, labels) -> bool:
    return bool(_EQUIVALENT.search(text, s, e))


def evidence(text, s, e, start, end, labels) -> bool:
    sentence = text[s:e]
    return bool(_EVIDENCE_START.match(sentence)) and not _COMPARATOR.search(sentence)


def post_award(text, s, e, start, end, labels) -> bool:
    return bool(_POST_AWARD.search(text, s, start))


def statutory(text, s, e, start, end, labels) -> bool:
    return bool(_STATUTORY.search(text, s, e))


def sme_size_standard(text, s, e, start, end, labels) -> bool:
    return bool(_SIZE_METRIC.search(text, start, end)) and bool(_SME_CLASS.search(text, s, e))


_PLATFORM_REACH = 12


def platform(text, s, e, start, end, labels) -> bool:
    """The match is (or directly follows) an account step on a platform. A later step of the same
    sentence, such as an approval the buyer gives before the file can be downloaded, is not."""
    return bool(_PLATFORM.search(text, max(s, start - _PLATFORM_REACH), min(e, end + _PLATFORM_REACH)))


SUPPRESSORS = {
    "prohibition": prohibition,
    "law_quote": law_quote,
    "template": template,
    "equivalent": equivalent,
    "evidence": evidence,
    "post_award": post_award,
    "statutory": statutory,
    "sme_size_standard": sme_size_standard,
    "platform": platform,
}


def suppressed_by(text: str, sentence: tuple[int, int], start: int, end: int, labels: str,
                  keep_in: frozenset[str]) -> str | None:
    """Name of the first suppressor that silences this match, or None."""
    s, e = sentence
    for name, fn in SUPPRESSORS.items():
        if name in keep_in:
            continue
        if fn(text, s, e, start, end, labels):
            return name
    return None
