import re

import pytest

from liaison_desk.errors import BadInput
from liaison_desk.policy import load_policy_file, load_preset, policy_from_json, preset_ids

PRESETS = {"moe-2019": "002", "weifa-2019-19": "000", "hnust-2025": "001", "fjwsxy-2021": "003",
           "jljtxy-2018": "004"}


def normalise(text: str) -> str:
    """Seed text as extracted from PDFs has stray spaces and mixed punctuation widths."""
    text = re.sub(r"\s", "", text)
    table = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", '"': "“", "”": "“",
                           "〔": "[", "〕": "]"})
    return text.translate(table)


def test_all_five_presets_exist_and_load():
    assert set(PRESETS) <= set(preset_ids())
    for pid, seed in PRESETS.items():
        policy = load_preset(pid)
        assert policy.id == pid and policy.seed == seed
        assert policy.rules, pid


@pytest.mark.parametrize("pid", sorted(PRESETS))
def test_every_rule_quotes_its_seed_clause(pid, seed_texts):
    """Each rule's clause holds a verbatim quote (8+ characters) of its seed document."""
    policy = load_preset(pid)
    seed = normalise(seed_texts[PRESETS[pid]])
    for item in [*policy.rules, *policy.not_checkable]:
        clause = normalise(item.clause)
        runs = re.findall(r"[\u4e00-\u9fffA-Za-z0-9“”（）()、，．.]{8,}", clause)
        quoted = any(run[i:i + 8] in seed for run in runs for i in range(len(run) - 7))
        assert quoted, f"{pid}: {getattr(item, 'id', item.clause)} does not quote the seed"


def test_presets_cover_the_mechanics_the_seeds_need():
    rules = [r for pid in PRESETS for r in load_preset(pid).rules]
    measures = {r.measure for r in rules}
    periods = {r.period for r in rules}
    assert {"count", "people", "days", "per_target", "assigned", "deadline"} <= measures
    assert {"week", "month", "term", "half_year", "year"} <= periods
    assert any(r.scope == "assigned" for r in rules)
    assert any(r.face_to_face for r in rules)
    assert any(r.who.tags_all for r in rules)


def test_a_policy_survives_its_database_copy():
    for pid in PRESETS:
        policy = load_preset(pid)
        assert policy_from_json(policy.to_json()) == policy


BASE = '''id = "broken"
name = "x"
document = "x"
issuer = "x"
seed = "000"
issued = "2019-01-01"
[forms]
leader = "wulian-qijin"
middle_head = "santeyiti"
middle_deputy = "santeyiti"
[[rules]]
id = "r1"
title = "每月进宿舍"
clause = "每月进 1 次宿舍"
measure = "count"
period = "month"
categories = ["进宿舍"]
min = 1
'''


@pytest.mark.parametrize("change, key", [
    (("min = 1", "min = 1\nminimum = 2"), "rules[0].minimum"),
    (('categories = ["进宿舍"]', 'categories = ["进澡堂"]'), "rules[0].categories"),
    (('clause = "每月进 1 次宿舍"\n', ""), "rules[0].clause"),
    (('period = "month"', 'period = "fortnight"'), "rules[0].period"),
    (("[forms]", 'who = 3\n[forms]'), "who"),
    (('min = 1', 'min = 1\nwho = { tiers = ["boss"] }'), "rules[0].who.tiers"),
    (('min = 1', 'min = 1\nwho = { tags_all = ["校长们"] }'), "rules[0].who.tags_all"),
    (('leader = "wulian-qijin"\n', ""), "forms.leader"),
])
def test_broken_policy_file_names_file_and_key(tmp_path, change, key):
    path = tmp_path / "broken.toml"
    path.write_text(BASE.replace(*change), encoding="utf-8")
    with pytest.raises(BadInput) as e:
        load_policy_file(path)
    assert str(e.value).startswith(f"broken.toml: {key}"), str(e.value)


def test_unparsable_policy_file_is_bad_input(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("id = [unclosed", encoding="utf-8")
    with pytest.raises(BadInput, match="broken.toml"):
        load_policy_file(path)
