"""Editing the database's own policy: change rules, save (validated, logged), export and import.

A school whose rules differ starts from the closest preset (or from nothing) and edits numbers,
periods, categories and who a rule applies to. Every change is re-checked by the same validator
as the preset files (`policy_from_data`), so an edited policy can never hold what a file could
not. Export writes TOML (the presets' own format) or JSON, so one office can hand its policy to
another; import reads either and checks it before anything is saved.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..errors import BadInput
from ..policy import FilingKind, Policy, Rule, check_forms, policy_from_data
from ..tomlfile import read_text, read_toml
from . import settings
from .form_library import record_form_ids

#: Keys of a rule in file order, with the value that may be left out (the validator's default).
RULE_KEYS: list[tuple[str, object]] = [
    ("id", None), ("title", None), ("clause", None), ("who", {}), ("measure", None),
    ("categories", []), ("face_to_face", False), ("period", None), ("min", None), ("max", None),
    ("scope", "any"), ("target_kinds", []), ("event", ""), ("offset_days", 0),
    ("severity", "required"), ("note", ""), ("term_months_only", False), ("due", ""),
]
FILING_KEYS: list[tuple[str, object]] = [("name", None), ("period", None), ("due", None), ("offset_days", 0),
                                         ("note", "")]
TOP_KEYS = ["id", "name", "document", "issuer", "seed", "issued", "notes"]
DEFAULT_FORMS = {"leader": "wulian-qijin", "middle_head": "santeyiti", "middle_deputy": "santeyiti"}
RULE_ID = re.compile(r"^\w+([-.]\w+)*$")  # letters of any script (宿舍-每月), digits, hyphens


def _plain_number(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else float(x)


def rule_data(rule: Rule) -> dict[str, Any]:
    """One rule as file data, leaving out values that are the defaults."""
    raw = asdict(rule)
    raw["who"] = {k: list(v) for k, v in raw["who"].items() if v}
    raw["min"] = _plain_number(rule.min)
    raw["max"] = _plain_number(rule.max)
    data: dict[str, Any] = {}
    for key, default in RULE_KEYS:
        value = raw[key]
        if isinstance(value, tuple):
            value = list(value)
        if default is not None and value == default:
            continue
        if value is None:
            continue
        data[key] = value
    return data


def _filing_data(filing: FilingKind) -> dict[str, Any]:
    raw = asdict(filing)
    return {k: raw[k] for k, default in FILING_KEYS if default is None or raw[k] != default}


def policy_data(policy: Policy) -> dict[str, Any]:
    """The whole policy as file data (what TOML and JSON exports hold)."""
    data: dict[str, Any] = {k: getattr(policy, k) for k in TOP_KEYS if getattr(policy, k) or k != "notes"}
    data["forms"] = dict(policy.forms)
    if policy.filings:
        data["filings"] = [_filing_data(f) for f in policy.filings]
    data["rules"] = [rule_data(r) for r in policy.rules]
    if policy.not_checkable:
        data["not_checkable"] = [{"clause": n.clause, "reason": n.reason} for n in policy.not_checkable]
    return data


def validate(data: dict[str, Any], source: str = "编辑后的政策") -> Policy:
    """The file validator, for data edited in the program; also checks rule ids' spelling."""
    policy = policy_from_data(data, source)
    for i, rule in enumerate(policy.rules):
        if not RULE_ID.match(rule.id):
            raise BadInput(f"规则编号“{rule.id}”不能含空格或标点（可用汉字、字母、数字和连字符，"
                           "如 进宿舍-每月）", f"{source}: rules[{i}].id")
    return policy


def blank_policy(name: str = "本校联系制度") -> Policy:
    """A policy with no rules, for a school that starts from nothing."""
    return validate({"id": "custom", "name": name, "document": "本校文件", "issuer": "本校",
                     "seed": "—", "issued": "—", "forms": dict(DEFAULT_FORMS), "rules": []})


def with_rule(policy: Policy, rule: dict[str, Any], index: int | None = None) -> Policy:
    """The policy with one rule replaced (index) or added (index None), validated as a whole."""
    data = policy_data(policy)
    if index is None:
        data["rules"].append(rule)
    else:
        if not 0 <= index < len(data["rules"]):
            raise BadInput(f"没有第 {index + 1} 条规则")
        data["rules"][index] = rule
    return validate(data)


