"""导入记录表格式: a school's own record form into the ledger, seen before it is imported.

The clerk starts from a template (any form in use can be saved as a file to edit), writes the
file in Notepad following 格式说明 (forms/sheets/README.md, shipped with the program), picks it
here and sees at once the grid it gives in 记录录入 and the page it prints, filled with sample
entries; the preview follows the file each time it is saved. A file that is not valid shows the
file, key and reason and cannot be imported. Nothing reaches the ledger before 导入到台账.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .. import resources
from ..errors import BadInput
from ..forms import Form
from ..ledger import clerks, form_library, settings
from ..ledger.sheets import Line, SheetContent
from ..paper import form_preview
from .folders import user_file
from .office_only import guard, guarded, refused
from .print_preview import load_document
from .sheet_fields import SheetFields
from .sheet_model import SheetModel
from .sheet_view import SheetView

GUIDE = "sheets/README.md"  # under forms/: shipped with the program, so no source tree is needed


def editor_sample(form: Form) -> SheetContent:
    """The sample sheet as 记录录入 holds it (read-only: nothing can be typed into a preview)."""
    lines = [Line(activity_id=i + 1, date=a.day, category=a.category, target_id=None, target=a.target,
                  summary=a.summary, people=None, days=None, face_to_face=False, problems="",
                  extra={key: value for key, _label, value in a.extra})
             for i, a in enumerate(form_preview.sample_activities(form))]
    assigned = {k: [(0, n) for n in names] for k, names in form_preview.sample_assigned(form).items()}
    return SheetContent(cadre_id=0, cadre=form_preview.CADRE, unit=form_preview.UNIT,
                        position=form_preview.POSITION, tier="leader", month=form_preview.MONTH, form=form,
                        status="signed", fields=form_preview.sample_fields(form), lines=lines, assigned=assigned)


class GridPreview(QWidget):
    """The grid of 记录录入 for a form, with its own fields above it, filled with sample entries."""

    def __init__(self) -> None:
        super().__init__()
        policy = settings.current_policy()
        self.undo = QUndoStack(self)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold; padding: 4px;")
        self.header = QLabel()
        self.header.setStyleSheet("color: #555;")
        self.fields = SheetFields(policy, self.undo)
        self.model = SheetModel(policy, self.undo)
        self.view = SheetView(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.title, self.header, self.fields):
            layout.addWidget(w)
        layout.addWidget(self.view, 1)

    def show_form(self, form: Form) -> None:
        content = editor_sample(form)
        self.title.setText(form.title)
        values = {"month": "2025年10月", "cadre.name": content.cadre, "cadre.position": content.position,
                  "cadre.unit": content.unit}
        self.header.setText("　　".join(f"{f.label}：{values[f.key]}" for f in form.header))
        self.fields.build(content)
        self.model.load(content)
        for line in self.model.lines:  # sample targets are not on the roster: no yellow marks
            line.marks.clear()


class FormDialog(QDialog):
    """Import a form (with its preview), or save any form in use as a file to start from."""

    imported = Signal(str)  # the form's id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入记录表格式")
        self.resize(1280, 700)
        self.path: Path | None = None
        self.form: Form | None = None
        self._document = None
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(lambda _p: self.reload())

        self.forms_list = QListWidget()
        self.forms_list.setMaximumWidth(300)
        self.forms_list.setSpacing(3)
        self.export_button = QPushButton("另存为文件（作为起点）…")
        self.guide_button = QPushButton("格式说明")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("本台账可用的格式（选中可另存为文件，改后再导入）"))
        left_layout.addWidget(self.forms_list, 1)
        left_layout.addWidget(self.export_button)
        left_layout.addWidget(self.guide_button)

        self.file_label = QLabel("尚未选择文件：先选一种格式另存为文件，按“格式说明”修改后再选它")
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton("选择格式文件…")
        self.reload_button = QPushButton("重新读取")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.grid_preview = GridPreview()
        self.pdf_view = QPdfView()
        # A fixed zoom: fitting to the width makes the view and the grid beside it resize each other
        # without end under X11 (the page's scroll bar comes and goes).
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.previews = QSplitter(Qt.Orientation.Horizontal)  # both at once: the grid and the paper
        panes = (("录入时的表格（示例内容）", self.grid_preview), ("打印出的记录表（示例内容）", self.pdf_view))
        for title, widget in panes:
            pane = QWidget()
            pane_layout = QVBoxLayout(pane)
            pane_layout.setContentsMargins(0, 0, 0, 0)
            caption = QLabel(title)
            caption.setStyleSheet("font-weight: bold; color: #8c1c13;")
            pane_layout.addWidget(caption)
            pane_layout.addWidget(widget, 1)
            self.previews.addWidget(pane)
        self.previews.setSizes([560, 440])
        self.previews.setEnabled(False)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        line = QHBoxLayout()
        line.addWidget(self.file_label, 1)
        line.addWidget(self.choose_button)
        line.addWidget(self.reload_button)
        right_layout.addLayout(line)
        right_layout.addWidget(self.error_label)
        right_layout.addWidget(self.previews, 1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([260, 1020])
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.import_button = QPushButton("导入到台账")
        self.import_button.setEnabled(False)
        close = QPushButton("关闭")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        guard("forms", self.import_button)
        bottom.addWidget(self.import_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)

        self.choose_button.clicked.connect(self.choose_file)
        self.reload_button.clicked.connect(self.reload)
        self.export_button.clicked.connect(self.choose_export)
        self.guide_button.clicked.connect(self.show_guide)
        self.import_button.clicked.connect(self.do_import)
        close.clicked.connect(self.reject)
        self.show_forms()

    # The forms in use, and files to start from -------------------------------------------------

    def show_forms(self) -> None:
        self.forms_list.clear()
        for info in form_library.form_list():
            used = f"\n在用：{'、'.join(info.tiers)}" if info.tiers else ""
            item = QListWidgetItem(f"{info.title}\n{info.id} 〔{info.origin}〕{used}")
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            self.forms_list.addItem(item)
        if self.forms_list.count():
            self.forms_list.setCurrentRow(0)

    def selected_form(self) -> str:
        item = self.forms_list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""

    def choose_export(self) -> None:
        form_id = self.selected_form()
        if not form_id:
            return
        path, _ = QFileDialog.getSaveFileName(self, "另存记录表格式", user_file(f"{form_id}.toml"),
                                              "记录表格式 (*.toml)")
        if path:
            self.export_to(form_id, Path(path))

    def export_to(self, form_id: str, path: Path) -> bool:
        """Save a form as a file to edit; the preview then follows that file."""
        try:
            form_library.export_form(form_id, path)
        except BadInput as e:
            self.error_label.setText(f"无法另存：{e}")
            return False
        self.set_file(path)  # shows its preview, then says what to do with the file
        self.status.setText(f"已另存为 {path}：用记事本修改它（编号 id 改为本校的，见“格式说明”），保存后预览随之更新")
        return True

    def guide_text(self) -> str:
        try:
            return (resources.forms_dir() / GUIDE).read_text(encoding="utf-8")
        except OSError:
            return "（格式说明文件缺失：请重新安装程序）"

    def show_guide(self) -> None:
        box = QDialog(self)
        box.setWindowTitle("记录表格式说明")
        box.resize(820, 640)
        browser = QTextBrowser()
        browser.setMarkdown(self.guide_text())
        QVBoxLayout(box).addWidget(browser)
        box.show()
        self.guide = box

    # The file, its preview, the import ------------------------------------------------------------

    def choose_file(self) -> None:
        start = str(self.path.parent) if self.path else user_file()
        path, _ = QFileDialog.getOpenFileName(self, "选择记录表格式文件", start, "记录表格式 (*.toml);;所有文件 (*)")
        if path:
            self.set_file(Path(path))

    def set_file(self, path: Path) -> None:
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())
        self.path = path
        self.watcher.addPath(str(path))
        self.reload()

    def reload(self) -> bool:
        """Read the file again and show its preview (also each time the file is saved)."""
        if self.path is None:
            return False
        if str(self.path) not in self.watcher.files() and self.path.exists():
            self.watcher.addPath(str(self.path))  # editors that save by replacing the file
        self.file_label.setText(f"文件：{self.path}")
        try:
            form, _text = form_library.read_form_file(self.path)
        except BadInput as e:
            self.form = None
            self.error_label.setText(f"不能导入：{e}")
            self.import_button.setEnabled(False)
            self.previews.setEnabled(False)
            self.status.setText("文件有错（见上方红字），尚未导入：改正后保存，预览随之更新")
            return False
        self.form = form
        self.error_label.clear()
        self.grid_preview.show_form(form)
        self.show_pdf(form)
        self.previews.setEnabled(True)
        self.import_button.setEnabled(clerks.may("forms"))
        known = {i.id: i for i in form_library.form_list()}
        if form.id in known and known[form.id].origin != form_library.SHIPPED:
            what = "将替换本台账中同一编号的格式"
        elif form.id in known:
            what = "将在本台账中代替程序自带的同名模板"
        else:
            what = "是新的格式"
        self.status.setText(f"预览：{form.title}（编号 {form.id}，{what}；示例内容，尚未导入）")
        return True

    def show_pdf(self, form: Form) -> None:
        pdf = form_preview.preview_pdf(form, settings.school_name())
        document, buffer = load_document(pdf, self)
        page_px = document.pagePointSize(0).width() * self.pdf_view.logicalDpiX() / 72 or 800
        self.pdf_view.setZoomFactor(max(0.3, min(1.5, (self.pdf_view.viewport().width() - 24) / page_px)))
        self.pdf_view.setDocument(document)
        self._document = (document, buffer)  # kept alive while shown

    def do_import(self) -> bool:
        if refused(self, "forms", "导入记录表格式"):
            return False
        if self.path is None or not self.reload():
            return False
        try:
            result = form_library.import_form(self.path)
        except BadInput as e:
            self.error_label.setText(f"不能导入：{e}")
            return False
        self.status.setText("；".join(result.lines()) + "。在“达标检查 → 编辑制度…”中选择哪类干部使用它。")
        self.show_forms()
        self.imported.emit(result.form.id)
        return True


def open_form_dialog(parent: QWidget | None = None) -> FormDialog:
    dialog = FormDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


class FormsBox(QGroupBox):
    """设置 → 记录表格式: which forms this ledger has, and the way to import one."""

    def __init__(self) -> None:
        super().__init__("记录表格式（纸质工作记录表的样式）")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.button = QPushButton("导入记录表格式…")
        self.button.clicked.connect(self.open_dialog)
        line = QHBoxLayout(self)
        line.addWidget(self.summary, 1)
        line.addWidget(guarded("forms", self.button))
        line.addWidget(self.button)
        self.show_summary()

    def show_summary(self) -> None:
        forms = form_library.form_list()
        own = [f for f in forms if f.origin != form_library.SHIPPED]
        used = "；".join(f"{'、'.join(f.tiers)}：{f.title}" for f in forms if f.tiers)
        self.summary.setText(f"在用：{used or '—'}。本校导入的格式 {len(own)} 种（保存在台账中，随备份保存），"
                             f"程序自带模板 {len(forms) - len(own)} 种。"
                             "哪类干部用哪种，在“达标检查 → 编辑制度…”中选择。")

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name): the policy may have changed
        self.show_summary()
        super().showEvent(event)

    def open_dialog(self) -> None:
        dialog = open_form_dialog(self)
        dialog.imported.connect(lambda _id: self.show_summary())
