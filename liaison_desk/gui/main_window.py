"""The main window: navigation on the left, one page per area of the clerk's work."""

from __future__ import annotations

import html
import importlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..errors import BadInput
from ..ledger import clerks
from ..ledger.overview import Overview, overview
from ..store import changelog, storage
from .due_soon import DueSoonPanel
from .folders import user_file
from .office_only import guard, refused
from .ui_main_window import Ui_MainWindow

#: (name in the navigation, what the page is for) — the areas of DESIGN.md.
AREAS = [
    ("首页", ""),
    ("记录录入", "按干部、按月份录入纸质工作记录表（五联七进、三特一体、联系党支部）。"),
    ("台账", "全部联系活动一览，可排序、筛选、就地修改。"),
    ("达标检查", "按周、月、学期、学年检查每位干部是否达到本校联系制度的要求；在此编辑联系制度、登记报送。"),
    ("问题清单", "学生反映的问题：转办、办结、反馈，逾期提醒。"),
    ("报表", "签字的工作记录表、月度报告、学期总结：预览与打印。"),
    ("名册", "部门、领导干部、联系对象和每学年的联系安排（对接一览表）。"),
    ("设置", "学校名称、学期与假期、备份位置（联系制度在“达标检查”→“编辑制度…”中）。"),
]

#: The page that each built area shows: "module:Class" under liaison_desk.gui, made with no
#: arguments. Areas not listed show a placeholder saying what they will hold.
PAGES: dict[str, str] = {
    "达标检查": "compliance_view:CompliancePage",
    "记录录入": "sheet_editor:SheetEditor",
    "台账": "ledger_view:LedgerPage",
    "名册": "roster_view:RosterPage",
    "设置": "settings_view:SettingsPage",
    "问题清单": "problems_view:ProblemsPage",
    "报表": "reports_view:ReportsPage",
}


def make_page(name: str, text: str) -> QWidget:
    spec = PAGES.get(name)
    if spec is None:
        return PlaceholderPage(name, text)
    module, cls = spec.split(":")
    return getattr(importlib.import_module(f"liaison_desk.gui.{module}"), cls)()


class PlaceholderPage(QWidget):
    """An area whose screen is still being built: says what it will hold."""

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        body = QLabel(f"{text}\n\n（此功能尚在建设中，命令行已可使用相应命令。）")
        body.setWordWrap(True)
        layout.addWidget(body)
        layout.addStretch(1)


