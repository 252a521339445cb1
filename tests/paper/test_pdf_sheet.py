"""Record sheets as PDF: laid out from the form definitions, every font embedded, flowing over
pages with the header repeated, and the CLI's `sheet` command."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import datetime

import paper_data as pd
import pytest

from liaison_desk import forms
from liaison_desk.errors import BadInput
from liaison_desk.forms import load_form_file
from liaison_desk.paper.batch import write_sheets
from liaison_desk.paper.fonts import register_fonts
from liaison_desk.paper.layout import text_width, wrap
from liaison_desk.paper.sheet import sheet_pdf
from liaison_desk.paper.sheet_content import month_sheets, sheet_content
from liaison_desk.store import storage
from liaison_desk.store.models import Cadre, Sheet


def test_wulian_qijin_sheet_prints_the_paper_form_with_the_months_activities(data):
    pdf, _spot = sheet_pdf(sheet_content(data.leader, pd.MONTH), "测试学院")
    page = pd.pages_text(pdf)[0]
    assert "领导班子成员“五联七进”工作记录表" in page
    assert "填表时间：2025年10月" in page
    assert "姓名" in page and data.leader in page and "职务" in page and "党委书记" in page
    for label in ("五个联系", "七个走进", "群体名称", "载体名称", "工作简况", "党总支", "院系班子", "党支部", "教研室",
                  "青年教师", "进课堂", "进班级", "进宿舍", "进食堂", "进社团", "进讲座", "进网络"):
        assert label in page, label
    assert "参加护理系党总支中心组学习" in page and "10月9日" in page
    # Two dorm visits in the one 进宿舍 row, in date order; the problem found goes with its visit.
    first, second = page.index("第一次走访宿舍"), page.index("第二次走访宿舍")
    assert first < second
    assert "发现问题：热水供应不稳定" in page
    # A category without a fixed row goes to 其他联系活动, with its people count.
    assert "其他联系活动" in page and "与赵小六谈心，了解考研准备（2人次）" in page
    assert "本人签字" in page and "日期" in page


def test_other_activities_section_is_left_out_when_the_month_has_none(data):
    content = sheet_content(data.leader, pd.MONTH)
    sections = [s for s in content.sections if s.section.title == "其他联系活动"]
    bare = replace(content, sections=tuple(replace(s, lines=()) if s in sections else s for s in content.sections))
    assert "其他联系活动" not in pd.text(sheet_pdf(bare)[0])


def test_santeyiti_sheet_shows_specialties_carriers_and_work_text(data):
    pdf, _ = sheet_pdf(sheet_content(data.middle, pd.MONTH), "测试学院")
    page = pd.pages_text(pdf)[0]
    assert "中层干部“三特一体”工作记录表" in page
    for label in ("姓名", "部门", "学生工作部", "职务", "部长", "特长", "三项可选一项及以上填写", "工作职能",
                  "业务主体", "个人专长", "自主选择", "联系载体", "教师", "学生", "工作内容"):
        assert label in page, label
    assert "护理系教工党支部" in page and "2023级护理3班" in page
    assert "本月发现部分宿舍热水供应不稳定，已协调后勤处维修。" in page
    assert "随堂听课并与任课教师交流" in page and "与三名毕业生谈心，疏导就业压力（3人次）" in page


def test_a_long_month_flows_onto_more_pages_with_the_header_repeated(ledger):
    data = pd.build(ledger, long_month=True)
    pdf, spot = sheet_pdf(sheet_content(data.leader, pd.MONTH))
    pages = pd.pages_text(pdf)
    assert len(pages) >= 2
    for n, page in enumerate(pages[1:], start=2):
        assert "领导班子成员“五联七进”工作记录表" in page and data.leader in page and "姓名" in page
        assert "（续表）" in page and f"第{n}页共{len(pages)}页" in page
    # The section that continues repeats its column headings; every activity is printed once.
    assert "载体名称" in pages[1]
    everything = "".join(pages)
    assert all(everything.count(f"第{i}次：") == 1 for i in range(1, 31))
    # The signature block comes once, on the last page, where the digital stamp would go too.
    assert "本人签字" not in pages[0] and "本人签字" in pages[-1]
    assert spot.page == len(pages) - 1


def test_every_font_is_embedded_and_no_viewer_font_is_needed(data):
    pdf, _ = sheet_pdf(sheet_content(data.middle, pd.MONTH))
    found = pd.fonts(pdf)
    assert found and all(found.values()), found
    assert not any(name.lstrip("/") in ("Helvetica", "Times-Roman", "STSong-Light") for name in found)


def test_long_chinese_text_wraps_within_its_width_and_keeps_punctuation_off_line_starts():
    _sans, song = register_fonts()
    lines = wrap(pd.LONG, song, 10.5, 150)

    assert len(lines) > 3 and "".join(lines) == pd.LONG
    assert all(text_width(line, song, 10.5) <= 150 + 10.5 for line in lines)  # a hanging comma at most
    assert not any(line[0] in "，。、；：）" for line in lines)


def test_unsigned_sheet_has_lines_to_sign_by_hand_and_signed_one_the_image_and_date(data):
    content = sheet_content(data.leader, pd.MONTH)
    unsigned = pd.pages_text(sheet_pdf(content)[0])[-1]
    assert "本人签字：" in unsigned and "年月日" in unsigned
    png = pd.signature_png()
    signed = replace(content, status="signed", signed_at=datetime(2025, 11, 3, 9, 30), signature=png,
                     sealed_hash="ab" * 32)
    pdf = sheet_pdf(signed)[0]
    last = pd.pages_text(pdf)[-1]
    assert "2025年11月3日" in last and "已签字封存" in last and "abababab" in last
    assert pd.images_on(pdf, 0) == 1
    assert pd.images_on(sheet_pdf(content)[0], 0) == 0


def test_branch_contact_form_lists_assigned_branches_and_persons(tmp_path):
    from liaison_desk.ledger import settings

    storage.open_database(tmp_path / "jl.sqlite3")
    try:
        policy = settings.init("jljtxy-2018", "吉林交通职业技术学院")
        data = pd.build(policy)
        pdf, _ = sheet_pdf(sheet_content(data.leader, pd.MONTH))
        page = pd.pages_text(pdf)[0]
        assert "党员领导干部联系党支部、联系师生工作记录表" in page
        assert "党员领导干部姓名" in page and data.leader in page
        assert "联系对象" in page and "护理系学生第一党支部" in page
        assert "陈青" in page and "赵小六" in page  # 个人 lists persons and young teachers
        assert "联系工作开展情况" in page and "具体联系情况" in page and "参加护理系党总支中心组学习" in page
    finally:
        storage.close_database()


def test_a_new_form_file_prints_without_new_code(ledger, tmp_path, monkeypatch):
    data = pd.build(ledger)
    path = tmp_path / "visit-log.toml"
    path.write_text("""
