"""A form's own activity fields (issue 16): a school's form may have columns the program has no
field for (地点), declared in the form file with key and label; anything else is refused with the
file, the key and the reason."""

from __future__ import annotations

import pytest
from sixth_school import FORM_FILE

from liaison_desk.errors import BadInput
from liaison_desk.excel.kinds import ACTIVITIES
from liaison_desk.forms import RESERVED_LABELS, field_labels, load_form_file

HEAD = 'id = "school"\ntitle = "记录表"\nsource = "本校"\nheader = [{ key = "cadre.name", label = "姓名" }]\n'
TABLE = ('\n[[sections]]\ntitle = "联系情况"\nkind = "activities"\ncolumns = [\n'
         '  { key = "date", label = "时间" },\n  { key = "place", label = "地点" },\n'
         '  { key = "summary", label = "内容" },\n]\n')


def write(tmp_path, text):
    path = tmp_path / "school.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path) -> str:
    with pytest.raises(BadInput) as e:
        load_form_file(path)
    return str(e.value)


def test_the_one_table_form_loads_with_its_place_column_in_the_papers_order():
    form = load_form_file(FORM_FILE)
    (table,) = [s for s in form.sections if s.kind == "activities"]
    assert [(c.key, c.label) for c in table.columns] == [
        ("date", "时间"), ("place", "地点"), ("target", "联系对象"), ("summary", "内容"), ("problems", "发现问题")]
    assert [(f.key, f.label) for f in form.activity_fields] == [("place", "地点")]
    assert [h.key for h in form.header] == ["month", "cadre.name", "cadre.position", "cadre.unit"]
    assert field_labels([form]) == {"place": "地点"}


def test_an_undeclared_column_is_refused_naming_file_key_and_reason(tmp_path):
    message = refusal(write(tmp_path, HEAD + TABLE))
    assert "school.toml" in message and "sections[0].columns[1].key" in message
    assert "未知的栏目“place”" in message and "activity_fields" in message


def test_a_declared_column_is_accepted_under_any_key_the_clerk_chooses(tmp_path):
    declared = HEAD + 'activity_fields = [{ key = "place", label = "地点" }]\n' + TABLE
    assert load_form_file(write(tmp_path, declared)).sections[0].columns[1].label == "地点"
    chinese = (HEAD + 'activity_fields = [{ key = "地点", label = "活动地点" }]\n'
               + TABLE.replace('key = "place"', 'key = "地点"'))
    assert [f.key for f in load_form_file(write(tmp_path, chinese)).activity_fields] == ["地点"]


@pytest.mark.parametrize(("declaration", "key", "reason"), [
    ('{ key = "summary", label = "地点" }', "activity_fields[0].key", "活动本身的栏目"),
    ('{ key = "1place", label = "地点" }', "activity_fields[0].key", "不能作为栏目名"),
    ('{ key = "place", label = "内容" }', "activity_fields[0].label", "与台账已有的栏目同名"),
    ('{ key = "place", label = "地点" }, { key = "place", label = "场所" }', "activity_fields[1].key", "声明了两次"),
    ('{ key = "place", label = "地点" }, { key = "room", label = "地点" }', "activity_fields[1].label", "已是栏目"),
    ('{ key = "place", label = "地点" }, { key = "room", label = "房间" }', "activity_fields[1].key", "没有用在"),
    ('{ key = "place", lable = "地点" }', "activity_fields[0].lable", "未知的键"),
])
def test_a_bad_declaration_is_refused_with_key_and_reason(tmp_path, declaration, key, reason):
    message = refusal(write(tmp_path, HEAD + f"activity_fields = [{declaration}]\n" + TABLE))
    assert "school.toml" in message and key in message and reason in message, message


def test_no_label_of_a_forms_own_field_can_be_read_as_a_ledger_column():
    """The Excel import finds its columns by these names: a form's own field may not take one."""
    names = {name for f in ACTIVITIES.fields for name in (f.label, *f.aliases)}
    assert names <= RESERVED_LABELS
