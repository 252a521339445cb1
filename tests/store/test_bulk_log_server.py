"""A bulk write on a server logs exactly the rows it inserted (issue 18): another clerk inserting
into the same table at the same time — a row before the bulk write's and one after, committed
while the bulk write is still running — gets no second insert entry from the bulk write, and
`verify` passes. The session's real PostgreSQL server; the other clerk is a second connection."""

from __future__ import annotations

import threading
from collections import Counter

from liaison_desk.ledger import demo, settings
from liaison_desk.store import changelog, storage
from liaison_desk.store.models import ChangeLog, Unit, db
from liaison_desk.store.sql import insert_one
from liaison_desk.store.verify import verify


class OtherClerk(threading.Thread):
    """A second connection (peewee keeps one per thread): inserts a unit in its own transaction,
    waits, inserts another, then logs both and commits."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.first_in = threading.Event()
        self.go_on = threading.Event()
        self.done = threading.Event()
        self.ids: list[int] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            db.connect(reuse_if_open=True)
            with db.atomic():
                self.ids.append(insert_one("unit", {"name": "测试秘书处甲", "kind": "职能部门"}))
                self.first_in.set()
                assert self.go_on.wait(60)
                self.ids.append(insert_one("unit", {"name": "测试档案馆乙", "kind": "职能部门"}))
                for uid, name in zip(self.ids, ("测试秘书处甲", "测试档案馆乙"), strict=True):
                    changelog.record("insert", "unit", uid, None, {"id": uid, "name": name, "kind": "职能部门"})
        except BaseException as e:  # noqa: BLE001 - handed to the test
            self.error = e
        finally:
            db.close()
            self.first_in.set()
            self.done.set()


def test_a_bulk_write_logs_only_its_own_rows_while_another_clerk_inserts(pg):
    url = pg.new_database()
    storage.open_database(url)
    try:
        settings.init("hnust-2025", "测试大学")
        for term in demo._term_dates(2025):  # already there: the demo writes no log entry before its rows
            settings.set_term(term)
        other = OtherClerk()
        other.start()
        assert other.first_in.wait(60)  # the other clerk's first unit holds an id below the demo's

        def progress(step: str) -> None:
            if step == "联系对象":  # the demo's units and cadres are in, its log not yet written
                other.go_on.set()
                assert other.done.wait(60), "the other clerk could not commit while the demo ran"

        demo.generate(settings.current_policy(), cadres=12, months=3, end="2025-12", progress=progress)
        other.join(60)
        assert other.error is None, other.error
        assert other.ids[0] < min(u.id for u in Unit.select() if u.id not in other.ids) < other.ids[1]

        inserts = Counter((e.table, e.row_id) for e in ChangeLog.select().where(ChangeLog.action == "insert"))
        twice = {k: n for k, n in inserts.items() if n > 1}
        assert twice == {}
        for uid in [u.id for u in Unit.select()]:
            assert inserts[("unit", str(uid))] == 1
        report = verify()
        assert report.ok, report.problems
    finally:
        storage.close_database()
