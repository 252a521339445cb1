"""Screenshots of a school's one-table form with a 地点 column (issue 16): its grid in 记录录入 and
its printed sheet, from a fresh ledger under Xvfb:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshot_one_table.py \
        tests/data/sixth-school-form.toml

writes docs/sheet-editor-one-table.png (the window at 1366×768) and docs/sheet-one-table.png
(the PDF's first page through pdftoppm -r 80). The form is loaded from its file and made known
for this run only (how a school's form is stored in the ledger is the forms import's business).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from PIL import Image

from liaison_desk import forms
from liaison_desk.calendar import Term
from liaison_desk.gui.app import make_app
from liaison_desk.gui.main_window import MainWindow
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.policy_edit import save_policy, with_fields
from liaison_desk.ledger.roster import add_cadre, add_target, assign
from liaison_desk.paper.sheet import sheet_pdf
from liaison_desk.paper.sheet_content import sheet_content
from liaison_desk.store import storage
from liaison_desk.vocabulary import TIERS

DOCS = Path(__file__).resolve().parent.parent / "docs"
MONTH = "2025-10"
LINES = [
    (date(2025, 10, 9), "进课堂", "教学楼A203", "计算2501班", "随堂听《数据结构》课，课后与任课教师交流学情", ""),
    (date(2025, 10, 12), "进班级", "教学楼A101", "计算2501班", "参加主题班会“学风建设从我做起”", "自习室晚间座位不足"),
    (date(2025, 10, 15), "进宿舍", "南苑3栋201", "南苑3栋", "走访学生宿舍，查看安全隐患，了解生活情况",
     "热水供应不稳定"),
    (date(2025, 10, 22), "进食堂", "第二食堂", "", "与学生共进午餐，听取对伙食的意见", "晚餐窗口开放少"),
    (date(2025, 10, 28), "谈心谈话", "行政楼305", "李同学", "与学业困难学生谈心，帮助制定补习计划", ""),
]


def build(form_file: Path, folder: Path) -> None:
    form = forms.load_form_file(form_file)
    known = forms.all_forms()
    forms.all_forms = lambda: {**known, form.id: form}  # type: ignore[method-assign]
    storage.open_database(folder / "ledger.sqlite3")
    policy = settings.init("moe-2019", "第六学院")
    policy = save_policy(with_fields(policy, forms=dict.fromkeys(TIERS, form.id)))
    holidays = ((date(2025, 10, 1), date(2025, 10, 7)),)
    settings.set_term(Term("2025-2026-1", date(2025, 9, 1), date(2026, 1, 18), holidays))
    add_cadre("周建华", "leader", "校领导班子", "副校长")
    for name, kind in (("计算2501班", "班级"), ("南苑3栋", "宿舍"), ("李同学", "个人")):
        add_target(name, kind)
    assign("周建华", "计算2501班", "2025-2026")
    for day, category, place, target, summary, problems in LINES:
        add_activity(ActivityInput("周建华", day, category, target=target if target != "李同学" else "",
                                   carrier="李同学" if target == "李同学" else "", summary=summary,
                                   problems=problems, extra={"地点": place}), policy)


def main() -> None:
    app = make_app()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(Path(sys.argv[1]), folder)
        window = MainWindow()
        window.resize(1366, 768)
        window.show()
        window.show_area("记录录入")
        editor = window.page("记录录入")
        editor.open_sheet("周建华", MONTH)  # type: ignore[attr-defined]
        for _ in range(10):
            app.processEvents()
        shot = DOCS / "sheet-editor-one-table.png"
        window.grab().save(str(shot))
        small = Image.open(shot).convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
        small.save(shot, optimize=True)  # a third of the size, the text as sharp
        pdf, _spot = sheet_pdf(sheet_content("周建华", MONTH), "第六学院")
        (folder / "sheet.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", str(folder / "sheet.pdf"),
                        str(DOCS / "sheet-one-table")], check=True)
        window.close()
        storage.close_database()


if __name__ == "__main__":
    main()
