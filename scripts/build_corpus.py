"""Builds corpus/ (our own tender documents and their expected-findings sidecars) from corpus/src/*.yaml.

Usage:
    python scripts/build_corpus.py            # rebuild every document and sidecar
    python scripts/build_corpus.py 03-goods   # only documents whose name starts with this
    python scripts/build_corpus.py --golden   # rewrite tests/golden/*.json from the current checker

Each source (corpus/src/<name>.yaml) describes one document: format, project facts, and the clauses
of each chapter; the chapters every tender file has (公告, 须知前附表, 评标办法, 合同, 投标文件格式) are
assembled here from those values. A clause written ``[[RULE-ID|原文]]`` plants a problem: the brackets
are removed from the document and the sidecar <name>.expected.yaml records (rule_id, excerpt).

Output is deterministic: .docx core properties and zip timestamps are fixed, so a rebuild of an
unchanged source gives the same bytes. .pdf and .doc are made with LibreOffice from our .docx and are
only regenerated when that .docx changed (hash kept in corpus/.build/), since LibreOffice stamps dates.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SRC = CORPUS / "src"
CACHE = CORPUS / ".build"
GOLDEN_DIR = ROOT / "tests" / "golden"
# The three documents whose whole JSON output is pinned by tests/test_corpus_eval.py.
GOLDEN_DOCS = ("02-goods-open-scale.docx", "06-goods-tcn-brand.pdf", "01-goods-open-clean.docx")

MARK = re.compile(r"\[\[([A-Z0-9+-]+)\|(.+?)\]\]")
FIXED_TIME = datetime(2025, 1, 1, 0, 0, 0)
ZIP_TIME = (2025, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------------------------
# Vocabulary per procurement method: who bids, what the papers are called, who evaluates.
@dataclass(frozen=True)
class Words:
    notice: str      # chapter 1 title
    bidder: str      # 投标人 / 供应商
    docs: str        # 招标文件 / 磋商文件 …
    response: str    # 投标文件 / 响应文件
    committee: str   # 评标委员会 / 磋商小组 …
    method_ch: str   # chapter 3 title
    win: str         # 中标 / 成交
    quote: str       # 投标报价 / 磋商报价 …
    buyer: str       # 采购人 / 招标人


def is_eng(regime: str) -> bool:
    return regime.startswith("eng")


def words(method: str, regime: str) -> Words:
    if is_eng(regime):
        return Words("招标公告", "投标人", "招标文件", "投标文件", "评标委员会", "评标办法", "中标", "投标报价", "招标人")
    return {
        "公开招标": Words("招标公告", "投标人", "招标文件", "投标文件", "评标委员会", "评标办法", "中标", "投标报价", "采购人"),
        "竞争性磋商": Words("竞争性磋商公告", "供应商", "磋商文件", "响应文件", "磋商小组", "磋商办法", "成交", "磋商报价", "采购人"),
        "竞争性谈判": Words("竞争性谈判公告", "供应商", "谈判文件", "响应文件", "谈判小组", "谈判办法", "成交", "谈判报价", "采购人"),
        "询价": Words("询价公告", "供应商", "询价通知书", "响应文件", "询价小组", "评审办法", "成交", "报价", "采购人"),
        "询比": Words("询比采购公告", "供应商", "询比采购文件", "响应文件", "评审小组", "评审办法", "成交", "报价", "采购人"),
    }[method]


ATTR_CN = {"goods": "货物", "services": "服务", "works": "工程"}
INDUSTRY = {"goods": "工业", "services": "其他未列明行业", "works": "建筑业"}


# --------------------------------------------------------------------------------------------
# The document as a list of elements: ("h", level, text) | ("p", text) | ("t", rows)
@dataclass
class Doc:
    elements: list = field(default_factory=list)

    def h(self, level: int, text: str) -> None:
        self.elements.append(("h", level, text))

    def p(self, *texts: str) -> None:
        for t in texts:
            if t:
                self.elements.append(("p", t))

    def t(self, rows: list[list[str]]) -> None:
        self.elements.append(("t", rows))


def chapter_numbers():
    return iter("一二三四五六七八九十")


# The general qualification conditions each kind of buyer writes.
BASE_QUALS = {
    "gp": [
        "（一）具有独立承担民事责任的能力，提供营业执照等证明文件；",
        "（二）具有良好的商业信誉和健全的财务会计制度，提供2023年度财务审计报告或基本开户银行出具的资信证明；",
        "（三）具有履行合同所必需的设备和专业技术能力；",
        "（四）有依法缴纳税收和社会保障资金的良好记录；",
        "（五）参加政府采购活动前三年内，在经营活动中没有重大违法记录；",
        "（六）未被列入“信用中国”网站失信被执行人、重大税收违法失信主体名单，未被列入中国政府采购网政府采购严重违法失信行为记录名单；",
    ],
    "eng": [
        "（一）具备独立法人资格，持有有效的营业执照；",
        "（二）具有建设行政主管部门核发的建筑工程施工总承包三级及以上资质，并具有有效的安全生产许可证；",
        "（三）拟派项目经理须具有建筑工程专业二级及以上注册建造师执业资格，并具有有效的安全生产考核合格证书；",
        "（四）近三年内未被列入失信被执行人名单；",
    ],
    "company": [
        "（一）具有独立承担民事责任的能力，提供营业执照等证明文件；",
        "（二）具有履行合同所必需的设备和专业技术能力；",
        "（三）未被列入“信用中国”网站失信被执行人、重大税收违法失信主体名单；",
    ],
}


def build_document(spec: dict) -> Doc:
    """Assemble the full tender document from a source spec."""
    w = words(spec["method"], spec.get("regime", "gp"))
    v = dict(spec)
    v.setdefault("regime", "gp")
    gp, eng = v["regime"] == "gp", is_eng(v["regime"])
    attr = ATTR_CN[spec["attribute"]]
    bidder, docs, resp, comm, win, quote, buyer = (w.bidder, w.docs, w.response, w.committee, w.win,
                                                   w.quote, w.buyer)
    d = Doc()
    d.p(spec["buyer_name"], spec["project"], docs if spec["method"] != "询价" else "询价通知书",
        f"项目编号：{spec['code']}")
    cn = chapter_numbers()

    # ---- 第一章 公告 ----
    d.h(1, f"第{next(cn)}章 {w.notice}")
    d.p(f"{spec.get('agency', '某某招标代理有限公司')}受{spec['buyer_name']}委托，对{spec['project']}进行"
        f"{spec['method']}，欢迎合格的{bidder}参加。")
    d.h(3, "一、项目基本情况")
    d.p(f"项目编号：{spec['code']}", f"项目名称：{spec['project']}", f"采购方式：{spec['method']}",
        f"{spec.get('budget_label', '预算金额')}：{spec['budget_text']}")
    d.p(spec.get("max_price_text", "最高限价：同预算金额。"))
    for lot in spec.get("lots", []):
        d.p(f"{lot['name']}：{lot['content']}，预算金额{lot['budget']}。")
    d.p(f"采购需求：{spec['demand']}", f"合同履行期限：{spec.get('term', '自合同签订之日起12个月')}。")
    d.p(spec.get("consortium", f"本项目不接受联合体{'投标' if resp == '投标文件' else '参加'}。"))
    d.h(3, "二、申请人的资格要求")
    d.p(f"{bidder}应满足本{docs}第二章规定的资格条件。")
    if gp:
        d.p(spec.get("notice_sme", "落实政府采购政策需满足的资格要求：本项目落实促进中小企业发展等政府采购政策，"
                                   "详见第二章。"))
    d.h(3, f"三、获取{docs}")
    d.p(f"时间：{spec['get_from']}至{spec['get_to']}，每天上午9:00至11:30，下午14:00至17:00（北京时间，法定节假日除外）。",
        f"地点及方式：登录电子交易平台免费下载。{docs}售价：0元。")
    lowest = spec["method"] in ("竞争性谈判", "询价")
    eval_method = spec.get("eval_method", "最低报价成交" if lowest else "综合评分法")
    d.h(3, f"四、提交{resp}截止时间、开启时间和地点")
    d.p(f"截止时间：{spec['deadline']}上午9时30分（北京时间）。",
        f"地点：{spec.get('city', '某市')}公共资源交易中心第三开标室。")
    d.h(3, "五、公告期限")
    d.p(f"自本公告发布之日起{spec.get('notice_period', '5个工作日')}。")
    d.h(3, "六、其他补充事宜")
    d.p(*spec.get("notice_extra", []))
    d.p(f"公告发布日期：{spec['announce']}")
    d.h(3, "七、对本次采购提出询问，请按以下方式联系")
    d.p(f"{buyer}：{spec['buyer_name']}，地址：{spec.get('city', '某市')}{spec.get('address', '人民路18号')}，联系人：王老师，电话：0000-12345678。",
        f"采购代理机构：{spec.get('agency', '某某招标代理有限公司')}，联系人：李工，电话：0000-87654321。")

    # ---- 第二章 须知 ----
    d.h(1, f"第{next(cn)}章 {bidder}须知")
    d.h(3, f"一、{bidder}须知前附表")
    rows = [["条款号", "条目", "内容"],
            ["1", "项目名称", spec["project"]],
            ["2", "项目编号", spec["code"]],
            ["3", "采购方式", spec["method"]],
            ["4", "项目属性", attr],
            ["5", spec.get("budget_label", "预算金额"), spec["budget_text"]]]
    n = 6
    for label, key in (("最高限价", "table_max_price"), ("核心产品", "core_product")):
        if spec.get(key):
            rows.append([str(n), label, spec[key]])
            n += 1
    rows.append([str(n), f"{'投标' if resp == '投标文件' else '响应'}保证金", spec.get("bond_text", "本项目不收取保证金。")])
    n += 1
    rows.append([str(n), "履约保证金", spec.get("perf_text", "履约保证金为合同金额的5%，可采用银行保函、保险等非现金形式提交；"
                                                   "验收合格后10个工作日内无息退还。")])
    n += 1
    rows.append([str(n), "评审方法", eval_method])
    n += 1
    if gp:
        rows.append([str(n), "中小企业政策", spec.get("sme_row", "详见第三章")])
        n += 1
        rows.append([str(n), "采购标的所属行业", spec.get("industry", f"本项目采购标的对应的中小企业划分标准所属行业为：{INDUSTRY[spec['attribute']]}。")])
        n += 1
    rows.append([str(n), f"{resp}有效期", f"提交{resp}截止之日起90日"])
    n += 1
    rows.append([str(n), "是否接受进口产品", spec.get("import_text", "不接受")])
    n += 1
    rows.extend(spec.get("table_extra", []))
    d.t(rows)
    if spec.get("bond_text") and "不收取" not in spec["bond_text"]:
        d.p(f"保证金可采用转账、支票、汇票、本票或者金融机构、担保机构出具的保函等非现金形式提交，到账截止时间与提交{resp}截止时间一致。"
            f"未{win}{bidder}的保证金在{win}通知书发出之日起5个工作日内退还，{win}{bidder}的保证金在合同签订之日起5个工作日内退还。")

    d.h(3, f"二、合格的{bidder}（资格要求）")
    quals = spec.get("qualification_base", BASE_QUALS["gp" if gp else "eng" if eng else "company"])
    d.p(*quals)
    d.p(*spec.get("qualification", []))
    if gp:
        d.p(spec.get("qual_note", "采购人不得将投标人的注册资本、资产总额、营业收入、从业人员、利润、纳税额等规模条件作为资格要求或者评审因素。"))
    d.h(3, f"三、{resp}的编制")
    d.p(f"{bidder}应按照本{docs}第六章规定的格式编制{resp}，{resp}应加盖{bidder}公章。",
        f"{bidder}应在{resp}中注明所投产品或服务的名称、规格、数量和报价。")
    d.p(*spec.get("prep_extra", []))
    d.h(3, f"四、{resp}无效的情形")
    d.p(f"有下列情形之一的，{resp}无效：",
        f"（一）未按照{docs}要求提交保证金的；" if spec.get("bond_text") and "不收取" not in spec["bond_text"] else "",
        f"（二）{resp}未按{docs}要求签署、盖章的；",
        f"（三）不具备{docs}中规定的资格要求的；",
        f"（四）报价超过{docs}中规定的预算金额或者最高限价的；",
        f"（五）{resp}含有{buyer}不能接受的附加条件的。")
    d.p(*spec.get("invalid_extra", []))
    d.h(3, "五、信用记录查询")
    d.p(f"{'招标代理机构' if eng else '采购代理机构'}将于提交{resp}截止当日，通过“信用中国”网站和"
        f"{'全国建筑市场监管公共服务平台' if eng else '中国政府采购网'}查询{bidder}的信用记录，并将查询网页截图存档。")
    if spec.get("site_visit", True):
        d.p(f"{buyer}不组织集中现场踏勘，{bidder}可自行了解现场情况，不参加踏勘不影响其{'投标' if resp == '投标文件' else '响应'}。")

    # ---- 第三章 评审办法 ----
    d.h(1, f"第{next(cn)}章 {w.method_ch}")
    d.h(3, "一、评审方法")
    d.p(*spec.get("method_text", [
        f"本项目采用{eval_method}。{comm}由{spec.get('committee_size', '5人')}组成，"
        f"其中评审专家不少于成员总数的三分之二。"]))
    if spec.get("scoring"):
        d.h(3, "二、评分标准")
        d.p(*spec.get("scoring_intro", []))
        srows = [["评分项", "分值", "评分标准"]] + [list(r) for r in spec["scoring"]]
        d.t(srows)
        d.p(*spec.get("scoring_after", []))
    d.h(3, "三、政府采购政策" if gp else "三、其他评审规定")
    d.p(*spec.get("sme", []))
    d.h(3, f"四、确定{win}{bidder}")
    d.p(*spec.get("award", [
        f"{comm}从质量和服务均能满足{docs}实质性响应要求的{bidder}中，按照最后报价由低到高的顺序提出3名以上{win}候选人，"
        f"{buyer}确定报价最低的候选人为{win}{bidder}。报价相同的，由{buyer}采取随机抽取的方式确定。"] if lowest else [
        f"{comm}按评审得分由高到低顺序推荐{win}候选人。得分且报价相同的，按技术部分得分由高到低顺序推荐；"
        f"得分、报价和技术部分得分均相同的，由{buyer}采取随机抽取的方式确定。"]))
    d.p(*spec.get("award_extra", []))

    # ---- 第四章 采购需求 ----
    d.h(1, f"第{next(cn)}章 {'技术标准和要求' if eng else '采购需求'}")
    d.h(3, "一、项目概况")
    d.p(spec["overview"])
    d.h(3, "二、技术要求")
    d.p(*spec.get("requirements", []))
    if spec.get("req_table"):
        d.t(spec["req_table"])
    d.h(3, "三、商务要求")
    d.p(*spec.get("commercial", [
        "（一）交付期限：合同签订后30日内完成供货、安装和调试。",
        "（二）交付地点：采购人指定地点。",
        "（三）质保期：验收合格之日起不少于3年。",
        "（四）验收标准：按照国家有关标准和本采购需求进行验收。"]))

    # ---- 第五章 合同条款 ----
    d.h(1, f"第{next(cn)}章 合同主要条款")
    d.h(3, "一、合同价款与支付")
    d.p(*spec.get("payment", [
        "合同价款为成交价，包含完成本项目所需的全部费用。",
        "付款方式：合同签订后10个工作日内支付合同金额的30%作为预付款；验收合格并收到发票后30日内支付剩余款项。"]))
    d.h(3, "二、履约保证金")
    d.p(*spec.get("perf_contract", [
        f"{win}{bidder}应在合同签订前提交履约保证金，履约保证金在验收合格后10个工作日内无息退还；{buyer}逾期退还的，应按合同约定承担违约责任。"]))
    d.h(3, "三、违约责任")
    d.p(f"任何一方违反合同约定的，应向对方支付合同金额5%的违约金；违约金不足以弥补损失的，还应赔偿损失。",
        f"合同履行中发生争议的，双方协商解决；协商不成的，向{buyer}所在地人民法院提起诉讼。")
    d.p(*spec.get("contract_extra", []))

    # ---- 第六章 格式 ----
    d.h(1, f"第{next(cn)}章 {resp}格式")
    d.h(3, f"一、{'投标函' if resp == '投标文件' else '响应函'}")
    d.p(f"致：{spec['buyer_name']}",
        f"我方已仔细研究{spec['project']}{docs}的全部内容，愿意以人民币（大写）________元（¥________）的报价参加本项目，"
        f"并承诺在{resp}有效期内不修改、撤销{resp}。",
        f"{bidder}名称（盖章）：________　日期：____年__月__日")
    d.h(3, "二、法定代表人授权书")
    d.p(f"本人________（姓名）系________（{bidder}名称）的法定代表人，现委托________（姓名）为我方代理人，"
        f"代理人根据授权，以我方名义签署、澄清、递交、撤回、修改{resp}。")
    if gp:
        d.h(3, "三、中小企业声明函")
        what = {"goods": "货物", "services": "服务", "works": "工程"}[spec["attribute"]]
        if spec["attribute"] == "goods":
            d.p(f"本公司（联合体）郑重声明，根据《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）的规定，"
                f"本公司（联合体）参加{spec['buyer_name']}的{spec['project']}采购活动，提供的货物全部由符合政策要求的中小企业制造。"
                "相关企业（含联合体中的中小企业、签订分包意向协议的中小企业）的具体情况如下：",
                "1.________（标的名称），属于________（采购文件中明确的所属行业）行业；制造商为________（企业名称），"
                "从业人员____人，营业收入为____万元，资产总额为____万元，属于________（中型企业、小型企业、微型企业）；")
        else:
            d.p(f"本公司（联合体）郑重声明，根据《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）的规定，"
                f"本公司（联合体）参加{spec['buyer_name']}的{spec['project']}采购活动，{what}全部由符合政策要求的中小企业承接。"
                "相关企业的具体情况如下：",
                f"1.________（标的名称），属于________（采购文件中明确的所属行业）行业；承接企业为________（企业名称），"
                "从业人员____人，营业收入为____万元，资产总额为____万元，属于________（中型企业、小型企业、微型企业）；")
        d.p("以上企业，不属于大企业的分支机构，不存在控股股东为大企业的情形，也不存在与大企业的负责人为同一人的情形。",
            "本企业对上述声明内容的真实性负责。如有虚假，将依法承担相应责任。",
            "企业名称（盖章）：________　日期：____年__月__日",
            "注：从业人员、营业收入、资产总额填报上一年度数据，无上一年度数据的新成立企业可不填报。")
        d.h(3, "四、资格声明")
        d.p(f"我方参加本次政府采购活动前三年内，在经营活动中没有重大违法记录；我方未被列入失信被执行人、重大税收违法失信主体、"
            f"政府采购严重违法失信行为记录名单。如有不实，我方愿承担相应法律责任。",
            f"{bidder}名称（盖章）：________")
    d.p(*spec.get("forms_extra", []))
    return d


# --------------------------------------------------------------------------------------------
# Markers → expected findings
def strip_marks(text: str, found: list[tuple[str, str]]) -> str:
    def repl(m):
        for rule in m.group(1).split("+"):
            found.append((rule, m.group(2)))
        return m.group(2)

    return MARK.sub(repl, text)


def resolve(doc: Doc) -> tuple[Doc, list[tuple[str, str]]]:
    found: list[tuple[str, str]] = []
    out = Doc()
    for el in doc.elements:
        if el[0] == "h":
            out.h(el[1], strip_marks(el[2], found))
        elif el[0] == "p":
            out.p(strip_marks(el[1], found))
        else:
            out.t([[strip_marks(c, found) for c in row] for row in el[1]])
    return out, found


# --------------------------------------------------------------------------------------------
# Writers
def _set_east_asian_font(docx_doc, name: str = "宋体") -> None:
    from docx.oxml.ns import qn

    for style_name in ("Normal",) + tuple(f"Heading {i}" for i in range(1, 4)) + ("Title",):
        try:
            style = docx_doc.styles[style_name]
        except KeyError:
            continue
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), name)


def write_docx(doc: Doc, path: Path, headings: str, title: str) -> None:
    import docx
    from docx.shared import Pt

    d = docx.Document()
    _set_east_asian_font(d)
    for el in doc.elements:
        if el[0] == "h":
            if headings == "styles":
                d.add_heading(el[2], level=min(el[1], 3))
            else:  # numbering only: a bold body paragraph; the reader must find the outline from 第一章/一、
                para = d.add_paragraph()
                run = para.add_run(el[2])
                run.bold = True
                if el[1] == 1:
                    run.font.size = Pt(16)
        elif el[0] == "p":
            d.add_paragraph(el[1])
        else:
            rows = el[1]
            table = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
    cp = d.core_properties
    cp.author = "tender-check corpus"
    cp.last_modified_by = "tender-check corpus"
    cp.title = title
    cp.created = FIXED_TIME
    cp.modified = FIXED_TIME
    cp.last_printed = FIXED_TIME
    cp.revision = 1
    buf = io.BytesIO()
    d.save(buf)
    path.write_bytes(_stable_zip(buf.getvalue()))


def _stable_zip(data: bytes) -> bytes:
    """Re-pack a zip with fixed timestamps and member order so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def write_txt(doc: Doc, path: Path, encoding: str) -> None:
    lines: list[str] = []
    for el in doc.elements:
        if el[0] == "h":
            lines.append(el[2])
        elif el[0] == "p":
            lines.append(el[1])
        else:
            for row in el[1]:
                lines.append("| " + " | ".join(c.replace("|", "／") for c in row) + " |")
    text = ("\r\n".join(lines) + "\r\n").translate(_GBK_SAFE) if encoding.lower() in ("gbk", "gb2312") \
        else "\r\n".join(lines) + "\r\n"
    path.write_bytes(text.encode(encoding))


