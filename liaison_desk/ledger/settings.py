"""The database's settings: school name, the policy in force (its own editable copy), terms."""

from __future__ import annotations

import json
from datetime import date

from ..calendar import Term
from ..errors import BadInput
from ..policy import Policy, check_forms, load_preset, policy_from_json
from ..store import changelog
from ..store.backup import BACKUP_DIR
from ..store.models import Setting, TermRecord, db
from .form_library import record_form_ids

SCHOOL = "school_name"
POLICY = "policy"


def get(key: str, default: str = "") -> str:
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row else default


def put(key: str, value: str) -> None:
    """Set one value, logged; call inside a transaction or alone (it opens its own)."""
    with db.atomic():
        row = Setting.get_or_none(Setting.key == key)
        before = {"value": row.value} if row else None
        if row:
            if row.value == value:
                return
            Setting.update(value=value).where(Setting.key == key).execute()
        else:
            Setting.create(key=key, value=value)
        changelog.record("update" if row else "insert", "setting", key, before, {"value": value})


def is_initialised() -> bool:
    return Setting.get_or_none(Setting.key == POLICY) is not None


def init(policy_id: str | Policy, school: str = "") -> Policy:
    """Start a ledger with a preset policy, or a policy the clerk brings (blank, or read from a
    file), copied into the database so it can be edited. Its forms must exist."""
    from .clerks import require

    require("policy")
    policy = load_preset(policy_id) if isinstance(policy_id, str) else policy_id
    source = f"{policy_id}.toml" if isinstance(policy_id, str) else f"{policy.id}.toml"
    check_forms(policy, record_form_ids(), source)
    if is_initialised():
        raise BadInput("数据库已初始化；如需更换政策，请在“达标检查”→“编辑制度…”中修改或导入（命令行：policy import）")
    if len(school) > 100:
        raise BadInput("学校名称过长（最多100字）")
    with db.atomic():
        put(POLICY, policy.to_json())
        put(SCHOOL, school.strip())
    return policy


def current_policy() -> Policy:
    text = get(POLICY)
    if not text:
        raise BadInput("数据库尚未初始化（请先运行 init --policy …）")
    return policy_from_json(text)


def school_name() -> str:
    return get(SCHOOL)


# Terms (学期) ---------------------------------------------------------------------------------


def _term_from_row(row: TermRecord) -> Term:
    holidays = tuple((date.fromisoformat(a), date.fromisoformat(b)) for a, b in json.loads(row.holidays))
    start = row.start if isinstance(row.start, date) else date.fromisoformat(row.start)
    end = row.end if isinstance(row.end, date) else date.fromisoformat(row.end)
    return Term(row.id, start, end, holidays)


def set_term(term: Term) -> None:
    """Create or change a term; terms of one academic year must not overlap."""
    from .clerks import require

    require("terms")
    for other in terms():
        if other.id != term.id and other.start <= term.end and term.start <= other.end:
            raise BadInput(f"学期 {term.id} 与学期 {other.id}（{other.start}—{other.end}）日期重叠")
    holidays = json.dumps([[a.isoformat(), b.isoformat()] for a, b in term.holidays])
    values = {"start": term.start.isoformat(), "end": term.end.isoformat(), "holidays": holidays}
    with db.atomic():
        row = TermRecord.get_or_none(TermRecord.id == term.id)
        if row:
            before = {"start": str(row.start), "end": str(row.end), "holidays": row.holidays}
            TermRecord.update(**values).where(TermRecord.id == term.id).execute()
            changelog.record("update", "term", term.id, before, values)
        else:
            TermRecord.create(id=term.id, **values)
            changelog.record("insert", "term", term.id, None, values)


def terms() -> list[Term]:
    return [_term_from_row(r) for r in TermRecord.select().order_by(TermRecord.start)]


def get_term(term_id: str) -> Term:
    row = TermRecord.get_or_none(TermRecord.id == term_id)
    if row is None:
        raise BadInput(f"未设置学期“{term_id}”（请先运行 term set）")
    return _term_from_row(row)


def term_of(d: date) -> Term | None:
    for t in terms():
        if t.contains(d):
            return t
    return None


CLERK = "clerk_name"  # who keeps the ledger (办理人 on printed revision tables), not the OS login


def clerk_name() -> str:
    return get(CLERK)


def set_clerk_name(name: str) -> None:
    from .clerks import require

    require("school")
    from ..store.records import clean_text

    put(CLERK, clean_text(name, "经办人姓名", 50))


def set_school_name(name: str) -> None:
    from .clerks import require

    require("school")
    from ..store.records import clean_text

    put(SCHOOL, clean_text(name, "学校名称", 100))


def backup_dir() -> str:
    return get(BACKUP_DIR)


def set_backup_dir(path: str) -> None:
    """Where backups go: an existing folder the program can write to (or empty: the data folder)."""
    from .clerks import require

    require("school")
    import os
    from pathlib import Path

    text = path.strip()
    if text:
        folder = Path(text).expanduser()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise BadInput(f"无法使用备份文件夹 {folder}：{e.strerror}") from None
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            raise BadInput(f"备份文件夹 {folder} 不可写入")
        text = str(folder.resolve())
    put(BACKUP_DIR, text)
