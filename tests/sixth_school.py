"""The sixth school's one-table form (tests/data/sixth-school-form.toml: 时间/地点/联系对象/内容/
发现问题) made known to the program for a test, and put in use for every tier of the policy.

Loaded from its file, never copied into forms/: how a school's own form reaches the ledger is the
forms import's business; these tests are about what the form's columns do."""

from __future__ import annotations

from pathlib import Path

from liaison_desk import forms
from liaison_desk.forms import Form, load_form_file
from liaison_desk.ledger.policy_edit import save_policy, with_fields
from liaison_desk.policy import Policy
from liaison_desk.vocabulary import TIERS

FORM_FILE = Path(__file__).resolve().parent / "data" / "sixth-school-form.toml"
FORM_ID = "sixth-school-form"


def register(monkeypatch) -> Form:
    """The form among the known forms for this test."""
    known = forms.all_forms()
    form = load_form_file(FORM_FILE)
    monkeypatch.setattr(forms, "all_forms", lambda: {**known, form.id: form})
    return form


def use_for_every_tier(monkeypatch, policy: Policy) -> Policy:
    register(monkeypatch)
    return save_policy(with_fields(policy, forms=dict.fromkeys(TIERS, FORM_ID)))
