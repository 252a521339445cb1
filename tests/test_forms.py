import re

import pytest

from liaison_desk.errors import BadInput
from liaison_desk.forms import all_forms, load_form_file


def test_three_record_forms_and_the_roster_list_load():
    forms = all_forms()
    assert {"wulian-qijin", "santeyiti", "branch-contact", "roster"} <= set(forms)


def test_wulian_qijin_has_the_fixed_rows_of_the_paper_form():
    form = all_forms()["wulian-qijin"]
    five, seven = form.sections[0], form.sections[1]
    assert five.title == "五个联系" and [r.label for r in five.rows] == [
        "党总支", "院系班子", "党支部", "教研室", "青年教师"]
    assert seven.title == "七个走进" and [r.label for r in seven.rows] == [
        "进课堂", "进班级", "进宿舍", "进食堂", "进社团", "进讲座", "进网络"]
    assert [c.label for c in five.columns] == ["群体名称", "时间", "工作简况"]
    assert [c.label for c in seven.columns] == ["载体名称", "时间", "工作简况"]
    assert [h.label for h in form.header] == ["填表时间", "姓名", "职务"]


def test_santeyiti_has_specialties_carriers_and_work_text():
    form = all_forms()["santeyiti"]
    assert [h.label for h in form.header] == ["填表时间", "姓名", "部门", "职务"]
    assert form.sections[0].options == ("工作职能", "业务主体", "个人专长")
    assert [f.label for f in form.sections[1].fields] == ["教师", "学生"]
    assert form.sections[2].title == "工作内容" and form.sections[2].text_key == "work"


def test_form_titles_are_the_seed_annex_titles(seed_texts):
    seed_text = "".join(seed_texts.values())
    plain = re.sub(r"\s", "", seed_text).replace('"', "“")
    for form_id in ("wulian-qijin", "santeyiti", "branch-contact"):
        title = all_forms()[form_id].title.replace("”", "“")
        assert title in plain.replace("”", "“"), title


def test_broken_form_names_file_and_key(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('id = "bad"\ntitle = "x"\nsource = "x"\nheader = []\n'
                    '[[sections]]\ntitle = "x"\nkind = "rows"\ncolumns = []\n'
                    'rows = [{ label = "a", category = "进澡堂" }]\n', encoding="utf-8")
    with pytest.raises(BadInput) as e:
        load_form_file(path)
    assert "bad.toml" in str(e.value) and "sections[0].rows[0].category" in str(e.value)
