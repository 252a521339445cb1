"""Two paper sheets replayed by keys into the sheet editor, and the keystrokes they cost (#12).

The sheets: a 五联七进 sheet with 14 lines (two rows hold two lines each, one row is empty) and a
三特一体 sheet (特长, 联系载体, 工作内容 and four activities). `replay` types them as a clerk does
— Chinese text as one key event (an input method's commit), everything else key by key — and
counts the keystrokes outside Chinese text. `excel_keystrokes` counts the same sheets typed into an
Excel sheet laid out like the paper form, by the rules written beside it. Used by
tests/gui/test_sheet_replay.py (every stored field compared) and `python -m benchmarks.bench_entry`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

MONTH = "2025-10"
LEADER, MIDDLE = "王建国", "李晓梅"
ROSTER = [("护理学院党总支", "党总支"), ("护理学院领导班子", "院系班子"), ("护理学生第一党支部", "党支部"),
          ("护理教工党支部", "党支部"), ("基础护理学教研室", "教研室"), ("陈青", "青年教师"),
          ("毛泽东思想和中国特色社会主义理论体系概论", "思政课"), ("护理2301班", "班级"), ("护理2302班", "班级"),
          ("南苑5栋402", "宿舍"), ("青年志愿者协会", "社团"), ("赵小六", "个人")]
ASSIGNED = {LEADER: ["护理学院党总支", "护理学院领导班子", "护理学生第一党支部", "基础护理学教研室", "陈青",
                     "护理2301班", "南苑5栋402"],
            MIDDLE: ["护理2302班"]}


@dataclass
class PaperLine:
    category: str
    target: str  # what the clerk types (a prefix of a roster name, when type-ahead is meant)
    day: str  # the date as written on paper, in the clerk's short form
    summary: str
    stored_target: str = ""  # the name stored, when type-ahead completes `target`

    @property
    def stored(self) -> str:
        return self.stored_target or self.target


@dataclass
class PaperSheet:
    cadre: str
    lines: list[PaperLine]
    fields: dict[str, object] = field(default_factory=dict)


WULIAN = PaperSheet(LEADER, [
    PaperLine("联系党总支", "护理学院党总支", "9", "参加党总支理论学习中心组学习"),
    PaperLine("联系院系班子", "护理学院领导班子", "10", "出席护理学院党政联席会议，研究实习安排"),
    PaperLine("联系党支部", "护理学生第一党支部", "12", "参加支部组织生活会并讲话"),
    PaperLine("联系党支部", "护理教工", "26", "指导教工支部换届", "护理教工党支部"),
    PaperLine("联系教研室", "基础护理学教研室", "15", "参加集体备课"),
    PaperLine("联系青年教师", "陈青", "20", "谈心，了解职业规划"),
    PaperLine("进课堂", "毛泽东", "14", "随堂听课", "毛泽东思想和中国特色社会主义理论体系概论"),
    PaperLine("进课堂", "护理2301班", "28", "听护理学基础课"),
    PaperLine("进班级", "护理2301班", "16", "参加主题班会"),
    PaperLine("进宿舍", "南苑5栋402", "14", "走访宿舍，查看安全隐患"),
    PaperLine("进宿舍", "北苑3栋", "28", "回访热水问题"),
    PaperLine("进食堂", "第一食堂", "21", "与学生同餐，听取意见"),
    PaperLine("进讲座", "护理2301班", "23", "作形势与政策报告"),
    PaperLine("进网络", "护理学院学生群", "30", "在线答复学生关于奖学金的提问"),
])

SANTE = PaperSheet(MIDDLE, [
    PaperLine("进课堂", "护理2302班", "10", "随堂听课并与任课教师交流"),
    PaperLine("谈心谈话", "赵小六", "16", "与学生谈心，疏导就业压力"),
    PaperLine("进宿舍", "南苑5栋402", "21", "走访宿舍，了解热水供应"),
    PaperLine("座谈会", "护理2302班", "29", "召开学生座谈会"),
], fields={"specialties": ["工作职能", "个人专长"], "carrier_teachers": "护理系教工党支部",
           "carrier_students": "2023级护理3班", "work": "本月发现部分宿舍热水供应不稳定，已协调后勤处维修。"})

SHEETS = {"五联七进": WULIAN, "三特一体": SANTE}


def make_roster() -> None:
    """The two cadres, their targets and this year's assignments (through the core services)."""
    from liaison_desk.ledger.roster import add_cadre, add_target, assign

    add_cadre(LEADER, "leader", "校领导班子", "党委书记", "党委书记、党委委员")
    add_cadre(MIDDLE, "middle_head", "学生工作部", "部长", "学生工作部门、主要负责人")
    for name, kind in ROSTER:
        add_target(name, kind)
    for cadre, names in ASSIGNED.items():
        for name in names:
            assign(cadre, name, "2025-2026")


def has_chinese(text: str) -> bool:
    return bool(re.search(r"[\u3000-\u9fff\uff00-\uffef]", text))


