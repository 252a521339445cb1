"""Policy presets (政策预设): one school's contact rules, as data in forms/policies/*.toml.

A policy is loaded and validated here; evaluating it over the records is the rule engine's work.
Every rule quotes the clause of its seed document that it encodes, and every requirement that
cannot be checked from the records is listed under `not_checkable`, so nothing is dropped silently.
The database keeps its own copy of the chosen policy (as JSON) so the clerk can edit it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from . import resources
from .errors import BadInput
from .tomlfile import Reader, read_toml
from .vocabulary import TIERS, Vocabulary, vocabulary

MEASURES: dict[str, str] = {
    "count": "次",  # number of activities
    "people": "人次",  # sum of people reached
    "days": "天",  # sum of days on site
    "distinct_targets": "个",  # number of different targets
    "per_target": "次",  # each target separately needs `min` activities
    "assigned": "个",  # the cadre's assignments themselves (must link ≥1 class…)
    "deadline": "项",  # something filed or submitted by a date
}
PERIODS: dict[str, str] = {
    "week": "教学周",
    "month": "月",
    "term": "学期",
    "half_year": "半年",
    "year": "学年",
}
SCOPES = ("any", "assigned")
SEVERITIES = ("required", "advisory")
DEADLINE_EVENTS: dict[str, str] = {
    "arrangement_filed": "学年联系安排备案",
    "term_summary": "学期工作总结",
    "monthly_sheet": "月度工作记录表",
}
#: Each built-in deadline event's period and due-date anchor (offset_days is added to it).
EVENT_DUE: dict[str, tuple[str, str]] = {
    "arrangement_filed": ("year", "start"), "term_summary": ("term", "end"), "monthly_sheet": ("month", "end"),
}
#: The filings every policy knows (报送类别): key stored in the ledger → label.
BUILTIN_FILINGS: dict[str, str] = {"term_summary": "学期工作总结", "arrangement": "学年联系安排"}
FILING_PERIODS = ("term", "year")
DUE_ANCHORS: dict[str, str] = {"start": "期间开始（学年：第一学期开学日）", "end": "期间结束（学年：第二学期结束日）"}
MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


def due_anchor_ok(text: str) -> bool:
    """A due date is "start", "end" or a month-day such as "12-20" (the day inside the period)."""
    return text in DUE_ANCHORS or bool(MONTH_DAY.match(text))


@dataclass(frozen=True)
class Who:
    """Which cadres a rule applies to: all listed tiers (or any tier) and the tag conditions."""

    tiers: tuple[str, ...] = ()
    tags_any: tuple[str, ...] = ()
    tags_all: tuple[str, ...] = ()
    tags_none: tuple[str, ...] = ()

    def matches(self, tier: str, tags: frozenset[str] | set[str]) -> bool:
        if self.tiers and tier not in self.tiers:
            return False
        if self.tags_any and not tags.intersection(self.tags_any):
            return False
        if not set(self.tags_all) <= tags:
            return False
        return not tags.intersection(self.tags_none)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    clause: str
    measure: str
    period: str
    min: float
    who: Who = field(default_factory=Who)
    categories: tuple[str, ...] = ()
    face_to_face: bool = False
    max: float | None = None
    scope: str = "any"
    target_kinds: tuple[str, ...] = ()
    event: str = ""
    offset_days: int = 0
    severity: str = "required"
    note: str = ""
    term_months_only: bool = False  # monthly rules: months with no teaching week are 不适用
    due: str = ""  # assigned rules: "start" / "end" / "MM-DD" (+ offset_days); "" = period end

    @property
    def unit(self) -> str:
        return MEASURES[self.measure]


@dataclass(frozen=True)
class FilingKind:
    """A filing the school's policy asks for (年度书面报告…): filed per term or per academic
    year, due at the period's start or end or on a month-day, plus offset_days."""

    name: str
    period: str  # term / year
    due: str  # start / end / MM-DD
    offset_days: int = 0
    note: str = ""

    @property
    def due_text(self) -> str:
        """截止 as the clerk reads it: 6月30日, 期间结束前7天, 期间开始后14天."""
        return due_text(self.due, self.offset_days)


def due_text(due: str, offset_days: int) -> str:
    anchor = {"start": "期间开始", "end": "期间结束"}.get(due) or f"{int(due[:2])}月{int(due[3:])}日"
    if offset_days:
        anchor += f"{'后' if offset_days > 0 else '前'}{abs(offset_days)}天"
    return anchor


@dataclass(frozen=True)
class NotCheckable:
    clause: str
    reason: str