def without_rule(policy: Policy, rule_id: str) -> Policy:
    data = policy_data(policy)
    kept = [r for r in data["rules"] if r["id"] != rule_id]
    if len(kept) == len(data["rules"]):
        raise BadInput(f"政策中没有规则“{rule_id}”")
    data["rules"] = kept
    return validate(data)


def with_fields(policy: Policy, **fields: Any) -> Policy:
    """The policy with top-level fields (name, document, notes, forms, filings…) changed, validated."""
    data = policy_data(policy)
    for key, value in fields.items():
        if key not in (*TOP_KEYS, "forms", "filings"):
            raise BadInput(f"政策没有字段“{key}”")
        if key == "filings":  # FilingKind values, as file data
            value = [_filing_data(f) if isinstance(f, FilingKind) else f for f in value]
        data[key] = value
    return validate(data)


def new_rule_id(policy: Policy, base: str = "new-rule") -> str:
    taken = {r.id for r in policy.rules}
    n = 1
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def save_policy(policy: Policy, source: str = "要保存的政策") -> Policy:
    """Make this the database's own policy (validated again, its forms this ledger's or shipped;
    the change is logged)."""
    from .clerks import require

    require("policy")
    checked = validate(json.loads(policy.to_json()), source)
    check_forms(checked, record_form_ids(), source)
    settings.put(settings.POLICY, checked.to_json())
    return checked


# Files -----------------------------------------------------------------------------------------


def _basic(text: str, multiline: bool = False) -> str:
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\n" if multiline else "\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    body = "".join(out)
    return f'"""\n{body}"""' if multiline else f'"{body}"'


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return _basic(value, multiline="\n" in value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def to_toml(policy: Policy) -> str:
    """The policy in the presets' TOML format (what forms/policies/README.md describes)."""
    data = policy_data(policy)
    lines = [f"# {policy.document} {policy.name}", "# 由联系工作台导出；可用 policy import 导入另一台账。", ""]
    for key in TOP_KEYS:
        if key in data:
            lines.append(f"{key} = {_value(data[key])}")
    if not data["rules"]:
        lines.append("rules = []")
    lines += ["", "[forms]"] + [f"{k} = {_value(v)}" for k, v in data["forms"].items()]
    for filing in data.get("filings", []):
        lines += ["", "[[filings]]"] + [f"{k} = {_value(v)}" for k, v in filing.items()]
    for rule in data["rules"]:
        lines += ["", "[[rules]]"] + [f"{k} = {_value(v)}" for k, v in rule.items()]
    for item in data.get("not_checkable", []):
        lines += ["", "[[not_checkable]]"] + [f"{k} = {_value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise BadInput(f"政策文件应为 .toml 或 .json（收到“{path.name}”）")
    return suffix[1:]


def export_policy(policy: Policy, path: Path) -> Path:
    """Write the policy to a .toml or .json file."""
    kind = _format_of(path)
    text = to_toml(policy) if kind == "toml" else json.dumps(policy_data(policy), ensure_ascii=False,
                                                             indent=2) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise BadInput(f"无法写入文件 {path}：{e.strerror or e}") from None
    return path


def read_policy_file(path: Path) -> Policy:
    """A policy from a .toml or .json file, fully validated (nothing is saved)."""
    kind = _format_of(path)
    if kind == "toml":
        data = read_toml(path)
    else:
        try:
            data = json.loads(read_text(path))
        except (json.JSONDecodeError, RecursionError) as e:
            raise BadInput(f"文件格式错误（{e}）", str(path)) from None
    if not isinstance(data, dict):
        raise BadInput("应为一个政策（键值对）", str(path))
    policy = validate(data, path.name)
    if not policy.rules:  # every check would pass: surely the wrong file
        raise BadInput("政策文件中没有任何规则，导入后所有检查都将显示达标；请检查文件", f"{path.name}: rules")
    return policy


def import_policy(path: Path) -> Policy:
    """Read, validate and adopt a policy file as the database's own policy."""
    return save_policy(read_policy_file(path), path.name)
