"""A filled-in record form read out of a Word document: which form it is (by the words of its
table, so a form the office typed itself from the seed's annex works as well as ours), whose and
which month (填表时间, 姓名, 职务, 部门), and each row's cells as the cadre wrote them.

The forms are the data of forms/sheets/*.toml, the same definitions the grid, the PDF and the
blank Word form (paper/sheet_docx.py) are drawn from: a new school's form needs no code here.
Splitting a cell's lines into activities is word_lines.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..forms import Form, Section, all_forms
from .word_read import Row, WordDocument

MIN_SCORE = 0.6  # share of a form's labels a table must show to be that form
TICKS = "☑☒√✓✔■▣●◉✅"
BOXES = "☐□○"
_SPACE = re.compile(r"[\s\u3000:：]+")
_MONTH = re.compile(r"(\d{4})\s*(?:年|[-./])\s*(\d{1,2})\s*月?")


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    return _SPACE.sub("", text).replace("(", "（").replace(")", "）").replace("\"", "“")


def is_label(text: str, label: str) -> bool:
    """The cell is this label, maybe followed by its note in brackets (特长（三项可选…）)."""
    n, lab = norm(text), norm(label)
    return bool(lab) and (n == lab or (n.startswith(lab) and n[len(lab)] == "（"))


@dataclass
class Entry:
    """One table row of a section, its cells by column key (as written, lines and all)."""

    row: int
    section: Section
    label: str  # the fixed row's label ('' in an activities section)
    category: str  # the fixed row's category ('' when a 类别 column says it)
    values: dict[str, str]


@dataclass
class FilledForm:
    file: str
    form: Form
    month_text: str = ""  # as written next to 填表时间
    month: str | None = None  # YYYY-MM, when it could be read
    header: dict[str, str] = field(default_factory=dict)  # cadre.name / cadre.position / cadre.unit
    entries: list[Entry] = field(default_factory=list)
    fields: dict[str, object] = field(default_factory=dict)  # the form's own values, as read
    unread_ticks: str = ""  # 特长 text that names no option


def _labels(form: Form) -> set[str]:
    labels = {f.label for f in form.header if f.key != "month"}
    for s in form.sections:
        if s.optional or s.kind == "assigned":
            continue
        labels.add(s.title)
        labels.update(r.label for r in s.rows)
        labels.update(c.label for c in s.columns)
        labels.update(f.label for f in s.fields)
    return labels


def _score(table: list[Row], form: Form) -> float:
    texts = [c.text for r in table for c in r.cells if c.text]
    labels = _labels(form)
    found = sum(1 for lab in labels if any(is_label(t, lab) for t in texts))
    return found / len(labels) if labels else 0.0


def recognise(doc: WordDocument) -> tuple[Form, list[Row]] | None:
    """The known form whose labels the document's table shows best (our own documents say which
    form they are; a form made by hand is judged by its words alone); None when none fits."""
    forms = [f for f in all_forms().values() if f.sections]
    best: tuple[float, Form, list[Row]] | None = None
    for table in doc.tables:
        for form in forms:
            score = _score(table, form) + (0.05 if doc.category == form.id else 0.0)
            if best is None or score > best[0]:
                best = (score, form, table)
    if best is None or best[0] < MIN_SCORE:
        return None
    return best[1], best[2]


def title_line(doc: WordDocument) -> str:
    """The document's own title (the first paragraph naming a 记录表), for messages."""
    return next((p.strip() for p in doc.paragraphs if "记录表" in p), "")


