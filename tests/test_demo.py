import hashlib
import sqlite3

from liaison_desk import settings, storage
from liaison_desk.calendar import month_bounds
from liaison_desk.demo import generate
from liaison_desk.models import Activity, Cadre, Sheet


def digest(path) -> str:
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT c.name, a.date, a.category, a.summary, a.people FROM activity a "
                        "JOIN cadre c ON c.id = a.cadre_id ORDER BY a.id").fetchall()
    conn.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def make(path, seed=7):
    storage.open_database(path)
    try:
        policy = settings.init("fjwsxy-2021")
        return generate(policy, cadres=30, months=6, seed=seed, end="2025-12")
    finally:
        storage.close_database()


def test_demo_is_deterministic(tmp_path):
    make(tmp_path / "a.sqlite3")
    make(tmp_path / "b.sqlite3")
    make(tmp_path / "c.sqlite3", seed=8)
    assert digest(tmp_path / "a.sqlite3") == digest(tmp_path / "b.sqlite3")
    assert digest(tmp_path / "a.sqlite3") != digest(tmp_path / "c.sqlite3")


def test_demo_is_realistic_and_has_cadres_short_of_rules(tmp_path):
    result = make(tmp_path / "a.sqlite3")
    storage.open_database(tmp_path / "a.sqlite3")
    try:
        assert result.cadres == 30 and result.months == 6
        assert Activity.select().count() == result.activities > 30 * 6 * 5
        first, last = month_bounds("2025-07")[0], month_bounds("2025-12")[1]
        dates = {a.date for a in Activity.select(Activity.date)}
        assert min(dates) >= first and max(dates) <= last
        names = [c.name for c in Cadre.select()]
        assert all("\u4e00" <= ch <= "\u9fff" for n in names for ch in n)
        assert {c.tier for c in Cadre.select()} >= {"leader", "middle_head", "middle_deputy"}
        assert all(a.summary for a in Activity.select().limit(200))
        assert Sheet.select().count() == 30 * 6
        # Someone skipped the canteen in some month, someone else went: rules will differ.
        counts = {}
        for a in Activity.select().where(Activity.category == "进食堂"):
            key = (a.cadre_id, a.date.month)
            counts[key] = counts.get(key, 0) + 1
        missing = [(c.id, m) for c in Cadre.select() for m in (9, 10, 11, 12) if (c.id, m) not in counts]
        assert missing and counts
        assert settings.get_term("2025-2026-1").start.weekday() == 0
    finally:
        storage.close_database()
