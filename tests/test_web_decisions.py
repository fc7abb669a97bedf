"""Reviewer decisions saved by the server: kept on reload, carried to a re-upload and to a revised
draft of the same project, and the comparison of two drafts."""
from __future__ import annotations

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")

from checker.fingerprint import norm_excerpt  # noqa: E402
from checker.web import decide  # noqa: E402
from checker.web.project import identify  # noqa: E402
from tests.docbuild import SAMPLE  # noqa: E402
from tests.webapp import client, docx_bytes, only, upload  # noqa: E402




@pytest.fixture
def web(tmp_path, web_checker):
    return client(tmp_path, web_checker)


def _scale(web, cid):
    fs = web.get(f"/api/checks/{cid}/findings").json()
    return next((f for f in fs["findings"] if f["rule_id"] == "EXC-SCALE-001"), None), fs


def _decide(web, cid, fp, decision, note=""):
    return web.post(f"/api/checks/{cid}/decisions", json={"fingerprint": fp, "decision": decision, "note": note})


def test_false_alarm_with_note_is_kept_and_can_be_undone(web, tmp_path):
    cid = only(upload(web, ("招标文件.docx", docx_bytes(tmp_path))))["check_id"]
    f, before = _scale(web, cid)
    r = _decide(web, cid, f["fingerprint"], "false_alarm", "  行业主管部门规定的条件  ")
    assert r.json() == {"ok": True, "fingerprint": f["fingerprint"], "decision": "false_alarm",
                        "note": "行业主管部门规定的条件"}
    g, after = _scale(web, cid)
    assert g is None and len(after["findings"]) == len(before["findings"]) - 1
    assert after["false_alarms"][0]["note"] == "行业主管部门规定的条件"
    page = web.get(f"/checks/{cid}").text
    assert "已判定为误报的 1 项" in page and "行业主管部门规定的条件" in page and "另有 1 项已判定为误报" in page
    # the history's counts follow
    row = web.app.state.checker.store.check(cid)
    assert row["n_error"] == sum(1 for x in after["findings"] if x["severity"] == "error")
    assert row["n_error"] == sum(1 for x in before["findings"] if x["severity"] == "error") - 1
    _decide(web, cid, f["fingerprint"], "", "")
    h, again = _scale(web, cid)
    assert h is not None and h["decision"] == "" and not again["false_alarms"]


def test_accept_and_note_shown_on_the_report(web, tmp_path):
    cid = only(upload(web, ("a.docx", docx_bytes(tmp_path))))["check_id"]
    f, _ = _scale(web, cid)
    _decide(web, cid, f["fingerprint"], "accepted", "请改为具体的资质要求")
    page = web.get(f"/checks/{cid}").text
    assert f'data-fp="{f["fingerprint"]}"' in page
    assert 'data-decision="accepted" data-note="请改为具体的资质要求"' in page
    _decide(web, cid, f["fingerprint"], "", "只有备注")
    assert 'data-decision="" data-note="只有备注"' in web.get(f"/checks/{cid}").text