@dataclass(frozen=True)
class Policy:
    id: str
    name: str
    document: str
    issuer: str
    seed: str
    issued: str
    forms: dict[str, str]
    rules: tuple[Rule, ...]
    not_checkable: tuple[NotCheckable, ...] = ()
    notes: str = ""
    filings: tuple[FilingKind, ...] = ()

    def filing_kinds(self) -> dict[str, str]:
        """Every filing kind of this policy: stored key → label (the built-in two, then its own)."""
        return {**BUILTIN_FILINGS, **{f.name: f.name for f in self.filings}}

    def filing_period(self, kind: str) -> str:
        """term or year: what a filing of this kind is for."""
        for f in self.filings:
            if f.name == kind:
                return f.period
        return "term" if kind == "term_summary" else "year"

    def filing(self, name: str) -> FilingKind | None:
        return next((f for f in self.filings if f.name == name), None)

    def event_due(self, event: str) -> tuple[str, str, int]:
        """A deadline event's period, due anchor and the filing's own offset."""
        if event in EVENT_DUE:
            return (*EVENT_DUE[event], 0)
        f = self.filing(event)
        if f is None:
            raise BadInput(f"未知的报送事项“{event}”")
        return f.period, f.due, f.offset_days

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise BadInput(f"政策“{self.id}”中没有规则“{rule_id}”")

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @property
    def bare_document(self) -> str:
        """The document number without brackets a clerk may have typed around it (（本校文件）)."""
        document = self.document.strip().strip("（）()").strip()
        return document if document.strip("—-") else ""

    @property
    def label(self) -> str:
        """Name and document as printed: 某办法（某发〔2025〕1号）, never 某办法（（本校文件））."""
        return f"{self.name}（{self.bare_document}）" if self.bare_document else self.name


def _keys(cls: type) -> list[str]:
    """A table's keys are its data class's fields (for naming a misspelt key as unknown)."""
    return [f.name for f in fields(cls)]


def _filing(r: Reader) -> FilingKind:
    r.expect(_keys(FilingKind))
    filing = FilingKind(
        name=r.text("name", limit=40),
        period=r.choice("period", FILING_PERIODS),
        due=r.text("due"),
        offset_days=r.integer("offset_days", low=-366, high=366),
        note=r.text("note", required=False, limit=2000, multiline=True),
    )
    if not due_anchor_ok(filing.due):
        raise r.fail("due", "应为 start（期间开始）、end（期间结束）或月-日（如 12-20）")
    if filing.name in BUILTIN_FILINGS or filing.name in BUILTIN_FILINGS.values() or filing.name in DEADLINE_EVENTS:
        raise r.fail("name", f"“{filing.name}”是程序自带的报送类别，无需声明")
    r.done()
    return filing


def _rule(r: Reader, vocab: Vocabulary, filings: tuple[FilingKind, ...] = (), stored: bool = False) -> Rule:
    r.expect(_keys(Rule))
    who_reader = r.table("who").expect(_keys(Who))
    known_tags = vocab.cadre_tags
    who = Who(
        tiers=tuple(who_reader.texts("tiers", allowed=TIERS)),
        tags_any=tuple(who_reader.texts("tags_any", allowed=known_tags)),
        tags_all=tuple(who_reader.texts("tags_all", allowed=known_tags)),
        tags_none=tuple(who_reader.texts("tags_none", allowed=known_tags)),
    )
    who_reader.done()
    measure = r.choice("measure", tuple(MEASURES))
    categories = tuple(r.texts("categories", allowed=tuple(vocab.categories)))
    face_to_face = r.flag("face_to_face")
    kinds = tuple(r.texts("target_kinds", allowed=vocab.target_kinds))
    declared = {f.name: f for f in filings}
    event = r.choice("event", (*DEADLINE_EVENTS, *declared), required=False)
    minimum = r.number("min")
    maximum = r.number("max", required=False)
    rule = Rule(
        id=r.text("id"),
        title=r.text("title"),
        clause=r.text("clause", limit=2000, multiline=True),
        measure=measure,
        period=r.choice("period", tuple(PERIODS)),
        min=float(minimum or 0),
        who=who,
        categories=categories,
        face_to_face=face_to_face,
        max=None if maximum is None else float(maximum),
        scope=r.choice("scope", SCOPES, required=False, default="any"),
        target_kinds=kinds,
        event=event,
        offset_days=r.integer("offset_days", low=-366, high=366),
        severity=r.choice("severity", SEVERITIES, required=False, default="required"),
        note=r.text("note", required=False, limit=2000, multiline=True),
        term_months_only=r.flag("term_months_only"),
        due=r.text("due", required=False),
    )
    # Cross-field checks: each measure needs its own inputs.
    counts_activities = measure in ("count", "people", "days", "distinct_targets", "per_target")
    if counts_activities and not categories and not face_to_face:
        raise r.fail("categories", "此类规则需列出计入的活动类别（或 face_to_face = true）")
    if measure in ("per_target", "assigned") and not kinds:
        raise r.fail("target_kinds", "此类规则需列出联系对象类别")
    if rule.scope == "assigned" and not kinds:
        raise r.fail("target_kinds", "scope = \"assigned\" 需列出联系对象类别")
    if measure == "deadline" and not event:
        raise r.fail("event", "截止类规则需写明 event")
    if rule.max is not None and rule.max < rule.min:
        raise r.fail("max", "不能小于 min")
    if measure == "deadline":
        period = EVENT_DUE[event][0] if event in EVENT_DUE else declared[event].period
        if rule.period != period and stored:
            # A ledger saved before periods were checked: its rule was always judged per its
            # event's period, so reading it so keeps every result as it was.
            rule = replace(rule, period=period)
        elif rule.period != period:
            raise r.fail("period", f"报送事项“{DEADLINE_EVENTS.get(event, event)}”按{PERIODS[period]}检查，"
                                   f"period 应为 \"{period}\"")
    if rule.term_months_only and rule.period != "month":  # weeks are teaching weeks already
        rule = replace(rule, term_months_only=False)
    if rule.due and (measure != "assigned" or not due_anchor_ok(rule.due)):
        raise r.fail("due", "只用于联系安排规则（measure = \"assigned\"），"
                            "应为 start（期间开始）、end（期间结束）或月-日（如 09-15）")
    r.done()
    return rule


