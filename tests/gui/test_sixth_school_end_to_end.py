"""A sixth school, none of the seeds, set up end to end as its clerk would (issue 16), without a
file added to the program's forms/: its one-table form (时间/地点/联系对象/内容/发现问题) and its
policy (a yearly written report, class attendance in term months only) imported from files,
activities typed into the grid by keys, the sheet printed, the rules checked against results
worked out by hand, the ledger exported to Excel and imported into a new ledger, and the program
folder replaced by a fresh install that has none of the shipped forms."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from liaison_desk.gui.app import make_app
from liaison_desk.store import storage
from liaison_desk.store.models import Activity

from .editor_window import open_editor
from .test_sheet_editor import enter_line

DATA = Path(__file__).resolve().parents[1] / "data"
FORM_ID = "sixth-school-form"
AS_OF = "2026-09-01"  # the year is over: every period can be judged


@pytest.fixture
def school_files(tmp_path: Path) -> tuple[Path, Path]:
    """The school's two files as a clerk has them: its form, and its policy naming that form."""
    form = tmp_path / "本校记录表.toml"
    shutil.copy(DATA / "sixth-school-form.toml", form)
    text = (DATA / "sixth-school-policy.toml").read_text(encoding="utf-8")
    for shipped in ('"wulian-qijin"', '"santeyiti"'):
        text = text.replace(shipped, f'"{FORM_ID}"')
    policy = tmp_path / "本校联系制度.toml"
    policy.write_text(text, encoding="utf-8")
    return form, policy


def set_up(cli, form: Path, policy: Path) -> None:
    """A new ledger for the school: a blank start, its form, its policy, its year's terms."""
    for args in (("init", "--policy", "moe-2019", "--school", "第六学院"),
                 ("form", "import", str(form)),
                 ("policy", "import", str(policy)),
                 ("term", "set", "2025-2026-1", "--start", "2025-09-01", "--end", "2026-01-18"),
                 ("term", "set", "2025-2026-2", "--start", "2026-02-23", "--end", "2026-07-05")):
        code, _out, err = cli(*args)
        assert code == 0, (args, err)


def fill_roster(cli) -> None:
    for args in (("cadre", "add", "王校长", "--tier", "leader", "--unit", "校领导班子", "--position", "副校长"),
                 ("cadre", "add", "李处长", "--tier", "middle_head", "--unit", "学生工作部", "--position", "部长"),
                 ("target", "add", "计算2501班", "--kind", "班级", "--unit", "计算机学院"),
                 ("target", "add", "机械2501班", "--kind", "班级", "--unit", "机械学院"),
                 ("target", "add", "西苑3栋", "--kind", "宿舍"),
                 ("assign", "王校长", "计算2501班", "--year", "2025-2026", "--role", "名誉班主任")):
        code, _out, err = cli(*args)
        assert code == 0, (args, err)


def check(cli) -> dict[tuple[str, str, str], str]:
    code, out, err = cli("check", "--year", "2025-2026", "--as-of", AS_OF, "--format", "json")
    assert code == 0, err
    return {(r["cadre"], r["rule"], r["period_label"]): r["status"] for r in json.loads(out)}