id = "visit-log"
title = "走访记录簿"
source = "测试用表"
header = [{ key = "cadre.name", label = "走访人" }, { key = "cadre.unit", label = "单位" }]

[[sections]]
title = "宿舍与课堂"
kind = "rows"
columns = [{ key = "date", label = "日期", width = 1 }, { key = "summary", label = "情况", width = 4 }]
rows = [{ label = "宿舍", category = "进宿舍" }, { label = "课堂", category = "进课堂" }]

[[sections]]
title = "联系的班级"
kind = "assigned"
rows = [{ label = "班级", target_kinds = ["班级"] }]

[[sections]]
title = "心得体会"
kind = "text"
key = "thoughts"
""", encoding="utf-8")
    known = forms.all_forms()
    custom = load_form_file(path)
    monkeypatch.setattr(forms, "all_forms", lambda: {**known, "visit-log": custom})
    leader = Cadre.get(Cadre.name == data.leader)
    Sheet.update(form="visit-log", fields=json.dumps({"thoughts": "学生最关心就业"}, ensure_ascii=False)).where(
        (Sheet.cadre == leader) & (Sheet.month == pd.MONTH)).execute()  # test set-up: switch the form
    page = pd.text(sheet_pdf(sheet_content(data.leader, pd.MONTH))[0])
    for expected in ("走访记录簿", "走访人", data.leader, "单位", "校领导班子", "宿舍与课堂", "宿舍", "课堂",
                     "第一次走访宿舍", "第二次走访宿舍", "联系的班级", "护理2301班", "心得体会", "学生最关心就业"):
        assert expected in page, expected


def test_month_sheets_are_gathered_for_every_cadre_in_roster_order(data):
    contents = month_sheets(pd.MONTH)
    assert [c.cadre for c in contents] == [data.leader, data.middle]
    assert [c.form.id for c in contents] == ["wulian-qijin", "santeyiti"]
    buf = io.BytesIO()
    pages = write_sheets(contents, buf, "测试学院")
    assert pages == pd.page_count(buf.getvalue()) >= 2
    texts = pd.pages_text(buf.getvalue())
    assert data.leader in texts[0] and data.middle in texts[-1]


def test_unknown_cadre_or_month_without_a_sheet_is_bad_input(data):
    with pytest.raises(BadInput, match="未找到干部"):
        sheet_content("无此人", pd.MONTH)
    with pytest.raises(BadInput, match="没有工作记录表"):
        sheet_content(data.leader, "2025-03")
    with pytest.raises(BadInput, match="月份"):
        sheet_content(data.leader, "2025-13")


# The command line ------------------------------------------------------------------------------


def test_cli_sheet_writes_one_cadres_sheet(cli, data, tmp_path):
    out = tmp_path / "one.pdf"
    code, stdout, err = cli("sheet", "--cadre", data.leader, "--month", pd.MONTH, "--out", str(out))
    assert code == 0, err
    assert "已输出" in stdout
    assert "第一次走访宿舍" in pd.text(out.read_bytes())


def test_cli_sheet_all_into_one_file_or_one_file_per_cadre(cli, data, tmp_path):
    out = tmp_path / "month.pdf"
    code, _, err = cli("sheet", "--month", pd.MONTH, "--all", "--out", str(out))
    assert code == 0, err
    whole = pd.text(out.read_bytes())
    assert data.leader in whole and data.middle in whole
    folder = tmp_path / "sheets"
    code, stdout, err = cli("sheet", "--month", pd.MONTH, "--all", "--out", f"{folder}/")
    assert code == 0, err
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([f"{pd.MONTH}-{data.leader}.pdf", f"{pd.MONTH}-{data.middle}.pdf"])
    assert data.middle in pd.text((folder / f"{pd.MONTH}-{data.middle}.pdf").read_bytes())


@pytest.mark.parametrize(("args", "message"), [
    (["--cadre", "无此人", "--month", pd.MONTH], "未找到干部“无此人”"),
    (["--cadre", "王建国", "--month", "2025-1x"], "月份"),
    (["--month", pd.MONTH], "--cadre"),
    (["--month", pd.MONTH, "--unit", "无此部门"], "没有名为“无此部门”的部门"),
])
def test_cli_sheet_bad_input_exits_2_with_a_clear_message_and_writes_nothing(cli, data, tmp_path, args, message):
    out = tmp_path / "x.pdf"
    code, _, err = cli("sheet", *args, "--out", str(out))
    assert code == 2
    assert message in err and err.count("\n") == 1
    assert not out.exists()


def test_cli_sheet_refuses_an_output_folder_that_does_not_exist(cli, data, tmp_path):
    code, _, err = cli("sheet", "--cadre", data.leader, "--month", pd.MONTH, "--out", str(tmp_path / "no" / "x.pdf"))
    assert code == 2 and "输出文件夹不存在" in err
