"""Policy import refuses values that would break the ledger later (issue 14, defect 7), reads
the files Notepad writes, and a damaged stored policy is a clear message (defect 5)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from ledger_files import outside


@pytest.fixture
def exported(cli, tmp_path: Path) -> dict:
    assert cli("init", "--policy", "hnust-2025")[0] == 0
    assert cli("policy", "export", str(tmp_path / "p.json"))[0] == 0
    return json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))


def import_with(cli, tmp_path: Path, data: dict, text: str | None = None) -> tuple[int, str]:
    path = tmp_path / "bad.json"
    path.write_text(text if text is not None else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _out, err = cli("policy", "import", str(path))
    return code, err


def deadline_rule(data: dict) -> dict:
    return next(r for r in data["rules"] if r.get("offset_days"))


@pytest.mark.parametrize("value, key", [
    (9223372036854775807, "offset_days"), (-9223372036854775807, "offset_days"), (400, "offset_days")])
def test_an_offset_beyond_a_year_is_refused_naming_the_key(cli, exported, tmp_path, value, key):
    deadline_rule(exported)[key] = value
    code, err = import_with(cli, tmp_path, exported)
    assert code == 2 and f"rules[{exported['rules'].index(deadline_rule(exported))}].offset_days" in err
    assert cli("check", "--term", "2025-2026-1")[0] != 1  # the ledger still has its old policy


@pytest.mark.parametrize("number", ["Infinity", "NaN", "1e308"])
def test_infinite_or_huge_minimums_are_refused(cli, exported, tmp_path, number):
    raw = re.sub(r'"min": [0-9.]+', f'"min": {number}', json.dumps(exported, ensure_ascii=False), count=1)
    assert number in raw  # json.dumps cannot write inf itself; a hand-edited file can
    code, err = import_with(cli, tmp_path, exported, raw)
    assert code == 2 and "rules[0].min" in err


def test_an_unknown_form_is_refused(cli, exported, tmp_path):
    exported["forms"]["leader"] = "no-such-form"
    code, err = import_with(cli, tmp_path, exported)
    assert code == 2 and "forms.leader" in err and "未知的记录表" in err


def test_a_policy_without_rules_is_refused(cli, exported, tmp_path):
    exported["rules"] = []
    code, err = import_with(cli, tmp_path, exported)
    assert code == 2 and "没有任何规则" in err


def test_a_huge_title_with_control_characters_is_refused(cli, exported, tmp_path):
    exported["rules"][0]["title"] = "达标\x07" + "长" * 100_000
    code, err = import_with(cli, tmp_path, exported)
    assert code == 2 and "rules[0].title" in err and "过长" in err
    exported["rules"][0]["title"] = "每月\x1b[2J达标"
    code, err = import_with(cli, tmp_path, exported)
    assert code == 2 and "rules[0].title" in err and "控制字符" in err


@pytest.mark.sqlite_only("the file's size on disk")
def test_fifty_megabytes_of_notes_are_refused_before_reading(cli, exported, tmp_path, db_path):
    size = db_path.stat().st_size
    exported["notes"] = "备注" * (25 * 1024 * 1024)
    code, err = import_with(cli, tmp_path, exported)
    assert code == 2 and "过大" in err
    exported["notes"] = "备注" * 20_000
    code, err = import_with(cli, tmp_path, exported)
    assert code == 2 and "notes" in err and "过长" in err
    assert db_path.stat().st_size < size + 1024 * 1024


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "gbk", "utf-8-sig"])
def test_a_policy_saved_by_notepad_is_read(cli, exported, tmp_path, encoding):
    exported["name"] = "本校联系制度（记事本另存）"
    path = tmp_path / "notepad.json"
    path.write_bytes(json.dumps(exported, ensure_ascii=False).encode(encoding))
    code, out, err = cli("policy", "import", str(path))
    assert code == 0, err
    assert "本校联系制度（记事本另存）" in out


def test_a_damaged_stored_policy_is_a_clear_message_for_every_command(cli, exported, db_path):
    conn = outside(db_path)
    conn.execute("UPDATE setting SET value = '{not json' WHERE key = 'policy'")
    conn.commit()
    conn.close()
    for args in (("check", "--month", "2025-10"), ("cadre", "add", "王五", "--tier", "leader"), ("policy", "show")):
        code, _out, err = cli(*args)
        assert code == 2 and "政策已损坏" in err, (args, err)
    code, _out, err = cli("verify")
    assert code == 2 and "设置 #policy" in err  # verify still runs, and names what was changed
