"""The GUI's hold on one ledger file: the writer's lock (a second window opens read-only and says
so), the integrity check at start-up (a damaged file is not written to, and the newest good backup
is offered), and backups on start, daily while open, and on close."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from .. import backup, safety, settings, storage
from ..errors import BadInput
from . import crash
from .background import Job

DAY_S = 24 * 3600


class Session(QObject):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.lock = safety.LedgerLock(path)
        self.read_only = False
        self.reason = ""
        self.jobs: list[Job] = []
        self.timer = QTimer(self)
        self.timer.setInterval(3600 * 1000)
        self.timer.timeout.connect(self.daily_backup)

    def open(self, parent: QWidget | None = None) -> bool:
        """Open the ledger for writing if this window may and the file is sound; else read-only."""
        if not self.lock.acquire():
            return self._open_read_only(f"台账正被 {self.lock.holder()} 使用，本窗口以只读方式打开；"
                                        "关闭另一个窗口后重新打开即可修改。")
        if self.path.exists() and not safety.was_closed_cleanly(self.path):
            # The last session ended without closing (crash, power cut): check before writing.
            result = safety.quick_check(self.path)
            if result != "ok" and not self.offer_restore(result, parent):
                return self._open_read_only(f"台账文件损坏（{result}），以只读方式打开，不写入任何内容。")
        try:
            storage.open_database(self.path)
        except BadInput as e:
            QMessageBox.critical(parent, "无法打开台账", str(e))
            self.lock.release()
            return False
        safety.mark_open(self.path)
        from ..anchor import warn_on_open

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

    def offer_restore(self, problem: str, parent: QWidget | None) -> bool:
        """Offer the newest good backup for a damaged file; True when it was put in place."""
        good = None
        for folder in self._backup_folders():
            found = backup.newest_good(folder)
            if found and (good is None or found.taken > good.taken):
                good = found
        if good is None:
            QMessageBox.critical(parent, "台账文件损坏", f"台账文件已损坏（{problem}），也没有找到完好的备份。\n"
                                 "程序将以只读方式打开，不写入任何内容。请联系维护人员。")
            return False
        answer = QMessageBox.question(
            parent, "台账文件损坏",
            f"台账文件已损坏（{problem}）。\n\n是否用最新的完好备份（{good.taken:%Y-%m-%d %H:%M}）替换它？\n"
            "损坏的文件会另存一份，不会删除。选“否”则以只读方式打开。")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        aside = backup.replace_damaged(self.path, good.path)
        crash.log.warning("damaged ledger kept as %s; restored %s", aside, good.path)
        return True

    def _backup_folders(self) -> list[Path]:
        """Where this ledger's backups may be: the default folder and the one last configured
        (remembered outside the ledger, which may be the damaged file)."""
        bases = [backup.default_base()]
        configured = QSettings().value("backup/dir", "")
        if configured:
            bases.append(Path(str(configured)))
        return [backup.backup_folder(self.path, base) for base in bases]

    def started(self) -> None:
        """After the window shows: a start-up backup and, if not done already, the check."""
        if self.read_only:
            return
        QSettings().setValue("backup/dir", settings.backup_dir())
        self.run(lambda: backup.make_backup("start"))
        self.timer.start()

    def daily_backup(self) -> None:
        age = backup.newest_age()
        if age is None or age.total_seconds() >= DAY_S:
            self.run(lambda: backup.make_backup("daily"))

    def run(self, work: object) -> None:
        job = Job(work)  # type: ignore[arg-type]
        job.failed.connect(lambda message: crash.log.error("后台备份失败：%s", message))
        self.jobs.append(job)
        job.start()

    def close(self) -> None:
        """On close: wait for background work, back up, mark the file closed, let go of the lock."""
        self.timer.stop()
        for job in self.jobs:
            job.wait()
        if not self.read_only and storage.db.obj is not None:
            try:
                backup.make_backup("close")
            except Exception:  # a failed backup must not stop the program closing
                crash.log.exception("关闭时备份失败")
            storage.close_database()
            safety.mark_closed(self.path)
        else:
            storage.close_database()
        self.lock.release()
