"""Word record forms filled in as a person does in Word, for the import tests and the benchmark:
the program's own blank form with text typed into its cells (Enter between activities in one cell,
or Shift+Enter, a line break), and a 五联七进 form built from the seed's annex 1 alone, as an office
would type it up — not by our writer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import docx
from docx.table import Table, _Cell

Lines = Sequence[tuple[str, str, str]]  # (target, date as written, summary)


def _norm(text: str) -> str:
    return "".join(text.split())


def _type(cell: _Cell, lines: Sequence[str], breaks: bool = False) -> None:
    """Type lines into a cell: Enter between them (new paragraphs), or Shift+Enter (line breaks)."""
    first = cell.paragraphs[0]
    for p in cell.paragraphs[1:]:
        p._element.getparent().remove(p._element)
    for run in list(first.runs):
        run._element.getparent().remove(run._element)
    if breaks:
        run = first.add_run()
        for i, line in enumerate(lines):
            if i:
                run.add_break()
            run.add_text(line)
        return
    first.add_run(lines[0] if lines else "")
    for line in lines[1:]:
        cell.add_paragraph(line)


def _distinct(row) -> list[_Cell]:  # type: ignore[no-untyped-def]
    out: list[_Cell] = []
    for c in row.cells:
        if not out or c._tc is not out[-1]._tc:
            out.append(c)
    return out


def _row_of(table: Table, label: str, after: str = "") -> list[_Cell]:
    seen = not after
    for row in table.rows:
        cells = _distinct(row)
        texts = [_norm(c.text) for c in cells]
        if not seen:
            seen = any(t.startswith(after) for t in texts)
            continue
        if label in texts:
            return cells[texts.index(label):]
    raise KeyError(label)


def fill_rows(table: Table, rows: dict[str, Lines], breaks_in: Sequence[str] = ()) -> None:
    """Each fixed row's cells after its label: targets, dates, summaries, one line per activity."""
    for label, lines in rows.items():
        cells = _row_of(table, label)
        for i in range(3):
            _type(cells[1 + i], [ln[i] for ln in lines], breaks=label in breaks_in)


def fill_own(path: Path, out: Path, rows: dict[str, Lines] | None = None, *, ticks: Sequence[str] = (),
             fields: dict[str, str] | None = None, work: str = "",
             activities: Sequence[tuple[str, str, str, str]] = (), breaks_in: Sequence[str] = ()) -> Path:
    """Fill the program's own blank form. activities: (date, category, target, summary) rows of a
    三特一体 sheet's table."""
    document = docx.Document(str(path))
    table = document.tables[0]
    if rows:
        fill_rows(table, rows, breaks_in)
    for row in table.rows:
        for cell in _distinct(row):
            text = cell.text
            if "☐" in text and ticks:
                for option in ticks:
                    text = text.replace(f"☐{option}", f"☑{option}")
                _type(cell, [text])
    for label, value in (fields or {}).items():
        _type(_row_of(table, label)[1], [value])
    if work:
        for row in table.rows:
            cells = _distinct(row)
            if _norm(cells[0].text).startswith("工作内容"):
                _type(cells[1], [work])
                break
    if activities:
        heading = next(i for i, row in enumerate(table.rows) if "联系对象" in [_norm(c.text) for c in _distinct(row)])
        for k, values in enumerate(activities):
            cells = _distinct(table.rows[heading + 1 + k])[1:]
            for cell, value in zip(cells, values, strict=False):
                _type(cell, [value])
    document.save(str(out))
    return out


