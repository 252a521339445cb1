"""Run one core call off the GUI thread and hand its result (or its BadInput) back.

The call must not touch widgets. Reads use the worker thread's own database connection (peewee
keeps one per thread), closed when the call ends. A job that is no longer wanted is abandoned:
its result is dropped. Running jobs are held here until they end (a QThread must not be
destroyed while it runs, even when the page that asked has gone), and the application waits
for them before quitting.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QThread, Signal

from ..errors import BadInput
from ..store.models import db

_RUNNING: set[Job] = set()


class Job(QThread):
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[], Any], parent: Any = None) -> None:
        super().__init__(parent)
        self.work = work
        self.abandoned = False
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.wait)

    def start(self) -> None:  # type: ignore[override]
        _RUNNING.add(self)
        self.finished.connect(lambda: _RUNNING.discard(self))
        super().start()

    def run(self) -> None:  # runs in the worker thread
        try:
            result = self.work()
        except BadInput as e:
            if not self.abandoned:
                self.failed.emit(str(e))
        except Exception:
            traceback.print_exc()
            if not self.abandoned:
                self.failed.emit("检查时发生意外错误，详情已写入日志")
        else:
            if not self.abandoned:
                self.succeeded.emit(result)
        finally:
            if db.obj is not None and not db.is_closed():
                db.close()

    def abandon(self) -> None:
        self.abandoned = True