# Characters outside GBK that our templates use, and the full-width forms a GBK file would carry.
_GBK_SAFE = str.maketrans({"¥": "￥", "²": "2"})


def soffice_convert(src: Path, fmt: str, out_path: Path) -> None:
    """Convert our .docx with LibreOffice (private profile, so parallel sessions do not collide)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("需要 LibreOffice（soffice）来生成 .pdf/.doc")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
               "--outdir", tmp, str(src)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=180)
        produced = Path(tmp) / (src.stem + "." + fmt.split(":")[0])
        shutil.copyfile(produced, out_path)


def write_converted(doc: Doc, out: Path, headings: str, title: str, fmt: str) -> None:
    CACHE.mkdir(exist_ok=True)
    tmp_docx = CACHE / (out.stem + ".docx")
    write_docx(doc, tmp_docx, headings, title)
    digest = hashlib.sha256(tmp_docx.read_bytes()).hexdigest()
    stamp = CACHE / (out.name + ".sha256")
    if out.exists() and stamp.exists() and stamp.read_text().strip() == digest:
        tmp_docx.unlink()
        return
    soffice_convert(tmp_docx, fmt, out)
    stamp.write_text(digest + "\n")
    tmp_docx.unlink()


# --------------------------------------------------------------------------------------------
def load_sources(prefix: str | None = None) -> list[dict]:
    specs = []
    for src in sorted(SRC.glob("*.yaml")):
        spec = yaml.safe_load(src.read_text(encoding="utf-8"))
        spec.setdefault("name", src.stem)
        if prefix and not spec["name"].startswith(prefix):
            continue
        specs.append(spec)
    return specs


EXT = {"docx": ".docx", "pdf": ".pdf", "doc": ".doc", "txt": ".txt"}


def build_one(spec: dict) -> Path:
    doc, found = resolve(build_document(spec))
    fmt = spec.get("format", "docx")
    out = CORPUS / (spec["name"] + EXT[fmt])
    headings = spec.get("headings", "styles")
    if fmt == "docx":
        write_docx(doc, out, headings, spec["project"])
    elif fmt == "txt":
        write_txt(doc, out, spec.get("encoding", "gbk"))
    elif fmt == "pdf":
        write_converted(doc, out, headings, spec["project"], "pdf:writer_pdf_Export")
    elif fmt == "doc":
        write_converted(doc, out, headings, spec["project"], "doc:MS Word 97")
    sidecar = {
        "document": out.name,
        "description": spec.get("description", "").strip(),
        "findings": [{"rule_id": r, "excerpt": e} for r, e in found],
        "facts": spec.get("facts", {}),
    }
    (CORPUS / (spec["name"] + ".expected.yaml")).write_text(
        "# 由 scripts/build_corpus.py 从 corpus/src/" + spec["name"] + ".yaml 生成，请改源文件后重新生成\n"
        + yaml.safe_dump(sidecar, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    return out


def write_golden() -> None:
    """Pin the whole JSON findings of three documents (review the diff before committing)."""
    from checker.api import build_engine, scan_file
    from checker.evaluate import golden_view

    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    engine = build_engine()
    for name in GOLDEN_DOCS:
        result = scan_file(str(CORPUS / name), engine)
        data = golden_view(result)
        (GOLDEN_DIR / (name + ".json")).write_text(
            json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"golden: tests/golden/{name}.json ({len(data['findings'])} findings)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("prefix", nargs="?", help="只生成名称以此开头的文档")
    ap.add_argument("--golden", action="store_true", help="重写 tests/golden/*.json（不重新生成文档）")
    args = ap.parse_args(argv)
    if args.golden:
        sys.path.insert(0, str(ROOT))
        write_golden()
        return 0
    specs = load_sources(args.prefix)
    names = set()
    for spec in specs:
        if spec["name"] in names:
            raise SystemExit(f"重复的文档名 {spec['name']}")
        names.add(spec["name"])
        out = build_one(spec)
        print(f"built {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
