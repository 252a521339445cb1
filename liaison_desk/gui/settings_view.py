"""设置: the school's name, the terms with their dates and holidays (the calendar weekly and
monthly rules count in), and where backups go. Every change is checked by the core first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..calendar import Term, parse_holiday
from ..errors import BadInput
from ..ledger import settings
from ..store import backup, storage
from .office_only import guarded
from .rows_model import Col, RowsModel, table_view


def _term_rows() -> list[dict[str, Any]]:
    rows = []
    for t in settings.terms():
        weeks = t.weeks()
        rows.append({"id": t.id, "start": t.start.isoformat(), "end": t.end.isoformat(),
                     "weeks": f"{sum(w.teaching for w in weeks)} / {len(weeks)}",
                     "holidays": "，".join(f"{a.isoformat()}:{b.isoformat()}" for a, b in t.holidays)})
    return rows


def parse_holidays(text: str) -> tuple[tuple[Any, Any], ...]:
    parts = [p.strip() for p in text.replace("，", ",").replace("；", ",").replace(";", ",").split(",")]
    return tuple(parse_holiday(p) for p in parts if p)


class SettingsPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.status = QLabel()
        self.status.setStyleSheet("color: #8c1c13;")

        school_box = QGroupBox("学校")
        self.school = QLineEdit(settings.school_name())
        self.school.setMaxLength(100)
        save_school = QPushButton("保存")
        line = QHBoxLayout(school_box)
        line.addWidget(QLabel("学校名称"))
        line.addWidget(self.school, 1)
        line.addWidget(save_school)
        save_school.clicked.connect(self.save_school)
        self.clerk = QLineEdit(settings.clerk_name())
        self.clerk.setMaxLength(50)
        self.clerk.setPlaceholderText("印在修订记录的“办理人”栏")
        save_clerk = QPushButton("保存")
        line.addWidget(QLabel("经办人"))
        line.addWidget(self.clerk)
        line.addWidget(save_clerk)
        save_clerk.clicked.connect(self.save_clerk)
        self.school_buttons = (save_school, save_clerk)
        line.addWidget(guarded("school", self.school, self.clerk, *self.school_buttons))

        terms_box = QGroupBox("学期与假期（每周、每月的要求按此计算；整周放假的周不考核）")
        self.terms = RowsModel([Col("id", "学期", width=110), Col("start", "开学", width=100),
                                Col("end", "结束", width=100), Col("weeks", "教学周/总周数", width=110),
                                Col("holidays", "假期")], _term_rows)
        self.term_view = table_view(self.terms)
        self.term_id = QLineEdit()
        self.term_id.setPlaceholderText("如 2025-2026-1")
        self.start, self.end = QDateEdit(), QDateEdit()
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
            edit.setDate(QDate.currentDate())
        self.holidays = QLineEdit()
        self.holidays.setPlaceholderText("如 2025-10-01:2025-10-08，2026-01-01:2026-01-03")
        save_term = QPushButton("保存学期")
        form = QFormLayout()
        form.addRow("学期编号", self.term_id)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel("至"))
        dates.addWidget(self.end)
        dates.addStretch(1)
        form.addRow("起止日期", dates)
        form.addRow("假期", self.holidays)
        buttons = QHBoxLayout()
        buttons.addWidget(save_term)
        self.save_term_button = save_term
        buttons.addWidget(guarded("terms", save_term, self.term_id, self.start, self.end, self.holidays))
        buttons.addStretch(1)
        form.addRow("", buttons)
        terms_layout = QVBoxLayout(terms_box)
        terms_layout.addWidget(self.term_view)
        terms_layout.addLayout(form)
        self.term_view.selectionModel().currentRowChanged.connect(lambda cur, _p: self.pick_term(cur.row()))
        save_term.clicked.connect(self.save_term)

        backup_box = QGroupBox("备份")
        self.backup = QLineEdit(settings.backup_dir())
        self.backup.setPlaceholderText(f"默认：{storage.data_dir() / 'backups'}")
        browse, save_backup = QPushButton("选择…"), QPushButton("保存")
        self.backup_space = QLabel()
        backup_layout = QVBoxLayout(backup_box)
        line = QHBoxLayout()
        backup_layout.addLayout(line)
        backup_layout.addWidget(self.backup_space)
        line.addWidget(QLabel("备份文件夹"))
        line.addWidget(self.backup, 1)
        line.addWidget(browse)
        line.addWidget(save_backup)
        self.backup_buttons = (browse, save_backup)
        browse.clicked.connect(self.browse_backup)
        save_backup.clicked.connect(self.save_backup)

        self.show_backup_space()
        layout = QVBoxLayout(self)
        layout.addWidget(school_box)
        layout.addWidget(terms_box, 1)
        from .form_dialog import FormsBox

        layout.addWidget(FormsBox())
        layout.addWidget(backup_box)
        layout.addWidget(self.status)

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        self.show_backup_space()
        super().showEvent(event)

    def show_backup_space(self) -> None:
        """How many backups there are and the disk space they take (a stat of each file)."""
        if storage.is_server():
            from .main_window import SERVER_BACKUP_WORD

            self.backup.setEnabled(False)
            for button in self.backup_buttons:  # nothing to choose: a server keeps no backup files
                button.setEnabled(False)
            self.backup_space.setWordWrap(True)
            self.backup_space.setText(SERVER_BACKUP_WORD
                                      + "写入锁与只读的第二窗口也不适用：服务器让多位经办人同时写入。")
            return
        folder = backup.backup_folder(create=False)
        found = backup.list_backups(folder)
        count, used = backup.space_used(folder)
        mb = used / 1e6
        text = f"备份共 {count} 份，占用 {mb:,.1f} MB" if mb < 10 else f"备份共 {count} 份，占用 {mb:,.0f} MB"
        text += f"（上限 {backup.SPACE_BUDGET / 1e6:,.0f} MB）"
        if found:
            packed = sum(b.packed for b in found)
            text += f"；最新 {found[0].taken:%Y-%m-%d %H:%M}，最早 {found[-1].taken:%Y-%m-%d}；{packed} 份已压缩"
        self.backup_space.setText(text)

    def say(self, text: str) -> None:
        self.status.setText(text)

    def save_school(self) -> None:
        try:
            settings.set_school_name(self.school.text())
        except BadInput as e:
            self.say(e.message)
            return
        self.say("已保存学校名称")

    def save_clerk(self) -> None:
        try:
            settings.set_clerk_name(self.clerk.text())
        except BadInput as e:
            self.say(e.message)
            return
        self.say("已保存经办人姓名")

    def pick_term(self, row: int) -> None:
        if 0 <= row < len(self.terms.rows):
            t = self.terms.rows[row]
            self.term_id.setText(t["id"])
            self.start.setDate(QDate.fromString(t["start"], "yyyy-MM-dd"))
            self.end.setDate(QDate.fromString(t["end"], "yyyy-MM-dd"))
            self.holidays.setText(t["holidays"])

    def save_term(self) -> None:
        try:
            term = Term(self.term_id.text().strip(), self.start.date().toPython(), self.end.date().toPython(),
                        parse_holidays(self.holidays.text()))
            settings.set_term(term)
        except BadInput as e:
            self.say(e.message)
            return
        self.terms.reload()
        self.say(f"已保存学期 {term.id}")

    def browse_backup(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择备份文件夹", self.backup.text())
        if path:
            self.backup.setText(path)

    def save_backup(self) -> None:
        try:
            settings.set_backup_dir(self.backup.text())
        except BadInput as e:
            self.say(e.message)
            return
        self.backup.setText(settings.backup_dir())
        self.show_backup_space()
        self.say("已保存备份文件夹")
