"""A real collision on the tests' PostgreSQL server, for the retry tests (issue 18): another
clerk, on a second connection, takes the change log's lock, waits until the write under test
waits for that lock, then does `then` — a step that waits for a row the write under test has
locked or inserted. Each waits for the other: the server's deadlock check (1 s) aborts the write
under test (this connection's check is set far later), which is rolled back, so `then` goes
through and the other clerk commits; the write under test, retried, then runs again."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from liaison_desk.store.models import db
from liaison_desk.store.sql import run, serialise

WAITING = ("SELECT w.pid, EXISTS (SELECT 1 FROM pg_locks r WHERE r.pid = w.pid AND r.locktype = 'relation' "
           "AND r.relation = ?::regclass AND r.mode IN ('RowShareLock', 'RowExclusiveLock')) "
           "FROM pg_locks w WHERE w.locktype = 'advisory' AND NOT w.granted")


class OtherClerk(threading.Thread):
    """`table`: the write under test has locked or written rows of it when it waits for the change
    log at the moment to collide with (a wait before that, an anchor's say, is let through)."""

    def __init__(self, then: Callable[[], None], table: str = "sheet") -> None:
        super().__init__(daemon=True)
        self.then, self.table = then, table
        self.holding = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            db.connect(reuse_if_open=True)  # peewee keeps a connection per thread
            run("SET deadlock_timeout = '60s'")  # the write under test finds the deadlock, not this one
            deadline = time.monotonic() + 60
            while True:
                with db.atomic():
                    serialise("change-log")
                    self.holding.set()
                    waiting: list[tuple[int, bool]] = []
                    while not waiting:
                        assert time.monotonic() < deadline, "the write under test never waited for the change log"
                        time.sleep(0.05)
                        waiting = run(WAITING, (self.table,)).fetchall()
                    if any(holds for _pid, holds in waiting):
                        self.then()
                        return
                # not yet at the step to collide with: the change log let go (commit), then taken again
        except BaseException as e:  # noqa: BLE001 - handed to the test
            self.error = e
        finally:
            db.close()
            self.holding.set()

    def __enter__(self) -> OtherClerk:
        self.start()
        assert self.holding.wait(60)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.join(60)
        assert not self.is_alive(), "the other clerk never finished"
        assert self.error is None, self.error
