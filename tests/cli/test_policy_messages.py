"""A clerk writing a policy file by hand: `policy show` and the messages of `policy import`.

Every refused file exits 2, says in Chinese what is wrong and where, lists what is allowed, and
leaves the ledger's policy as it was.
"""

from __future__ import annotations

import re

import pytest

from liaison_desk.policy import policies_dir


@pytest.fixture
def hand_written(cli, tmp_path):
    """A ledger on weifa-2019-19 and a copy of the hnust-2025 preset to edit as a clerk would."""
    assert cli("init", "--policy", "weifa-2019-19")[0] == 0
    text = (policies_dir() / "hnust-2025.toml").read_text(encoding="utf-8")

    def refused(old: str, new: str) -> str:
        assert old in text
        path = tmp_path / "school.toml"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        code, out, err = cli("policy", "import", str(path))
        assert code == 2 and not out
        assert "委发〔2019〕19号" in cli("policy", "show")[1].splitlines()[0]  # the old policy stays
        return err
    return refused


def test_policy_show_prints_a_range_as_from_to(cli):
    cli("init", "--policy", "jljtxy-2018")
    code, out, _ = cli("policy", "show")
    assert code == 0
    line = next(line for line in out.splitlines() if "link-branches" in line)
    assert line.endswith("每学年 1–2个")


def test_a_document_typed_in_brackets_prints_once_bracketed(cli, tmp_path):
    cli("init", "--policy", "weifa-2019-19")
    exported = tmp_path / "ours.toml"
    cli("policy", "export", str(exported))
    text = re.sub(r'^document = ".*"$', 'document = "（本校文件）"', exported.read_text(encoding="utf-8"),
                  flags=re.M)
    exported.write_text(text, encoding="utf-8")
    code, out, _ = cli("policy", "import", str(exported))
    assert code == 0 and "（本校文件）" in out and "（（" not in out
    out = cli("policy", "show")[1]
    assert "（本校文件）" in out.splitlines()[0] and "（（" not in out


def test_a_misspelt_key_is_named_as_unknown_not_as_min_missing(hand_written):
    err = hand_written("min = 4\n", "minimum = 4\n")
    assert "rules[0].minimum" in err and "未知的键" in err and "“min”" in err
    assert "缺少" not in err


def test_an_unknown_tier_lists_the_tiers(hand_written):
    err = hand_written('middle_deputy = "santeyiti"\n', 'middle_deputy = "santeyiti"\nteacher = "santeyiti"\n')
    assert "forms.teacher" in err and "leader（校领导）" in err and "middle_deputy（中层副职）" in err
    err = hand_written('tiers = ["leader", "middle_head"]', 'tiers = ["leaders"]')
    assert "“leaders”" in err and "leader（校领导）、middle_head（中层正职）、middle_deputy（中层副职）" in err


def test_an_unknown_target_kind_lists_the_kinds(hand_written):
    err = hand_written('target_kinds = ["班级"]', 'target_kinds = ["学生班级"]')
    assert "“学生班级”" in err and "可选：" in err and "班级" in err.split("可选：")[1]
    assert "宿舍" in err.split("可选：")[1]


def test_a_toml_syntax_error_is_told_in_chinese_with_line_and_column(hand_written):
    err = hand_written("min = 4\n", "min 4\n")
    line = next(n for n, text in enumerate(
        (policies_dir() / "hnust-2025.toml").read_text(encoding="utf-8").splitlines(), 1) if text == "min = 4")
    assert f"第 {line} 行第 5 列" in err and "“=”" in err and "min 4" in err
    assert "Expected" not in err and "line" not in err


def test_chinese_quotes_are_pointed_out(hand_written):
    err = hand_written('title = "每学期听课4次"', 'title = “每学期听课4次”')
    assert "语法错误" in err and "英文" in err and "列" in err