class HomePage(QWidget):
    """The ledger at a glance: school, policy, term, and how much it holds."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        self.body = QLabel()
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        layout.addWidget(self.heading)
        layout.addWidget(self.body)
        self.due_soon = DueSoonPanel()
        layout.addWidget(self.due_soon, 1)
        self.refresh()

    def refresh(self) -> None:
        o = overview()
        self.heading.setText(f"{o.school or '本校'} · 领导干部联系师生工作台账")
        term = o.term or "（今天不在已设置的学期内）"
        document = f"（{o.policy_document}）" if o.policy_document else ""
        self.body.setText(
            f"<p>执行制度：<b>{o.policy_name}</b>{document}，检查规则 {o.rules} 条</p>"
            f"<p>当前学期：{term}</p>"
            f"<table cellspacing='8'>"
            f"<tr><td>领导干部</td><td align='right'><b>{o.cadres:,}</b> 人</td></tr>"
            f"<tr><td>联系对象</td><td align='right'><b>{o.targets:,}</b> 个</td></tr>"
            f"<tr><td>联系活动</td><td align='right'><b>{o.activities:,}</b> 条</td></tr>"
            f"<tr><td>{o.month} 工作记录表</td><td align='right'><b>{o.sheets_this_month:,}</b> 份</td></tr>"
            f"</table>" + self.overdue_html(o))

    @staticmethod
    def overdue_html(o: Overview) -> str:
        if not o.overdue_count:
            return "<p>问题清单：没有逾期未办结的问题。</p>"
        items = "".join(f"<li>{html.escape(text)}</li>" for text in o.overdue_problems)
        more = f"<li>……另有 {o.overdue_count - len(o.overdue_problems)} 条，见“问题清单”</li>" \
            if o.overdue_count > len(o.overdue_problems) else ""
        return (f"<p style='color:#8c1c13'><b>逾期未办结的问题 {o.overdue_count} 条</b></p>"
                f"<ul>{items}{more}</ul>")


STYLE = """
QListWidget#navList { background: #8c1c13; color: white; font-size: 11pt; padding-top: 12px; }
QListWidget#navList::item { padding: 10px 18px; }
QListWidget#navList::item:selected { background: #b23a2e; color: white; }
QLabel#pageTitle { font-size: 16pt; font-weight: bold; color: #8c1c13; padding: 8px 0 12px 0; }
QStackedWidget > QWidget { background: #fbfaf7; }
"""


#: Each page's way of showing the ledger as it is now (F5, or shown again after a change): home,
#: 记录录入, 台账, 达标检查, 问题清单, 名册, 报表.
REFRESHERS = ("refresh", "apply", "refresh_sheet")


def refresher(page: QWidget) -> Any:
    """The page's way of showing the ledger as it is now, or None (设置, a placeholder)."""
    return next((m for m in (getattr(page, n, None) for n in REFRESHERS) if callable(m)), None)


def edit_in_progress(page: QWidget) -> bool:
    """Is the clerk typing on the page something not yet saved — a cell's editor open, or what
    the page itself says (the sheet editor's own fields, a line begun)? A reload would lose it."""
    if any(v.state() == QAbstractItemView.State.EditingState for v in page.findChildren(QAbstractItemView)):
        return True
    says = getattr(page, "edit_in_progress", None)
    return bool(says()) if callable(says) else False


def ledger_head() -> int | None:
    """The change log's newest id; None when it cannot be read (a damaged file the session is
    checking, a server out of reach): the pages then stay as they are."""
    try:
        return changelog.last_id()
    except Exception:  # noqa: BLE001 - said elsewhere (the session's check, F5's own error)
        return None


#: Why a server ledger has no file backups in the program, said where they would be.
SERVER_BACKUP_WORD = ("服务器台账不做文件备份：由数据库管理员用 pg_dump 备份服务器，或用 "
                      "liaison-desk copy --from 服务器地址 --to 文件.sqlite3 复制出一份经校验的 SQLite 副本。")


class MainWindow(QMainWindow):
    closed = Signal()  # the clerk closed the window (the session then backs up and quits)

    def __init__(self) -> None:
        super().__init__()
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.setStyleSheet(STYLE)
        self.home = HomePage()
        self.home.setContentsMargins(24, 12, 24, 12)
        self.built: dict[int, QWidget] = {0: self.home}
        # Each built page's change-log head when it last loaded: shown again with a newer head
        # (another clerk's save, another program's), it loads again (catch_up).
        self.loaded_at: dict[int, int | None] = {0: ledger_head()}
        self.catch_up_later = QTimer(self)
        self.catch_up_later.setSingleShot(True)
        self.catch_up_later.setInterval(1000)
        self.catch_up_later.timeout.connect(self.catch_up)
        for i, (name, _text) in enumerate(AREAS):
            self.ui.navList.addItem(name)
            self.ui.navList.item(i).setToolTip(f"Ctrl+{i + 1}")
            self.ui.pages.addWidget(self.home if i == 0 else QWidget())
            # From anywhere, straight to an area: the keyboard reaches the navigation only by
            # tabbing through every control of the page shown.
            QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self, lambda row=i: self.go_to_area(row))
        self.ui.navList.currentRowChanged.connect(self.open_area)
        self.ui.navList.setCurrentRow(0)
        self.ui.actionQuit.triggered.connect(self.close)
        self.ui.actionAbout.triggered.connect(self.about)
        self.ui.actionDataFolder.triggered.connect(self.open_data_folder)
        self.ui.actionOpen.triggered.connect(self.open_other)
        self.actionServer = QAction("连接服务器台账…", self)
        self.ui.menuFile.insertAction(self.ui.actionBackup, self.actionServer)
        self.actionServer.triggered.connect(self.connect_server)
        self.ui.actionImport.triggered.connect(self.import_excel)
        self.ui.actionImportSheets.triggered.connect(self.import_sheets)
        self.ui.actionExport.triggered.connect(self.export_excel)
        self.ui.actionImportForm.triggered.connect(self.import_form)
        self.ui.actionBackup.triggered.connect(self.backup_now)
        if storage.is_server():  # the title bar says where the ledger lives; file backups do not apply
            from ..store.server import describe

            self.setWindowTitle(f"{self.windowTitle()} — 服务器台账 {describe(storage.server_url() or '')}")
            for action in (self.ui.actionBackup, self.ui.actionRestore):
                action.setEnabled(False)
                action.setToolTip(SERVER_BACKUP_WORD)
        self.ui.actionRestore.triggered.connect(self.restore_from_backup)
        self.show_clerk()
        self.ui.actionVerify.triggered.connect(self.verify_ledger)
        db = storage.db.obj
        if storage.is_server():
            from ..store.server import describe

            self.ui.statusbar.showMessage(f"服务器台账：{describe(storage.server_url() or '')}")
        else:
            self.ui.statusbar.showMessage(f"台账文件：{db.database if db else ''}")
        self.restore_layout()

    def show_clerk(self) -> None:
        """Who is logged in, all the time (status bar; title bar on a server, where clerks differ),
        and what only the office may do greyed out with the reason (#19). A file has no logins:
        whoever opens it is the office, and the window says nothing new."""
        clerk = clerks.current()
        self.clerk_label = QLabel(f"登录：{clerk.label}")
        self.clerk_label.setObjectName("clerkLabel")
        self.clerk_label.setStyleSheet("padding: 0 8px;")
        self.clerk_label.setVisible(storage.is_server() or not clerk.office)
        self.ui.statusbar.addPermanentWidget(self.clerk_label)
        if storage.is_server():
            self.setWindowTitle(f"{self.windowTitle()} — {clerk.label}")
        self.ui.menuFile.setToolTipsVisible(True)
        guard("forms", self.ui.actionImportForm)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        """F5: the page shown again as the ledger holds it now (other clerks' saves on a server)."""
        if event.key() == Qt.Key.Key_F5:
            self.refresh_page()
            return
        super().keyPressEvent(event)

    def refresh_page(self, said: str = "已刷新") -> None:
        row = self.ui.pages.currentIndex()
        method = refresher(self.ui.pages.currentWidget())
        if method is not None:
            self.loaded_at[row] = ledger_head()
            method()
            self.ui.statusbar.showMessage(said, 5000)

    def catch_up(self) -> None:
        """The page shown loads again if the ledger changed since it last loaded — but never
        under what the clerk is typing: then it tries again a moment later, until they are done."""
        row = self.ui.pages.currentIndex()
        page = self.built.get(row)
        if page is None or refresher(page) is None or not self.isVisible():
            return
        head = ledger_head()
        if head is None or head == self.loaded_at.get(row):
            return
        if edit_in_progress(page):
            self.catch_up_later.start()
            return
        self.refresh_page("台账有新的修改（其他经办人或程序），本页已重新载入")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        """Back to this window (from Word, the browser, another program): the page catches up."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.catch_up()

    def open_area(self, row: int) -> None:
        """Pages are built the first time they are opened, so start-up stays quick; a page shown
        again catches up with the ledger."""
        if row in self.built:
            self.ui.pages.setCurrentIndex(row)
            self.catch_up()
            return
        self.loaded_at[row] = ledger_head()
        name, text = AREAS[row]
        page = make_page(name, text)
        page.setContentsMargins(24, 12, 24, 12)
        old = self.ui.pages.widget(row)
        self.ui.pages.insertWidget(row, page)
        self.ui.pages.removeWidget(old)
        old.deleteLater()
        self.built[row] = page
        self.ui.pages.setCurrentIndex(row)

    def go_to_area(self, row: int) -> None:
        """Ctrl+1…: that area, the focus on the navigation (Tab goes into the page, arrows on)."""
        self.ui.navList.setCurrentRow(row)
        self.ui.navList.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def page(self, name: str) -> QWidget:
        """The page of an area, built if needed (for other views and tests)."""
        row = [a for a, _ in AREAS].index(name)
        if row not in self.built:
            self.open_area(row)
        return self.built[row]

    def show_area(self, name: str) -> None:
        names = [a for a, _ in AREAS]
        self.ui.navList.setCurrentRow(names.index(name))

    def set_read_only(self, reason: str) -> None:
        """Say plainly, all the time, that this window cannot change the ledger, and why."""
        self.setWindowTitle(f"{self.windowTitle()}（只读）")
        label = QLabel(f"只读：{reason}")
        label.setStyleSheet("color: #8c1c13; font-weight: bold; padding: 0 8px;")
        label.setWordWrap(True)
        self.ui.statusbar.addPermanentWidget(label, 1)
        for action in (self.ui.actionRestore,):
            action.setEnabled(False)

    def import_excel(self) -> None:
        from .import_dialog import open_import_dialog

        dialog = open_import_dialog(self)
        dialog.imported.connect(lambda _preview: self.home.refresh())

    def import_form(self) -> None:
        from .form_dialog import open_form_dialog

        if refused(self, "forms", "导入记录表格式"):
            return

        open_form_dialog(self)

    def import_sheets(self) -> None:
        from .import_sheets_dialog import open_sheets_import

        open_sheets_import(self, on_imported=lambda _preview: self.home.refresh())

    EXPORTS = [("干部名册", "cadres"), ("联系对象", "targets"), ("联系安排", "assignments"),
               ("对接一览表", "roster"), ("台账（全部活动）", "activities"), ("问题清单", "problems")]

    def export_excel(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from ..excel.export import export

        labels = [label for label, _kind in self.EXPORTS]
        label, ok = QInputDialog.getItem(self, "导出到 Excel", "导出内容", labels, 0, False)
        if not ok:
            return
        kind = dict(self.EXPORTS)[label]
        path, _ = QFileDialog.getSaveFileName(self, "导出到 Excel", user_file(f"{label}.xlsx"), "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        private = QMessageBox.question(
            self, "个人信息", "是否包含困难学生和问题反映人的姓名？\n（属个人信息；选“否”则以“（已隐去）”代替）",
            defaultButton=QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes
        try:
            result = export(kind, Path(path), include_private=private)
        except BadInput as e:
            QMessageBox.warning(self, "导出到 Excel", str(e))
            return
        self.ui.statusbar.showMessage(f"已导出 {result.rows:,} 行到 {result.path}", 10000)

    def backup_now(self) -> None:
        from ..store.backup import make_backup

        try:
            path = make_backup("manual")
        except BadInput as e:
            QMessageBox.warning(self, "备份", str(e))
            return
        self.ui.statusbar.showMessage(f"已备份到 {path}", 10000)

    def restore_from_backup(self) -> None:
        from ..store.backup import RestoreRefused, backup_folder, restore

        path, _ = QFileDialog.getOpenFileName(self, "从备份恢复", str(backup_folder()),
                                              "台账备份 (*.sqlite3 *.sqlite3.zst);;所有文件 (*)")
        if not path:
            return
        answer = QMessageBox.question(self, "从备份恢复", f"用备份 {path} 替换当前台账的全部内容？\n"
                                      "当前内容会先另存一份备份。")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            try:
                safety_copy = restore(Path(path))
            except RestoreRefused as e:  # intact, but changed outside the program: the clerk decides
                again = QMessageBox.question(self, "从备份恢复", f"{e}\n\n这份备份在程序之外被改动过。仍要用它恢复吗？",
                                             defaultButton=QMessageBox.StandardButton.No)
                if again != QMessageBox.StandardButton.Yes:
                    return
                safety_copy = restore(Path(path), accept_findings=True)
        except BadInput as e:
            QMessageBox.warning(self, "从备份恢复", str(e))
            return
        QMessageBox.information(self, "从备份恢复", f"已恢复。恢复前的台账已备份到：\n{safety_copy}\n\n"
                                "请重新打开程序，以便各页面显示恢复后的内容。")

    def verify_ledger(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from ..store.anchor import parse_code
        from ..store.verify import verify

        code, ok = QInputDialog.getText(self, "校验台账", "纸面报告或签字记录表上的台账校验码（可不填，"
                                        "如 12345-3F9A-C21B-07D4）：")
        if not ok:
            return
        codes = tuple(c for c in code.replace("，", ",").replace(",", " ").split() if c)
        try:
            for c in codes:
                parse_code(c)
        except BadInput as e:
            QMessageBox.warning(self, "校验台账", str(e))
            return
        report = verify(anchors=codes)
        if report.ok:
            extra = "".join(f"\n台账校验码 {c} 在今天的日志链中：打印之后台账未被改写或截断。" for c in codes)
            QMessageBox.information(self, "校验台账", f"校验通过：数据库完好，{report.checked_rows:,} 条记录"
                                    f"与 {report.log_entries:,} 条变更日志相符。{extra}")
        else:
            QMessageBox.warning(self, "校验台账", "校验未通过：\n" + "\n".join(report.problems[:10]))

    def restore_layout(self) -> None:
        geometry = QSettings().value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        QSettings().setValue("main/geometry", self.saveGeometry())
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()

    def about(self) -> None:
        QMessageBox.about(self, "关于联系工作台",
                          f"联系工作台 {__version__}\n高校领导干部深入基层联系师生工作台账")

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(storage.data_dir())))

    def connect_server(self) -> None:
        from .server_dialog import ServerDialog

        ServerDialog(self).exec()

    def open_other(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "打开台账", str(storage.data_dir()),
                                              "台账数据库 (*.sqlite3 *.db);;所有文件 (*)")
        if path:
            QMessageBox.information(self, "打开台账", f"请用以下方式打开：\nliaison-desk --db \"{path}\"")