def test_a_sixth_school_end_to_end(qapp, qtbot, cli, db_path, tmp_path, school_files, fresh_install):
    form, policy = school_files
    set_up(cli, form, policy)
    fill_roster(cli)

    # October, typed into the grid of the school's own form by keys: 类别 first (the rules count by
    # it), then the paper's columns in the form's order.
    storage.open_database(db_path)
    make_app()
    page = open_editor(qtbot, "王校长", "2025-10")
    header = next(g for g in page.model.lines if g.kind == "header")
    assert [page.model.text(header, c) for c in range(1, 7)] == ["类别", "时间", "地点", "联系对象", "内容", "发现问题"]
    typed = [["进班级", "10", "教学楼A101", "计算2501班", "主题班会", "自习室座位不足"],
             ["进宿舍", "20", "西苑3栋201", "西苑3栋", "走访学生宿舍", ""],
             ["进课堂", "15", "教学楼B203", "计算2501班", "听思政课", ""],
             ["进班级", "28", "机械楼301", "机械2501班", "参加班会", ""]]  # not his class
    for n, line in enumerate(typed, start=1):
        enter_line(qtbot, page, line)
        qtbot.waitUntil(lambda n=n: Activity.select().count() == n, timeout=3000)
    page.close()
    stored = sorted((a.date, a.category, a.extra) for a in Activity.select())
    assert stored[0] == (date(2025, 10, 10), "进班级", '{"place":"教学楼A101"}')
    storage.close_database()

    # The rest of the year from the command line, 地点 by its label.
    for day, category, target, place in (("2025-11-12", "进班级", "计算2501班", "教学楼A102"),
                                         ("2025-11-05", "进课堂", "计算2501班", "教学楼B203"),
                                         ("2026-03-15", "进讲座", "", "大礼堂"),
                                         ("2026-03-10", "进课堂", "计算2501班", "教学楼B203")):
        args = ["activity", "add", "王校长", "--date", day, "--category", category, "--summary", "联系学生",
                "--field", f"地点={place}"]
        code, _out, err = cli(*(args + (["--target", target] if target else [])))
        assert code == 0, err
    code, _out, err = cli("filing", "add", "王校长", "--kind", "年度书面报告", "--period", "2025-2026",
                          "--date", "2026-06-20")
    assert code == 0, err

    # The printed sheet is the school's form, with the places in their column.
    pdf = tmp_path / "王校长-2025-10.pdf"
    code, _out, err = cli("sheet", "--cadre", "王校长", "--month", "2025-10", "--out", str(pdf))
    assert code == 0, err
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "领导干部深入基层联系学生工作记录表" in text
    assert "地点" in text and "教学楼A101" in text and "西苑3栋201" in text

    # The rules, worked out by hand for 王校长's year.
    hand_worked = {
        ("王校长", "联系班级", "2025-2026学年"): "met",  # one class linked
        ("王校长", "班级活动-每学期", "2025-2026学年第一学期"): "met",  # 10-10, 11-12 at 计算2501班 (机械 not his)
        ("王校长", "班级活动-每学期", "2025-2026学年第二学期"): "short",
        ("王校长", "进宿舍-每学期", "2025-2026学年第一学期"): "met",
        ("王校长", "进宿舍-每学期", "2025-2026学年第二学期"): "short",
        ("王校长", "听课-每月", "2025年9月"): "short",
        ("王校长", "听课-每月", "2025年10月"): "met",
        ("王校长", "听课-每月", "2025年11月"): "met",
        ("王校长", "听课-每月", "2026年3月"): "met",
        ("王校长", "听课-每月", "2026年2月"): "exempt",  # less than half of February is term
        ("王校长", "听课-每月", "2026年7月"): "exempt",
        ("王校长", "听课-每月", "2026年8月"): "exempt",
        ("王校长", "讲座-每学年", "2025-2026学年"): "met",
        ("王校长", "年度书面报告", "2025-2026学年"): "met",
        ("李处长", "联系班级", "2025-2026学年"): "short",  # none by the September deadline
        ("李处长", "年度书面报告", "2025-2026学年"): "short",
    }
    results = check(cli)
    assert {k: results.get(k) for k in hand_worked} == hand_worked

    # Exported to Excel and imported into a new ledger of the same school: the same activities
    # (places included) and the same results for every rule the workbook carries.
    books = {kind: tmp_path / f"{kind}.xlsx" for kind in ("cadres", "targets", "assignments", "activities")}
    for kind, book in books.items():
        code, _out, err = cli("export", kind, str(book))
        assert code == 0, err
    storage.open_database(db_path)
    before = sorted((a.cadre.name, a.date, a.category, a.extra, a.summary) for a in Activity.select())
    storage.close_database()
    second = tmp_path / "second.sqlite3"

    def cli2(*args: str):
        return cli("--db", str(second), *args)

    set_up(cli2, form, policy)
    for kind, book in books.items():
        code, _out, err = cli2("import", kind, str(book))
        assert code == 0, (kind, err)
    storage.open_database(second)
    after = sorted((a.cadre.name, a.date, a.category, a.extra, a.summary) for a in Activity.select())
    storage.close_database()
    assert after == before
    again = check(cli2)
    filings = {k for k in results if k[1] == "年度书面报告"}  # filings are not in the Excel workbooks
    assert {k: v for k, v in again.items() if k not in filings} == \
        {k: v for k, v in results.items() if k not in filings}

    # A new install folder without the shipped forms: the school's form and policy are the ledger's.
    fresh_install()
    code, _out, err = cli("sheet", "--cadre", "王校长", "--month", "2025-10", "--out", str(pdf))
    assert code == 0, err
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "领导干部深入基层联系学生工作记录表" in text and "教学楼A101" in text
    assert check(cli) == results
