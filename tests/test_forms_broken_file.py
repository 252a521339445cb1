"""One invalid form file in the program folder must not break the other forms (issue 16)."""

import shutil

from liaison_desk import forms, resources


def test_a_broken_form_file_leaves_the_others_usable(tmp_path, monkeypatch):
    shutil.copytree(resources.forms_dir(), tmp_path / "forms")
    (tmp_path / "forms" / "sheets" / "broken.toml").write_text('id = "broken"\ntitle = 1\n', encoding="utf-8")
    monkeypatch.setattr(resources, "forms_dir", lambda: tmp_path / "forms")
    forms.all_forms.cache_clear()
    try:
        loaded = forms.all_forms()
        assert "broken" not in loaded
        assert "roster" in loaded
        assert forms.get_form("roster").columns
    finally:
        forms.all_forms.cache_clear()