def test_bad_decisions_are_refused(web, tmp_path):
    cid = only(upload(web, ("a.docx", docx_bytes(tmp_path))))["check_id"]
    f, _ = _scale(web, cid)
    assert _decide(web, cid, f["fingerprint"], "maybe").status_code == 400
    assert _decide(web, cid, "0" * 32, "accepted").json()["error"].startswith("本次检查中没有这一项发现")
    r = web.post(f"/api/checks/{cid}/decisions", content=b"fingerprint=x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and r.json() == {"error": "判断应以 JSON 提交"}
    r = web.post(f"/api/checks/{cid}/decisions", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert _decide(web, cid, f["fingerprint"], "accepted", "长" * 2001).status_code == 400
    assert _decide(web, 999, f["fingerprint"], "accepted").status_code == 404


def test_decisions_survive_a_reupload_and_a_revised_draft(web, tmp_path):
    data = docx_bytes(tmp_path)  # built once: a zip written in another second has other bytes
    first = only(upload(web, ("招标文件.docx", data)))
    f, _ = _scale(web, first["check_id"])
    _decide(web, first["check_id"], f["fingerprint"], "false_alarm", "已核实")
    same = only(upload(web, ("另存的名字.docx", data)))
    assert same["carried_decisions"] == 1 and _scale(web, same["check_id"])[0] is None
    assert same["previous_id"] is None  # the same text is not a new draft to compare with
    # a revised draft: the heading above the clause renamed, a new restriction added, another one removed
    revised = [p if p != ("h2", "二、资格要求") else ("h2", "二、投标人资格要求") for p in SAMPLE]
    revised = [p for p in revised if "投标保证金" not in str(p)] + [("p", "投标人须在本市设有分支机构。")]
    draft2 = only(upload(web, ("招标文件（第二稿）.docx", docx_bytes(tmp_path, revised, "v2.docx"))))
    assert draft2["carried_decisions"] == 1
    assert _scale(web, draft2["check_id"])[0] is None
    assert draft2["previous_id"] == same["check_id"] and draft2["compare"]
    page = web.get(draft2["compare"]).text
    assert "两稿比较" in page
    old_rules = {x["rule_id"] for x in web.get(f"/api/checks/{same['check_id']}/findings").json()["findings"]}
    new_rules = {x["rule_id"] for x in web.get(f"/api/checks/{draft2['check_id']}/findings").json()["findings"]}
    assert "NUM-DEP-001" in old_rules and "NUM-DEP-001" not in new_rules
    fixed = page.split('id="fixed"')[1].split("</section>")[0]
    added = page.split('id="added"')[1].split("</section>")[0]
    remaining = page.split('id="remaining"')[1].split("</section>")[0]
    assert "NUM-DEP-001" in fixed and "NUM-DEP-001" not in added
    assert "EXC-SCALE-001" in remaining  # the false alarm is still in the text: unchanged
    assert "“本市设有”" in added
    history = web.get("/history").text
    assert f'/checks/{draft2["check_id"]}/compare' in history


def test_compare_without_an_earlier_draft(web, tmp_path):
    cid = only(upload(web, ("独立项目.docx", docx_bytes(tmp_path, [("p", "项目名称：某某独立采购项目"), *SAMPLE[2:]]))))
    r = web.get(f"/checks/{cid['check_id']}/compare")
    assert r.status_code == 404 and "没有更早的一稿" in r.text


def test_project_chosen_on_the_page_wins(web, tmp_path):
    a = only(upload(web, ("甲.docx", docx_bytes(tmp_path))))
    pid = web.app.state.checker.store.check(a["check_id"])["project_id"]
    other = [("p", "项目名称：完全不同的项目名称"), ("p", "投标人注册资本不少于人民币1000万元。")]
    b = only(upload(web, ("乙.docx", docx_bytes(tmp_path, other, "b.docx")), project=str(pid)))
    assert web.app.state.checker.store.check(b["check_id"])["project_id"] == pid
    assert b["previous_id"] == a["check_id"]


class _Doc:
    def __init__(self, *texts):
        self.blocks = [type("B", (), {"text": t})() for t in texts]


def test_project_identity():
    ident = identify(_Doc("某某招标文件", "项目编号：ZB-2024-017", "项目名称：某学校食堂服务采购项目"), "第二稿.docx")
    assert ident.keys == ("no:ZB-2024-017", "name:某学校食堂服务采购项目", "file:第二稿")
    assert ident.name == "某学校食堂服务采购项目" and ident.number == "ZB-2024-017"
    assert identify(_Doc("（采购编号：ABC123）"), "x.docx").number == "ABC123"
    plain = identify(_Doc("没有编号"), "食堂采购招标文件（修改稿）v2.docx")
    assert plain.keys == ("file:食堂采购招标文件",) and plain.number == ""


def _f(rule, excerpt, section):
    from checker.model import Finding, Location

    return Finding(rule, "error", "t", "m", excerpt, Location("x", section, 0, "paragraph", None, None, None, None, 0, len(excerpt)), (), "fix")


def test_resolve_exact_then_loose_once():
    from checker.fingerprint import fingerprints

    old = [_f("R-1", "注册资本 1000万元", ("旧标题",))]
    row = {"fingerprint": fingerprints(old)[0], "rule_id": "R-1", "passage": norm_excerpt("注册资本 1000万元"),
           "decision": "false_alarm", "note": "n"}
    # heading renamed: found by rule ID + passage; a second copy in the new draft is its own finding
    new = [_f("R-1", "注册资本1000万元", ("新标题",)), _f("R-1", "注册资本1000万元", ("另一章",))]
    chosen = decide.resolve(new, [row])
    assert list(chosen) == [fingerprints(new)[0]]
    from checker.model import FileResult

    applied = decide.apply(FileResult("x", "ok", findings=tuple(new)), [row])
    assert len(applied.findings) == 1 and applied.findings[0].location.section == ("另一章",)
    assert [(f.decision, f.note) for f in applied.hidden] == [("false_alarm", "n")]
    # the exact fingerprint wins over a loose match
    exact = dict(row, fingerprint=fingerprints(new)[1], decision="accepted")
    chosen = decide.resolve(new, [row, exact])
    assert chosen[fingerprints(new)[1]]["decision"] == "accepted"
    assert chosen[fingerprints(new)[0]]["decision"] == "false_alarm"


def test_a_moved_decision_does_not_pass_on_to_another_copy(web, tmp_path):
    """Draft 1 has the clause once (judged 误报). Draft 2 has it under a renamed heading and a second
    copy elsewhere: the first copy takes the old decision; judging it again supersedes the old one,
    so the second copy stays undecided."""
    first = only(upload(web, ("招标文件.docx", docx_bytes(tmp_path))))
    f, _ = _scale(web, first["check_id"])
    _decide(web, first["check_id"], f["fingerprint"], "false_alarm", "旧判断")
    renamed = [p if p != ("h2", "二、资格要求") else ("h2", "二、供应商资格") for p in SAMPLE]
    renamed += [("h2", "三、补充条款"), ("p", "投标人注册资本不少于人民币1000万元。")]
    second = only(upload(web, ("招标文件（第二稿）.docx", docx_bytes(tmp_path, renamed, "v2.docx"))))
    fs = web.get(f"/api/checks/{second['check_id']}/findings").json()
    copies = [x for x in fs["findings"] if x["rule_id"] == "EXC-SCALE-001"]
    assert len(copies) == 1 and [x["note"] for x in fs["false_alarms"]] == ["旧判断"]
    moved = fs["false_alarms"][0]["fingerprint"]
    _decide(web, second["check_id"], moved, "accepted", "改判")
    fs = web.get(f"/api/checks/{second['check_id']}/findings").json()
    decided = {x["fingerprint"]: (x["decision"], x["note"]) for x in fs["findings"] if x["rule_id"] == "EXC-SCALE-001"}
    assert decided[moved] == ("accepted", "改判")
    assert [v for k, v in decided.items() if k != moved] == [("", "")]
    # the first draft now shows the project's latest judgement of that clause
    old = web.get(f"/api/checks/{first['check_id']}/findings").json()
    assert [(x["decision"], x["note"]) for x in old["findings"] if x["rule_id"] == "EXC-SCALE-001"] == [("accepted", "改判")]