def annex1(out: Path, name: str, position: str, month_text: str, rows: dict[str, Lines],
           title: str = "领导班子成员“五联七进”工作记录表") -> Path:
    """A 五联七进 form as the seed's annex 1 lays it out, typed up from scratch: the 附件 line,
    the title, 填表时间 above the table; the table's first row 姓名 | … | 职务 | …; each section's
    heading row (五个联系 | 群体名称 over two columns | 时间 | 工作简况; 七个走进 | | 载体名称 | 时间 |
    工作简况); the section title merged down its rows."""
    document = docx.Document()
    document.add_paragraph("附件 1")
    document.add_paragraph(title)
    document.add_paragraph(f"填表时间: {month_text}")
    five = ["党总支", "院系班子", "党支部", "教研室", "青年教师"]
    seven = ["进课堂", "进班级", "进宿舍", "进食堂", "进社团", "进讲座", "进网络"]
    table = document.add_table(rows=1 + 1 + len(five) + 1 + len(seven), cols=5)
    table.style = "Table Grid"
    head = table.rows[0].cells
    head[0].text, head[2].text = "姓名", "职务"
    head[1].text, head[3].text = name, position
    head[3].merge(head[4])
    r = 1
    for title_text, labels, heading in (("五个联系", five, "群体名称"), ("七个走进", seven, "载体名称")):
        cells = table.rows[r].cells
        cells[0].text = title_text
        if heading == "群体名称":
            merged = cells[1].merge(cells[2])
            merged.text = heading
        else:
            cells[2].text = heading
        cells[3].text, cells[4].text = "时间", "工作简况"
        for i, label in enumerate(labels):
            row = table.rows[r + 1 + i].cells
            row[1].text = label
            for k, value in enumerate(zip(*rows.get(label, []), strict=False)):
                _type(row[2 + k], list(value))
        top = table.rows[r].cells[0]
        top.merge(table.rows[r + len(labels)].cells[0])
        r += 1 + len(labels)
    document.save(str(out))
    return out


# The two paper sheets of the keystroke benchmark (entry_replay.py), as the cadres fill them in Word -----

DATE_STYLES = ("{m}月{d}日", "{m}.{d}", "{y}-{m:02d}-{d:02d}", "{d}日")


def written_date(day: str, i: int, year: int = 2025, month: int = 10) -> str:
    """The i-th date of a sheet in one of the four ways cadres write dates, in turn."""
    return DATE_STYLES[i % 4].format(y=year, m=month, d=int(day))


def replay_sheets_as_docx(folder: Path, short_names: bool = False) -> list[Path]:
    """The 五联七进 and 三特一体 sheets of entry_replay filled into the program's own blank forms
    (the cadre writes the roster's full names, or with short_names what the clerk typed, e.g.
    毛泽东 for the course's long name; the ledger must be open with make_roster done)."""
    from liaison_desk.paper.sheet_content import sheet_content
    from liaison_desk.paper.sheet_docx import sheet_docx

    from .entry_replay import MONTH, SANTE, WULIAN

    out = []
    for sheet in (WULIAN, SANTE):
        blank = folder / f"{sheet.cadre}-blank.docx"
        blank.write_bytes(sheet_docx(sheet_content(sheet.cadre, MONTH, blank=True)))
        dated = [(ln, written_date(ln.day, i)) for i, ln in enumerate(sheet.lines)]
        path = folder / f"{MONTH}-{sheet.cadre}.docx"
        if sheet is WULIAN:
            from liaison_desk.forms import get_form

            labels = {r.category: r.label for s in get_form("wulian-qijin").sections for r in s.rows}
            rows: dict[str, list[tuple[str, str, str]]] = {}
            for ln, when in dated:
                name = ln.target if short_names else ln.stored
                rows.setdefault(labels[ln.category], []).append((name, when, ln.summary))
            fill_own(blank, path, rows, breaks_in=["进宿舍"])
        else:
            fields = sheet.fields
            fill_own(blank, path, ticks=list(fields["specialties"]),  # type: ignore[call-overload]
                     fields={"教师": str(fields["carrier_teachers"]), "学生": str(fields["carrier_students"])},
                     work=str(fields["work"]),
                     activities=[(when, ln.category, ln.stored, ln.summary) for ln, when in dated])
        blank.unlink()
        out.append(path)
    return out


#: The clerk's keys to import a month's forms in the program, however many there are: 文件 menu
#: (Alt+F), 导入记录表 (its accelerator, D); the file chooser opens on the folder used last, with
#: the keyboard in its name box: Shift+Tab to the list of files, Ctrl+A to select every form,
#: Enter to open them; the preview comes up with 导入 as the default button: Enter. Counted from
#: this sequence, not replayed (the file chooser is the system's own on Windows).
IMPORT_KEYS = ("Alt+F", "D", "Shift+Tab", "Ctrl+A", "Enter", "Enter")