def policy_from_data(data: dict[str, Any], source: str, vocab: Vocabulary | None = None,
                     stored: bool = False) -> Policy:
    """Validate one policy's data; a flaw raises BadInput naming `source` and the key. `stored`:
    the ledger's own copy, which older versions let hold a deadline rule with another period."""
    vocab = vocab or vocabulary()
    r = Reader(data, source).expect(_keys(Policy))
    forms_reader = r.table("forms", required=True).expect(TIERS)
    forms = {tier: forms_reader.text(tier) for tier in TIERS}  # that they exist: check_forms
    forms_reader.done()
    filings = tuple(_filing(t) for t in r.tables("filings"))
    names = [f.name for f in filings]
    for name in names:
        if names.count(name) > 1:
            raise BadInput(f"报送类别“{name}”重复", f"{source}: filings")
    rules = tuple(_rule(t, vocab, filings, stored) for t in r.tables("rules", required=True))
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        if rule.id in seen:
            raise BadInput(f"规则编号“{rule.id}”重复", f"{source}: rules[{i}].id")
        seen.add(rule.id)
    not_checkable = []
    for t in r.tables("not_checkable"):
        t.expect(_keys(NotCheckable))
        not_checkable.append(NotCheckable(clause=t.text("clause", limit=2000, multiline=True),
                                          reason=t.text("reason", limit=2000, multiline=True)))
        t.done()
    policy = Policy(
        id=r.text("id"),
        name=r.text("name"),
        document=r.text("document"),
        issuer=r.text("issuer"),
        seed=r.text("seed", limit=20_000, multiline=True),
        issued=r.text("issued"),
        forms=forms,
        rules=rules,
        not_checkable=tuple(not_checkable),
        notes=r.text("notes", required=False, limit=20_000, multiline=True),
        filings=filings,
    )
    r.done()
    return policy


def form_ids() -> list[str]:
    """The shipped record forms (templates) a preset may name."""
    from .forms import all_forms

    return [fid for fid, form in all_forms().items() if form.sections]


def check_forms(policy: Policy, available: Collection[str], source: str) -> None:
    """Each tier's form must be one the ledger can use (its own or a shipped template). Checked
    when a policy is imported or saved, not when the ledger's own copy is read: a form that went
    missing later must not make the whole ledger unreadable (its sheets get a stand-in)."""
    for tier, form_id in policy.forms.items():
        if form_id not in available:
            raise BadInput(f"未知的记录表格式“{form_id}”：{TIERS[tier]}（{tier}）使用它，但本台账和程序自带的"
                           f"格式中都没有；请先导入该格式（文件 → 导入记录表格式…，或 form import），"
                           f"或改用：{'、'.join(available)}", f"{source}: forms.{tier}")


def policies_dir() -> Path:
    return resources.forms_dir() / "policies"


def preset_ids() -> list[str]:
    return sorted(p.stem for p in policies_dir().glob("*.toml"))


def load_policy_file(path: Path) -> Policy:
    policy = policy_from_data(read_toml(path), path.name)  # its forms: checked when adopted (check_forms)
    if policy.id != path.stem:
        raise BadInput(f"id “{policy.id}” 与文件名不符", f"{path.name}: id")
    return policy


def load_preset(policy_id: str) -> Policy:
    path = policies_dir() / f"{policy_id}.toml"
    if not path.exists():
        raise BadInput(f"未知的政策预设“{policy_id}”，可选：{'、'.join(preset_ids())}")
    return load_policy_file(path)


def policy_from_json(text: str, source: str = "数据库中的政策") -> Policy:
    """Rebuild the database's own copy of a policy (same validation as the files)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise BadInput(f"{source}已损坏（不是有效的 JSON）：请运行“校验”查看它是否在程序之外被改动，"
                       "然后在“达标检查”→“编辑制度…”中重新导入政策（命令行：policy import）") from None
    return policy_from_data(data, source, stored=True)
