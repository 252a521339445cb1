"""The GUI's hold on one ledger file: the writer's lock (a second window opens read-only and says
so), the integrity check of every session (a damaged file is not written to, and the newest good
backup is offered), and backups on start, daily while open, and on close.

The check (SQLite's quick_check, 0.8 s on an 890 MB ledger) runs off the GUI thread right after
the window shows; until it passes, writes are refused with a "please wait" and no backup is
taken. After a crash, or when the file must be migrated first, it runs before opening instead.

Backups run in the background: the start and daily ones also compress the older backups. The
close one only copies and checks: it asks any compression still running to stop (the backup being
compressed stays as it was), and leaves the compression of the previous backup to the next start.
None is taken when nothing changed since the newest. It runs off the GUI thread once the window
has gone (`close_in_background`), a small window showing its progress, and the program ends when
it is done: the lock is held until then, and a backup cut short (the program killed) never
carries a backup's name, so nothing is lost."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from ..errors import BadInput
from ..ledger import settings
from ..store import backup, ledger_file, safety, storage
from . import crash
from .background import Job

DAY_S = 24 * 3600


class ClosingProgress(QProgressDialog):
    """The close-time backup's progress, once the main window has gone; it cannot be dismissed
    (the program ends when the backup is done)."""

    moved = Signal(int, int, str)  # from the backup's thread: done, total, what

    def __init__(self) -> None:
        super().__init__("正在备份台账，完成后程序自动退出……", "", 0, 0)
        self.setWindowTitle("联系工作台：关闭时备份")
        self.setCancelButton(None)  # type: ignore[arg-type]
        self.setMinimumDuration(0)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(380)
        self.finished_backup = False
        self.moved.connect(self._move)

    def _move(self, done: int, total: int, what: str) -> None:
        if what == "检查":
            self.setLabelText("正在检查备份是否完好，完成后程序自动退出……")
            self.setRange(0, 0)
        elif total:
            self.setRange(0, total)
            self.setValue(done)

    def reject(self) -> None:  # Esc: the backup goes on
        return None

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.finished_backup:
            event.accept()
        else:
            event.ignore()


class Session(QObject):
    closed = Signal()  # close_in_background is done: the program may end

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.lock = safety.LedgerLock(path)
        self.read_only = False
        self.reason = ""
        self.checked = False  # the file passed this session's integrity check
        self.window: QWidget | None = None
        self.jobs: list[Job] = []
        self.stop = threading.Event()  # set on close: background compression ends early
        self.timer = QTimer(self)
        self.timer.setInterval(3600 * 1000)
        self.timer.timeout.connect(self.daily_backup)
        self.closing: Job | None = None  # the close-time backup, once under way
        self.progress: ClosingProgress | None = None
        self.done = False  # closed: the lock let go

    def open(self, parent: QWidget | None = None) -> bool:
        """Open the ledger for writing if this window may and the file is sound; else read-only."""
        if not self.lock.acquire():
            return self._open_read_only(f"台账正被 {self.lock.holder()} 使用，本窗口以只读方式打开；"
                                        "关闭另一个窗口后重新打开即可修改。")
        state = ledger_file.inspect(self.path, check=False)
        if state.exists and not state.empty and not state.damaged and not state.ledger:
            QMessageBox.critical(parent, "无法打开台账",
                                 f"{self.path} 不是联系工作台的台账（像是其他程序的数据库文件），没有做任何改动。")
            self.lock.release()
            return False
        check_now = state.damaged or not safety.was_closed_cleanly(self.path) or ledger_file.needs_migration(state)
        if state.exists and not state.empty and check_now:
            # A crash, or a migration to make: check before anything is written.
            try:
                result = safety.quick_check(self.path)
            except BadInput as e:  # the disk or the folder, not the file: say so and write nothing
                return self._open_read_only(f"{e}；以只读方式打开，不写入任何内容。")
            if result != "ok" and not self.offer_restore(result, parent):
                return self._open_read_only(f"台账文件损坏（{result}），以只读方式打开，不写入任何内容。")
            self.checked = True
        hold = state.ledger and not self.checked  # checked off the GUI thread once the window shows
        self.checked = self.checked or not state.ledger  # a new ledger has nothing to check
        try:
            storage.open_database(self.path, hold_writes=hold)
        except BadInput as e:
            QMessageBox.critical(parent, "无法打开台账", str(e))
            self.lock.release()
            return False
        safety.mark_open(self.path)
        from ..store.anchor import warn_on_open

        warning = warn_on_open(self.path)
        if warning:  # before this session's start-up backup replaces the newest one
            QMessageBox.warning(parent, "台账与备份不符", warning)
        return True

    def _open_read_only(self, reason: str) -> bool:
        self.read_only, self.reason = True, reason
        try:
            storage.open_database(self.path, read_only=True)
        except BadInput as e:
            QMessageBox.critical(None, "无法打开台账", f"{reason}\n\n{e}")
            return False
        return True

    def newest_sound(self) -> backup.BackupFile | None:
        return backup.newest_sound_for(self.path, self._backup_bases())

    def offer_restore(self, problem: str, parent: QWidget | None) -> bool:
        """Offer the newest good backup for a damaged file (closed); True when it was put in place."""
        good = self.newest_sound()
        text = backup.damage_text(self.path, problem, good)
        if good is None:
            QMessageBox.critical(parent, "台账文件损坏", f"{text}\n\n程序将以只读方式打开。")
            return False
        answer = QMessageBox.question(
            parent, "台账文件损坏",
            f"{text}\n\n是否用这份备份替换损坏的台账？损坏的文件会另存一份，不会删除。选“否”则以只读方式打开。")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            aside = backup.restore_damaged(self.path, good.path)
        except backup.RestoreRefused as e:
            again = QMessageBox.question(parent, "台账文件损坏", f"{e}\n\n仍要用它替换损坏的台账吗？")
            if again != QMessageBox.StandardButton.Yes:
                return False
            aside = backup.restore_damaged(self.path, good.path, accept_findings=True)
        except BadInput as e:
            QMessageBox.critical(parent, "台账文件损坏", f"未能恢复：{e}\n\n程序将以只读方式打开。")
            return False
        crash.log.warning("damaged ledger kept as %s; restored %s", aside, good.path)
        return True

    def _backup_bases(self) -> list[Path]:
        """Besides the default and the ledger's own setting: the folder last configured
        (remembered outside the ledger, which may be the damaged file)."""
        configured = QSettings().value("backup/dir", "")
        return [Path(str(configured))] if configured else []

    def started(self, window: QWidget | None = None) -> None:
        """After the window shows: this session's check, if not done yet, then the start-up backup."""
        self.window = window
        if self.read_only:
            return
        if self.checked:
            self._begin()
            return
        job = Job(lambda: safety.quick_check(self.path))
        job.succeeded.connect(self._check_done)
        job.failed.connect(lambda message: self._check_done(message or "检查未能完成"))
        self.jobs.append(job)
        job.start()

    def _check_done(self, result: str) -> None:
        if result == "ok":
            storage.release_writes()
            self.checked = True
            self._begin()
            return
        crash.log.error("台账文件损坏：%s", result)
        storage.close_database()
        if self.offer_restore(result, self.window):
            storage.open_database(self.path)
            self.checked = True
            QMessageBox.information(self.window, "台账已恢复", "已用完好的备份替换损坏的台账。\n"
                                    "请关闭并重新打开程序，以便各页面显示恢复后的内容。")
            self._begin()
            return
        self.read_only, self.reason = True, f"台账文件损坏（{result}），以只读方式打开，不写入任何内容。"
        try:
            storage.open_database(self.path, read_only=True)
        except BadInput:
            storage.open_database(self.path, hold_writes=True)  # cannot even be read as a whole
            storage.db.obj.refusal = self.reason  # type: ignore[attr-defined]
        if self.window is not None and hasattr(self.window, "set_read_only"):
            self.window.set_read_only(self.reason)

    def check_now(self, parent: QWidget | None = None) -> bool:
        """The check on the GUI thread, when something must write before the window shows (the
        set-up dialog). False when the file is damaged and was not replaced."""
        if self.checked or self.read_only:
            return True
        if safety.quick_check(self.path) == "ok":
            storage.release_writes()
            self.checked = True
            return True
        return self.damaged_on_first_read(parent)

    def damaged_on_first_read(self, parent: QWidget | None = None) -> bool:
        """The window could not be built (the damage is where its first page reads): check now,
        offer the newest sound backup; True when it was put in place and the window may be built."""
        result = safety.quick_check(self.path)
        storage.close_database()
        crash.log.error("台账文件损坏：%s", result)
        if result != "ok" and self.offer_restore(result, parent):
            storage.open_database(self.path)
            self.checked = True
            return True
        self.read_only = True
        if result == "ok":
            QMessageBox.critical(parent, "无法打开台账", "读取台账时出错，详情已写入日志。请联系维护人员。")
        return False

    def _begin(self) -> None:
        QSettings().setValue("backup/dir", settings.backup_dir())
        self.run(lambda: backup.automatic("start", stop=self.stop))
        self.timer.start()

    def daily_backup(self) -> None:
        age = backup.newest_age()
        if age is None or age.total_seconds() >= DAY_S:
            self.run(lambda: backup.automatic("daily", stop=self.stop))

    def run(self, work: object) -> None:
        job = Job(work)  # type: ignore[arg-type]
        job.failed.connect(lambda message: crash.log.error("后台备份失败：%s", message))
        self.jobs.append(job)
        job.start()

    def _backs_up_on_close(self) -> bool:
        return not self.read_only and self.checked and storage.db.obj is not None

    def close_in_background(self) -> None:
        """The window has gone: the close-time backup on a thread while a small window shows its
        progress (the GUI thread stays free); then `finish`, and `closed`. Called once."""
        if self.closing is not None or self.done:
            return
        self.timer.stop()
        self.stop.set()  # background compression ends early
        if not self._backs_up_on_close():
            self.close()
            self.closed.emit()
            return
        earlier = list(self.jobs)
        self.progress = ClosingProgress()
        self.progress.show()
        moved = self.progress.moved

        def work() -> object:
            for job in earlier:  # waited for here, not on the GUI thread
                job.wait()
            return backup.automatic("close", pack=False, progress=lambda d, t, w: moved.emit(d, t, w))
        self.closing = Job(work)
        self.closing.failed.connect(lambda message: crash.log.error("关闭时备份失败：%s", message))
        self.closing.finished.connect(self._closed_in_background)
        self.closing.start()

    def _closed_in_background(self) -> None:
        if self.progress is not None:
            self.progress.finished_backup = True
            self.progress.close()
        self.finish()
        self.closed.emit()

    def close(self) -> None:
        """On close, on the GUI thread (a window that never showed, an error, the tests): stop
        background work, back up (no compression), then `finish`."""
        self.timer.stop()
        self.stop.set()
        if self.closing is not None:  # already closing in the background: wait for it
            self.closing.wait()
        elif not self.done:
            for job in self.jobs:
                job.wait()
            if self._backs_up_on_close():
                try:
                    backup.automatic("close", pack=False)
                except Exception:  # a failed backup must not stop the program closing
                    crash.log.exception("关闭时备份失败")
        self.finish()

    def finish(self) -> None:
        """Close the database, mark the file closed (after a sound session), let go of the lock."""
        if self.done:
            return
        self.done = True
        if self._backs_up_on_close():
            storage.close_database()
            safety.mark_closed(self.path)
        else:
            storage.close_database()
        self.lock.release()


class ServerSession(Session):
    """A ledger on a PostgreSQL server: no file, so no writer's lock (the server lets several
    clerks write at once), no open marker, no file check and no file backups — the settings page
    and the File menu say so. The connection is checked by opening it."""

    def __init__(self, url: str) -> None:
        QObject.__init__(self)
        self.url = url
        self.read_only, self.reason, self.checked = False, "", True
        self.window: QWidget | None = None
        self.jobs: list[Job] = []
        self.timer = QTimer(self)

    def open(self, parent: QWidget | None = None) -> bool:
        try:
            storage.open_database(self.url, create=True)
        except BadInput as e:
            QMessageBox.critical(parent, "无法连接服务器台账", str(e))
            return False
        return True

    def started(self, window: QWidget | None = None) -> None:
        self.window = window

    def check_now(self, parent: QWidget | None = None) -> bool:
        return True

    def damaged_on_first_read(self, parent: QWidget | None = None) -> bool:
        QMessageBox.critical(parent, "无法读取服务器台账", "读取服务器台账时出错，详情已写入日志。请联系数据库管理员。")
        return False

    def daily_backup(self) -> None:
        return

    def close(self) -> None:
        self.timer.stop()
        storage.close_database()