# The editor ------------------------------------------------------------------------------------

TAB, ENTER, SPACE = Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Space
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def wulian_script(sheet: PaperSheet) -> list[object]:
    """Keys for a 五联七进 sheet, from the 党总支 row's first cell: 名称 Tab 时间 工作简况 Enter (the
    Chinese of 工作简况 typed in the time cell goes on in its own cell). A row with a second line
    ends its first line with Shift+Enter; an empty row of the paper costs one Enter."""
    from liaison_desk.forms import get_form

    rows = [r.category for s in get_form("wulian-qijin").sections if s.kind == "rows" for r in s.rows]
    script: list[object] = []
    for category in rows:
        mine = [ln for ln in sheet.lines if ln.category == category]
        if not mine:
            script.append(ENTER)
        for i, ln in enumerate(mine):
            script += [ln.target, TAB, ln.day, ln.summary, (ENTER, SHIFT) if i < len(mine) - 1 else ENTER]
    return script


def sante_script(sheet: PaperSheet) -> list[object]:
    """Keys for a 三特一体 sheet: the fields top to bottom (the sheet opens on the first), then the
    grid's lines in the form's column order: 时间 类别 Tab 联系对象 Tab 工作简况 Enter (Chinese typed
    in the time cell goes on in the next cell)."""
    chosen = sheet.fields["specialties"]
    assert isinstance(chosen, list)
    script: list[object] = []
    for option in ("工作职能", "业务主体", "个人专长"):
        script += [SPACE, TAB] if option in chosen else [TAB]
    script += [sheet.fields["carrier_teachers"], TAB, sheet.fields["carrier_students"], TAB,
               sheet.fields["work"], TAB]
    for ln in sheet.lines:
        script += [ln.day, ln.category, TAB, ln.target, TAB, ln.summary, ENTER]
    return script


def press(widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
          text: str = "") -> None:
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, modifiers, text))
    if key == SPACE:  # a check box toggles on release
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyRelease, key, modifiers, text))


def replay(page: QWidget, script: list[object], settle: object = None) -> int:
    """Send the script to whatever has the keyboard focus (the suggestion list while it is open);
    returns the keystrokes outside Chinese text. `settle()` runs after each Enter (the grid
    commits a cell on Enter once the event loop has run)."""
    count = 0
    for step in script:
        target = QApplication.activePopupWidget() or page.window().focusWidget() or page
        if isinstance(step, str):
            if has_chinese(step):
                press(target, Qt.Key.Key_unknown, text=step)  # one input-method commit
            else:
                for ch in step:  # typed key by key, each one counted
                    target = QApplication.activePopupWidget() or page.window().focusWidget() or page
                    press(target, Qt.Key.Key_unknown, text=ch)
                    count += 1
            continue
        key, mods = step if isinstance(step, tuple) else (step, Qt.KeyboardModifier.NoModifier)
        press(target, key, mods, " " if key == SPACE else "")
        count += 1
        if key == ENTER and callable(settle):
            settle()
    return count


# The same sheets in an Excel sheet laid out like the paper ---------------------------------------

def excel_date(day: str) -> str:
    return f"10/{day}"  # Excel takes month/day; a bare day number is a number, not a date


def excel_keystrokes(name: str, sheet: PaperSheet) -> int:
    """Keys outside Chinese text for the sheet in Excel, the paper's layout, cursor on the first cell.

    Rules: the header (填表时间 typed as 2025/10, name and position as Chinese) costs the date's
    keys and one move per header cell; a line costs Tab, the date as month/day, Tab, Enter; a
    second line in a row first inserts a row (Shift+Space, Ctrl+Shift+=) and moves into it
    (Down); an empty row or a section's title row costs one Down. On 三特一体 each chosen 特长
    is marked "√" (one key) and every option cell costs one move; each field costs one move."""
    header_cells = 3 if name == "五联七进" else 4
    keys = len("2025/10") + header_cells
    if name == "五联七进":
        from liaison_desk.forms import get_form

        sections = [s for s in get_form("wulian-qijin").sections if s.kind == "rows"]
        for section in sections:
            keys += 1  # the section's title row
            for row in section.rows:
                mine = [ln for ln in sheet.lines if ln.category == row.category]
                keys += 1 if not mine else 0
                for i, ln in enumerate(mine):
                    keys += (3 if i else 0) + 3 + len(excel_date(ln.day))
        return keys
    chosen = sheet.fields["specialties"]
    assert isinstance(chosen, list)
    keys += 3 + len(chosen)  # a move per option, √ per chosen one
    keys += 3  # 教师, 学生, 工作内容
    for ln in sheet.lines:
        keys += 4 + len(excel_date(ln.day))  # 类别 Tab 对象 Tab date Tab 简况 Enter
    return keys


def expected(sheet: PaperSheet) -> list[tuple[str, str, date, str]]:
    return sorted((ln.category, ln.stored, date(2025, 10, int(ln.day)), ln.summary) for ln in sheet.lines)