def parse_month_text(text: str) -> str | None:
    m = _MONTH.search(text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def _after(row: Row, index: int, labels: set[str]) -> str:
    """The first cell right of `index` that is not itself a label: a header field's value."""
    for cell in row.cells[index + 1:]:
        if any(is_label(cell.text, lab) for lab in labels):
            return ""
        return cell.text
    return ""


def extract(doc: WordDocument, form: Form, table: list[Row]) -> FilledForm:
    filled = FilledForm(doc.name, form)
    header_labels = {f.label for f in form.header}
    all_labels = _labels(form) | header_labels
    month_label = next((f.label for f in form.header if f.key == "month"), "填表时间")
    for f in form.header:
        if f.key == "month":
            continue
        for row in table:
            hit = next((i for i, c in enumerate(row.cells) if is_label(c.text, f.label)), None)
            if hit is not None:
                filled.header[f.key] = _after(row, hit, all_labels)
                break
    # 填表时间: a paragraph above the table, or a cell of it
    texts = [p for p in doc.paragraphs if month_label in p]
    for row in table:
        for i, c in enumerate(row.cells):
            if month_label in c.text:
                texts.append(c.text if norm(c.text) != month_label else _after(row, i, all_labels))
    for text in texts:
        filled.month_text = text.split(month_label, 1)[-1].strip(" :：\t") or filled.month_text
        filled.month = parse_month_text(text)
        if filled.month:
            break
    _sections(filled, table)
    return filled


def _section_of(row: Row, form: Form) -> Section | None:
    for s in form.sections:
        if any(is_label(c.text, s.title) for c in row.cells):
            return s
    return None


def _column_header(row: Row, section: Section) -> dict[int, str] | None:
    """Grid column → column key, when this row is the section's column heading."""
    found = {}
    for c in row.cells:
        for col in section.columns:
            if is_label(c.text, col.label):
                found[c.col] = col.key
    return found if len(found) >= 2 else None


def _sections(filled: FilledForm, table: list[Row]) -> None:
    form = filled.form
    current: Section | None = None
    heading: dict[int, str] | None = None
    text_taken: set[str] = set()
    for row in table:
        section = _section_of(row, form)
        if section is not None and section is not current:
            current, heading = section, None
        if current is None:
            continue
        head = _column_header(row, current) if current.columns else None
        if head is not None:
            heading = head
            continue
        if current.kind == "rows":
            _fixed_row(filled, row, current, heading)
        elif current.kind == "activities":
            body = [c for c in row.cells if not is_label(c.text, current.title)]
            if current.text_key and heading is None and current.text_key not in text_taken:
                text_taken.add(current.text_key)
                filled.fields[current.text_key] = _strip_note("\n".join(c.text for c in body), current.note)
            elif heading is not None and any(c.text for c in body):
                values = _by_heading(body, heading, current)
                filled.entries.append(Entry(row.number, current, "", "", values))
        elif current.kind == "choices":
            ticks = "\n".join(c.text for c in row.cells if not is_label(c.text, current.title))
            chosen, rest = ticked(ticks, current.options)
            filled.fields[current.key] = chosen
            filled.unread_ticks = rest
        elif current.kind == "fields":
            for f in current.fields:
                hit = next((i for i, c in enumerate(row.cells) if is_label(c.text, f.label)), None)
                if hit is not None:
                    filled.fields[f.key] = "\n".join(c.text for c in row.cells[hit + 1:] if c.text).strip()
        elif current.kind == "text":
            texts = [c.text for c in row.cells if not is_label(c.text, current.title)]
            filled.fields[current.key] = _strip_note("\n".join(texts), current.note)


def _fixed_row(filled: FilledForm, row: Row, section: Section, heading: dict[int, str] | None) -> None:
    for r in section.rows:
        hit = next((i for i, c in enumerate(row.cells) if is_label(c.text, r.label)
                    and not is_label(c.text, section.title)), None)
        if hit is None:
            continue
        body = list(row.cells[hit + 1:])
        if not any(c.text for c in body):
            return
        filled.entries.append(Entry(row.number, section, r.label, r.category, _by_heading(body, heading, section)))
        return


def _by_heading(body: list, heading: dict[int, str] | None, section: Section) -> dict[str, str]:  # type: ignore[type-arg]
    """The cells right of a row's label by column key: under their heading (by grid position), or
    in the form's column order when the heading is missing or the grid does not line up."""
    keys = [col.key for col in section.columns]
    values: dict[str, str] = {}
    if heading:
        for c in body:
            key = heading.get(c.col)
            if key is None:  # a heading merged over two columns, or cells shifted: nearest to the left
                left = [k for k in heading if k <= c.col]
                key = heading[max(left)] if left else None
            if key and key not in values:
                values[key] = c.text
        if len(values) == len([c for c in body]):
            return values
    return dict(zip(keys, (c.text for c in body), strict=False))


def _strip_note(text: str, note: str) -> str:
    text = text.strip()
    if note and norm(text).startswith(norm(note)):
        # the cadre typed under the printed note: drop the note's characters
        n = len(norm(note))
        kept = 0
        for i, ch in enumerate(text):
            if not _SPACE.fullmatch(ch):
                kept += 1
            if kept == n:
                return text[i + 1:].strip()
    return text


def ticked(text: str, options: tuple[str, ...]) -> tuple[list[str], str]:
    """The options marked as chosen: a tick (☑ √ ■ …) just before or just after the option's name,
    or the option alone with the others struck out (not supported: read as unticked). Returns the
    chosen options and any text left over that names none."""
    chosen = []
    flat = text.replace(" ", "").replace("\u3000", "")
    for option in options:
        i = flat.find(option)
        if i < 0:
            continue
        before = flat[i - 1] if i else ""
        after = flat[i + len(option)] if i + len(option) < len(flat) else ""
        end = i + len(option) + 1
        after_is_own = bool(after) and after in TICKS and not flat[end:].startswith(options)
        bracketed = flat[max(0, i - 3):i] in ("[x]", "[X]", "[√]", "(√)", "（√）")
        if (before and before in TICKS) or after_is_own or bracketed:
            chosen.append(option)
    rest = flat
    for option in options:
        rest = rest.replace(option, "")
    rest = rest.strip(TICKS + BOXES + "[]()（）、，,;；\n")
    return chosen, rest
