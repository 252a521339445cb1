"""`form import | export | list` (issue 16): a school's own form goes into the ledger, checked
whole first; a policy may then name it; a bad file changes nothing and says file, key and why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from form_files import VISIT_LOG, digest, write_form

from liaison_desk.ledger import form_library


@pytest.fixture
def ledger_cli(cli, db_path):
    assert cli("init", "--policy", "fjwsxy-2021", "--school", "测试学院")[0] == 0
    return cli


def test_import_list_and_export_round_trip(ledger_cli, tmp_path):
    code, out, err = ledger_cli("form", "import", str(write_form(tmp_path)))
    assert code == 0, err
    assert "已导入记录表格式“visit-log”（领导干部走访记录簿）" in out
    code, out, _ = ledger_cli("form", "list")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert "领导干部走访记录簿" in lines["visit-log"] and "〔台账〕" in lines["visit-log"]
    assert "〔程序自带模板〕" in lines["wulian-qijin"] and "在用：校领导" in lines["wulian-qijin"]
    assert "在用：中层正职、中层副职" in lines["santeyiti"]
    assert "roster" not in lines  # the roster list is not a record form
    back = tmp_path / "back.toml"
    assert ledger_cli("form", "export", "visit-log", "--out", str(back))[0] == 0
    assert back.read_text(encoding="utf-8") == VISIT_LOG  # the file as imported, comments and all
    assert ledger_cli("verify")[0] == 0  # the import is in the change log


def test_a_shipped_template_exports_even_without_a_ledger(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("form", "export", "santeyiti")
    assert code == 0, err
    assert "三特一体" in (tmp_path / "santeyiti.toml").read_text(encoding="utf-8")
    assert not (tmp_path / "ledger.sqlite3").exists()


def test_an_unknown_form_id_lists_the_forms(ledger_cli, tmp_path):
    code, _out, err = ledger_cli("form", "export", "no-such", "--out", str(tmp_path / "x.toml"))
    assert code == 2 and "未知的记录表格式“no-such”" in err and "wulian-qijin" in err


@pytest.mark.sqlite_only("the ledger file's bytes before and after")
@pytest.mark.parametrize("change, where, reason", [
    (('title = "领导干部走访记录簿"\n', ""), "visit-log.toml: title", "缺少必填项"),
    (('kind = "activities"', 'kind = "table"'), "visit-log.toml: sections[0].kind", "未知的值“table”"),
    (('key = "target"', 'key = "targets"'), "visit-log.toml: sections[0].columns[2].key", "未知的栏目“targets”"),
    (('title = "心得体会"', 'titel = "心得体会"'), "visit-log.toml: sections[1].titel", "未知的键"),
    (('kind = "text"', 'kind = "text"\nkey = "a"'), "visit-log.toml",
     "TOML 语法错误：第 18 行第 17 列，同一个键或表写了两次"),
    (('id = "visit-log"', 'id = "visit log"'), "visit-log.toml: id", "不能用作编号"),
])
def test_a_bad_form_is_refused_whole_naming_file_key_and_reason(ledger_cli, db_path, tmp_path, change, where,
                                                                   reason):
    before = digest(db_path)
    path = write_form(tmp_path, VISIT_LOG.replace(*change))
    code, out, err = ledger_cli("form", "import", str(path))
    assert code == 2 and out == ""
    assert err.startswith(f"错误：{where}") and reason in err, err
    assert digest(db_path) == before
    assert "visit-log" not in ledger_cli("form", "list")[1]


@pytest.mark.sqlite_only("the ledger file's bytes before and after")
def test_the_roster_list_is_not_a_record_form_to_import(ledger_cli, db_path, tmp_path):
    assert ledger_cli("form", "export", "roster", "--out", str(tmp_path / "roster.toml"))[0] == 0
    before = digest(db_path)
    code, _out, err = ledger_cli("form", "import", str(tmp_path / "roster.toml"))
    assert code == 2 and "对接一览表" in err and digest(db_path) == before


def test_replacing_a_form_says_what_happens_to_its_sheets(ledger_cli, tmp_path):
    path = write_form(tmp_path)
    ledger_cli("form", "import", str(path))
    again = ledger_cli("form", "import", str(path))
    assert again[0] == 0
    path.write_text(VISIT_LOG.replace("领导干部走访记录簿", "走访记录簿（修订）"), encoding="utf-8")
    code, out, _ = ledger_cli("form", "import", str(path))
    assert code == 0 and "已替换记录表格式“visit-log”（走访记录簿（修订））" in out
    assert "走访记录簿（修订）" in ledger_cli("form", "list")[1]


def policy_with_forms(cli, tmp_path: Path, **forms: str) -> Path:
    path = tmp_path / "policy.json"
    assert cli("policy", "export", str(path))[0] == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    data["forms"].update(forms)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_policy_may_name_the_ledgers_own_form(ledger_cli, tmp_path):
    policy = policy_with_forms(ledger_cli, tmp_path, leader="visit-log")
    code, _out, err = ledger_cli("policy", "import", str(policy))
    assert code == 2 and "forms.leader" in err and "“visit-log”" in err and "校领导（leader）" in err
    ledger_cli("form", "import", str(write_form(tmp_path)))
    code, _out, err = ledger_cli("policy", "import", str(policy))
    assert code == 0, err
    assert "在用：校领导" in [ln for ln in ledger_cli("form", "list")[1].splitlines() if "visit-log" in ln][0]


@pytest.mark.sqlite_only("the ledger file's bytes before and after")
def test_a_policy_naming_a_missing_form_leaves_the_ledger_unchanged(ledger_cli, db_path, tmp_path):
    policy = policy_with_forms(ledger_cli, tmp_path, middle_deputy="our-own-form")
    before = digest(db_path)
    code, _out, err = ledger_cli("policy", "import", str(policy))
    assert code == 2 and err.startswith("错误：policy.json: forms.middle_deputy")
    assert "中层副职（middle_deputy）" in err and "“our-own-form”" in err
    assert digest(db_path) == before


def test_the_ledgers_form_is_looked_up_before_the_template_of_that_id(ledger):
    from liaison_desk.forms import load_form_text

    text = VISIT_LOG.replace('id = "visit-log"', 'id = "santeyiti"')
    imported = form_library.store_form(load_form_text(text, "santeyiti.toml"), text)
    assert imported.replaced == "模板"
    assert form_library.get_form("santeyiti").title == "领导干部走访记录簿"
    origin = {f.id: f.origin for f in form_library.form_list()}
    assert origin["santeyiti"] == form_library.REPLACES


def test_a_sheet_whose_form_is_gone_still_prints_with_a_note(ledger_cli, tmp_path, fresh_install):
    """Today: the stored policy naming a form this install lacks stops every command."""
    assert ledger_cli("term", "set", "2025-2026-1", "--start", "2025-09-01", "--end", "2026-01-18")[0] == 0
    assert ledger_cli("cadre", "add", "吴部长", "--tier", "middle_head", "--unit", "学生工作部")[0] == 0
    assert ledger_cli("activity", "add", "吴部长", "--date", "2025-10-15", "--category", "进课堂",
                      "--carrier", "护理2301班", "--summary", "随堂听课")[0] == 0
    fresh_install()  # no 三特一体 here any more
    out = tmp_path / "sheet.pdf"
    code, _out, err = ledger_cli("sheet", "--cadre", "吴部长", "--month", "2025-10", "--out", str(out))
    assert code == 0, err
    import paper_data as pd

    page = pd.text(out.read_bytes())
    assert "随堂听课" in page and "原记录表格式“santeyiti”已找不到，按通用格式打印" in page
    assert ledger_cli("check", "--term", "2025-2026-1")[0] == 0
