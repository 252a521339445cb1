"""Unexpected errors: written with their traceback to the log in the data folder and shown to
the clerk in Chinese; the program keeps running and nothing committed is lost."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from ..store.storage import data_dir

LOG_FILE = "liaison-desk.log"
LOG_MAX_BYTES = 1024 * 1024  # then liaison-desk.log.1 … .3: the log never grows without bound
LOG_BACKUPS = 3
log = logging.getLogger("liaison_desk")


def log_path() -> Path:
    return data_dir() / LOG_FILE


def setup_logging() -> None:
    if any(isinstance(h, logging.FileHandler) for h in log.handlers):
        return
    handler = logging.handlers.RotatingFileHandler(log_path(), maxBytes=LOG_MAX_BYTES,
                                                   backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """sys.excepthook for the GUI: log, tell the clerk, carry on."""
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("意外错误\n%s", text)
    print(text, file=sys.stderr)
    if QApplication.instance() is None:
        return
    from ..failures import explain

    reason = explain(exc)  # a read-only folder, a full disk: say so, not "unexpected"
    if reason:
        box = QMessageBox(QMessageBox.Icon.Warning, "无法完成", f"{reason}\n\n详情已记录到：{log_path()}")
        box.setDetailedText(text)
        box.exec()
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "意外错误",
                      "程序遇到了一个意外错误，刚才的操作没有完成。\n"
                      "已保存的数据不受影响，可以继续工作。\n\n"
                      f"错误详情已记录到：{log_path()}\n请将该文件发给维护人员。")
    box.setDetailedText(text)
    box.exec()


def install() -> None:
    setup_logging()
    sys.excepthook = report
