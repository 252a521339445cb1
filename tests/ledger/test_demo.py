import hashlib
import re
import sqlite3

from liaison_desk.calendar import month_bounds
from liaison_desk.ledger import settings
from liaison_desk.ledger.demo import generate
from liaison_desk.store import storage
from liaison_desk.store.models import Activity, Cadre, Sheet


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


def test_demo_text_reads_as_real_text(tmp_path):
    """No truncated names (信息与电教研室) and no sentence whose target was left out (到学生了解…)."""
    make(tmp_path / "a.sqlite3")
    conn = sqlite3.connect(tmp_path / "a.sqlite3")
    try:
        named = conn.execute("SELECT t.name, u.name FROM target t JOIN unit u ON u.id = t.unit_id "
                             "WHERE t.kind IN ('党支部', '教研室', '社团', '党总支', '院系班子')").fetchall()
        assert named
        for name, unit in named:
            assert name.startswith(unit), (name, unit)
        classes = [n for (n,) in conn.execute("SELECT name FROM target WHERE kind = '班级'")]
        assert classes and all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}\d{4}班", n) for n in classes), classes[:5]
        rows = conn.execute("SELECT a.summary, a.category, t.name FROM activity a "
                            "LEFT JOIN target t ON t.id = a.target_id").fetchall()
        # The old generator put 学生 where a target's name belonged: 到学生了解班风…, 参加学生主题班会.
        empty_target = re.compile(r"^(到|在|参加|指导|走访|听取)学生(?!宿舍|党|社团|代表|公寓)")
        assert not [s for s, _c, _t in rows if empty_target.search(s)]
        assert not [s for s, _c, _t in rows if "{" in s or "《学生》" in s]
        targeted = [(s, t) for s, c, t in rows if t and c in ("进班级", "联系党支部", "主题班会")]
        assert targeted and all(t in s for s, t in targeted)
    finally:
        conn.close()
