"""A form filled with sample entries, to see before importing it how its grid and its paper look.

Nothing here touches the ledger: the sample cadre, activities and values are made up from the
form itself (one activity on each fixed row, one in each activities section, a word in each of
its own fields), so the clerk sees every part of the form in use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..forms import Form, Section
from ..vocabulary import vocabulary
from .sheet_content import Line, SheetContent
from .sheet_content import _section as section_content

MONTH = "2025-10"
CADRE, POSITION, UNIT = "张示例", "党委副书记", "示例学院"


@dataclass(frozen=True)
class SampleActivity:
    day: date
    category: str
    target: str
    summary: str
    extra: tuple[tuple[str, str, str], ...] = ()  # the form's own fields (key, label, value)


def _sample_extra(form: Form) -> tuple[tuple[str, str, str], ...]:
    return tuple((f.key, f.label, f"示例{f.label}") for f in form.activity_fields)


def _other_category(form: Form) -> str:
    taken = form.row_categories
    return next((c for c in ("谈心谈话", "进宿舍", "进课堂") if c not in taken),
                next(iter(vocabulary().categories)))


def sample_activities(form: Form) -> list[SampleActivity]:
    out: list[SampleActivity] = []
    day = 18  # two digits, as most days are: a time column too narrow shows in the preview
    extra = _sample_extra(form)
    for section in form.sections:
        if section.kind == "rows":
            for row in section.rows:
                out.append(SampleActivity(date(2025, 10, day), row.category, f"示例{row.label}对象",
                                          f"（示例）{row.label}：了解情况并交流", extra))
                day = min(day + 1, 28)
        elif section.kind == "activities" and not any(a.category not in form.row_categories for a in out):
            category = _other_category(form)
            out.append(SampleActivity(date(2025, 10, day), category, "示例对象", f"（示例）{category}，听取意见建议",
                                      extra))
    return out


def _sample_value(section: Section) -> dict[str, Any]:
    if section.kind == "choices" and section.options:
        return {section.key: [section.options[0]]}
    if section.kind == "fields":
        return {f.key: f"示例{f.label}" for f in section.fields}
    if section.kind == "text" or (section.kind == "activities" and section.text_key):
        return {section.key or section.text_key: "（示例）本月发现的问题及协调解决的情况。"}
    return {}


def sample_fields(form: Form) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for section in form.sections:
        values.update(_sample_value(section))
    return values


def sample_assigned(form: Form) -> dict[str, list[str]]:
    """Target kind → sample names, for the form's 联系对象 rows."""
    return {k: [f"示例{k}"] for s in form.sections if s.kind == "assigned" for r in s.rows for k in r.target_kinds[:1]}


def sample_sheet(form: Form) -> SheetContent:
    """The paper sheet of a made-up cadre for one month, in this form."""
    lines = [Line(activity_id=i + 1, date=a.day, category=a.category, target=a.target, summary=a.summary,
                  extra=a.extra) for i, a in enumerate(sample_activities(form))]
    fields = sample_fields(form)
    targets = [(k, n) for k, names in sample_assigned(form).items() for n in names]
    first_activities = next((s for s in form.sections if s.kind == "activities"), None)
    values = {"cadre.name": CADRE, "cadre.position": POSITION, "cadre.unit": UNIT}
    return SheetContent(
        sheet_id=0, cadre_id=0, cadre=CADRE, position=POSITION, unit=UNIT, month=MONTH, form=form,
        status="draft", revision=0, signed_at=None, submitted_on=None, sealed_hash="", current_hash="",
        header=tuple((f.label, values[f.key]) for f in form.header if f.key != "month"),
        sections=tuple(section_content(s, form, lines, fields, targets, s is first_activities) for s in form.sections),
        activity_count=len(lines), fields=fields)


def preview_pdf(form: Form, school: str = "") -> bytes:
    """The sample sheet as the PDF the program would print."""
    from .sheet import sheet_pdf

    return sheet_pdf(sample_sheet(form), school)[0]
