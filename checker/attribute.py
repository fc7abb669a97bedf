"""The procurement attribute (货物 / 服务 / 工程) of a project, read into a facts reader."""
from __future__ import annotations

import re

from .fields import Field
from .model import Block

ATTR_MAP = {"货物": "goods", "服务": "services", "工程": "works"}
# 服务 as the attribute, not inside another word: 服务器 is hardware; 服务期/服务网点/服务热线 and 售后服务,
# 质保服务 are terms of goods contracts too
SERVICE_WORD = r"(?<!售后)(?<!质保)服务(?!器|期|网点|站|商|中心|热线|电话)"

_L_ATTR = re.compile(r"(?:项目|采购|标的|品目)(?:属性|类别|类型|类目)|所属品目|采购品目")
_ATTR_WORD = r"货物|" + SERVICE_WORD + "|工程"
_TICKED = "■☑√✓✔"
_STATED = re.compile(r"(?:属于|为)(货物|服务|工程)(?:类)?(?:项目|采购)")
# a form marked "(不适用)" is kept in the model text but says nothing about this project
_SME_FORM = re.compile(r"中小企业声明函\s*\((货物|服务|工程)\)(?!\s*(?:格式)?\s*\(不适用)")

# words of a project's name, tried in this order: "设备维保" is a service, "设备采购安装" goods
NAME_WORDS = (
    (re.compile(r"施工|工程(?!师)|改造|修缮|装修|光伏发电|总承包|EPC"), "works"),
    (re.compile(SERVICE_WORD + r"|物业|劳务|运维|维保|保洁|外包|咨询|监理|设计|审计|培训|餐饮|安保|代维"
                r"|软件开发|系统开发|研发|众测|渗透测试|测评|评估|数据(?:采购|查询|分析|处理)|运营"), "services"),
    (re.compile(r"设备|货物|采购.{0,6}(?:仪器|系统|家具|车辆|电脑|材料)|购置|电脑|图书|文献|报刊|期刊"), "goods"),
)
_L_NAME = re.compile(r"^(?:[\d一二三四五六七八九十]+[、.)]\s*)?(?:招标|采购|比选|磋商)?项目名称$")
# title lines that name a party, not the project: "招标代理机构：某工程设计服务有限公司"
_PARTY_LINE = re.compile(r"有限公司|有限责任公司|集团|代理机构|采购人|招标人|采购单位|招标单位")


def _attr(f: Field):
    value = f.value[:24]
    if re.search(f"[{_TICKED}□]", value):  # "□货物 ■服务": the ticked option, not the first one
        m = re.search(f"[{_TICKED}]\\s*({_ATTR_WORD})", value)
        return ATTR_MAP[m.group(1)] if m else None
    m = re.search(_ATTR_WORD, f.value[:12])
    return ATTR_MAP[m.group()] if m else None


def _ticked_attr(r) -> None:
    """A bare label line "项目属性：" with its options ticked on the lines below ("■服务" / "□货物")."""
    blocks = r.doc.blocks
    for b in blocks:
        if not (b.norm.endswith(":") and len(b.norm) <= 12 and _L_ATTR.search(b.norm)):
            continue
        for nb in blocks[b.index + 1:b.index + 4]:
            m = re.match(f"\\s*[{_TICKED}]\\s*({_ATTR_WORD})", nb.norm)
            if m:
                r.note("attribute", ATTR_MAP[m.group(1)], nb, *m.span(1))
                return


def project_names(r) -> list[tuple[Block, int, int]]:
    """Where the project is named, best first: the 项目名称 field, a quoted “…项目” in the opening
    lines, then the title lines (not those naming the buyer or the agency, nor scoring text)."""
    out = []
    for f in r.fields:
        if _L_NAME.match(f.label) and len(f.value) >= 4 and not re.match(r"(?:详)?见|_", f.value):
            out.append((f.block, f.start, f.start + len(f.value)))
            break
    for b in r.doc.blocks[:20]:
        m = re.search(r"“([^”]{4,40}项目)”", b.norm)
        if m:
            out.append((b, *m.span(1)))
            break
    for b in r.doc.blocks[:8]:
        if b.norm and b.table is None and not re.search(r"\d+分|评分|评审", b.norm) and not _PARTY_LINE.search(b.norm) \
                and not (":" in b.norm and not _L_NAME.match(b.norm.split(":")[0])):
            out.append((b, 0, len(b.norm)))
    return out


def _from_name(r) -> None:
    for block, start, end in project_names(r):
        text = block.norm[start:end]
        for rx, attr in NAME_WORDS:
            m = rx.search(text)
            if m:
                r.note("attribute", attr, block, start + m.start(), start + m.end())
                return


# the contract's own terms: a works contract has a 工期 and a 施工组织设计, goods a 交货期, services a 服务期
_TERMS = (("works", re.compile(r"工期|施工组织设计|工程量清单")), ("goods", re.compile(r"交货期|供货期|交货时间")),
          ("services", re.compile(r"服务期|服务期限")))


def _from_terms(r) -> None:
    """Last resort: the kind whose contract terms the document uses, when it uses them at least twice
    and at least twice as often as any other kind's."""
    text = r.doc.text
    counts = sorted(((len(rx.findall(text)), attr, rx) for attr, rx in _TERMS), key=lambda c: -c[0])
    (n, attr, rx), (second, _, _) = counts[0], counts[1]
    if n >= 2 and n >= 2 * second:
        b = next((b for b in r.doc.blocks if rx.search(b.norm)), None)
        if b is not None:
            m = rx.search(b.norm)
            r.note("attribute", attr, b, *m.span())
            r.values["attribute_from"] = "terms"


def _item_kind(name: str) -> str | None:
    for rx, attr in NAME_WORDS:
        if rx.search(name):
            return attr
    return None


def _from_items(r) -> None:
    from .attribute_items import dominant_item_kind

    found = dominant_item_kind(r.doc, _item_kind)
    if found is not None:
        attr, block, share = found
        r.note("attribute", attr, block)
        r.values["attribute_from"] = "items"
        r.values["attribute_share"] = round(share, 3)


def read_attribute(r) -> None:
    """The kind holding most of the money in a mixed items table; else the first of: a labelled field ("项目属性：服务"), ticked options, "属于服务类项目", the SME
    declaration form's kind, the words of the project's name, the contract's time-limit terms."""
    _from_items(r)
    for step in (lambda r: r.field_value("attribute", _L_ATTR, _attr), _ticked_attr,
                 lambda r: r.text_search("attribute", _STATED, 1, ATTR_MAP.get),
                 lambda r: r.text_search("attribute", _SME_FORM, 1, ATTR_MAP.get),
                 _from_name, _from_terms):
        if r.values["attribute"] is not None:
            return
        step(r)
