"""The reports as a leader reads them (issue 13): every figure as of the report's date and page 1
agreeing with the sections below it; page breaks that keep tables, names, dates and numbers
whole; page 1 saying who fell short; paper that reads in black and white."""

from __future__ import annotations

import io
import re
from datetime import date

import paper_data as pd
import pytest
from pypdf import PdfReader

from liaison_desk.ledger import settings
from liaison_desk.ledger.demo import generate
from liaison_desk.paper.layout import Band, Group, wrap
from liaison_desk.paper.report import monthly_doc, monthly_report_pdf, term_doc, term_summary_pdf
from liaison_desk.paper.report_data import monthly_report, term_summary
from liaison_desk.paper.report_doc import BODY, HEAD_FILL, MARK, Col, Doc, bar_chart, layout, wrap_unbroken
from liaison_desk.store import storage
from liaison_desk.store.models import Cadre, Sheet

DEADLINE = "每月提交工作记录表"


def _received(name: str, day: date, month: str = pd.MONTH) -> None:
    cadre = Cadre.get(Cadre.name == name)
    if not Sheet.get_or_none((Sheet.cadre == cadre) & (Sheet.month == month)):
        Sheet.create(cadre=cadre, month=month, form="wulian-qijin")
    Sheet.update(submitted_on=day).where((Sheet.cadre == cadre) & (Sheet.month == month)).execute()


@pytest.fixture
def data(ledger):
    """October: the leader's sheet (no deadline in this policy) came in on 2 November, the
    middle-level cadre's (due 10 November) on 12 November: late."""
    data = pd.build(ledger)
    _received(data.leader, date(2025, 11, 2))
    _received(data.middle, date(2025, 11, 12))
    return data


@pytest.fixture
def demo(tmp_path):
    """The issue's ledger: 40 cadres of the 闽卫院 policy, November's sheets handed in 1–12 December."""
    storage.open_database(tmp_path / "demo.sqlite3")
    try:
        generate(settings.init("fjwsxy-2021", "示范大学"), cadres=40, months=6, seed=1, end="2026-12")
        yield
    finally:
        storage.close_database()


def page_one(pdf: bytes) -> str:
    return pd.pages_text(pdf)[0]


# 2. Figures as of the report's date, from one source ----------------------------------------


def test_sheets_count_as_handed_in_only_once_the_office_had_them(data):
    before = monthly_report(pd.MONTH, date(2025, 10, 31))
    assert before.submitted == 0 and not before.sheets_judged
    pdf, _ = monthly_report_pdf(pd.MONTH, date(2025, 10, 31))
    assert "已交0份，尚未到截止日期" in page_one(pdf)
    assert monthly_report(pd.MONTH, date(2025, 11, 5)).submitted == 1
    after = monthly_report(pd.MONTH, date(2025, 11, 20))
    assert after.submitted == 2 and after.sheets_late == 1 and after.sheets_judged
    assert [n for s in after.sheets_by_unit for n in s.late] == [data.middle]
    assert [s.cadre for s in after.shortfalls if s.title == DEADLINE] == [data.middle]


def test_demo_month_page_one_agrees_with_the_sections_below(demo):
    early, _ = monthly_report_pdf("2026-11", date(2026, 11, 30))
    assert "已交0份，尚未到截止日期" in page_one(early)  # handed in 1–12 December: none by 30 November
    r = monthly_report("2026-11", date(2026, 12, 20))
    pdf, _ = monthly_report_pdf("2026-11", date(2026, 12, 20))
    first, text = page_one(pdf), pd.text(pdf)
    m = re.search(r"已交(\d+)份，其中按时(\d+)份、逾期(\d+)份", first)
    assert m, first
    submitted, on_time, late = map(int, m.groups())
    # Section 二 (the table by unit and its list of late sheets) and section 一's shortfall table.
    assert submitted == sum(s.submitted for s in r.sheets_by_unit) == on_time + late
    late_names = [n for s in r.sheets_by_unit for n in s.late]
    assert late == len(late_names) > 0
    assert f"逾期交表：{'、'.join(late_names)}。" in text
    deadline_rows = [s.cadre for s in r.shortfalls if s.title == DEADLINE]
    assert sorted(deadline_rows) == sorted(late_names + [n for s in r.sheets_by_unit for n in s.overdue])
    assert f"有{len({s.cadre for s in r.shortfalls if s.severity == 'required'})}名干部未达要求" in first
    assert "100.0%" not in first


def test_term_sheets_count_only_months_past_their_deadline(data):
    t = term_summary(pd.TERM, date(2025, 12, 5))
    # September–November for the leader (due at month end); the middle cadre's November sheet is
    # due on 10 December, December's nobody's yet.
    assert t.sheets_expected == 5 and t.sheets_submitted == 2 and t.sheets_late == 1
    pdf, _ = term_summary_pdf(pd.TERM, date(2025, 12, 5))
    assert "2/5" in page_one(pdf)


def test_problems_stand_as_they_did_on_the_report_date(data):
    from liaison_desk.ledger import problems

    p = problems.add_problem("图书馆空调不制冷", date(2025, 10, 20), cadre=data.leader)
    problems.transfer(p.id, "基建后勤处", date(2025, 10, 29), date(2025, 10, 22), new_unit=True)
    problems.solve(p.id, date(2025, 11, 25), "已维修空调")  # after the report's date
    f = monthly_report(pd.MONTH, date(2025, 11, 20)).problems
    row = next(r for r in f.raised if r.description == "图书馆空调不制冷")
    assert (row.status, row.closed, row.overdue, row.resolution) == ("已转办", False, True, "")
    assert row in f.overdue_rows and f.by_status["已转办"] >= 1
    first = page_one(monthly_report_pdf(pd.MONTH, date(2025, 11, 20))[0])
    assert "图书馆空调不制冷" in first and "已维修空调" not in first
    mid = monthly_report(pd.MONTH, date(2025, 10, 25)).problems  # transferred, not yet due
    assert next(r for r in mid.raised if r.description == "图书馆空调不制冷").overdue is False
    november = monthly_report("2025-11", date(2025, 11, 30)).problems
    assert next(r for r in november.closed if r.description == "图书馆空调不制冷").status == "已办结"


# 5. Page breaks ------------------------------------------------------------------------------


def test_a_table_header_never_stands_at_a_page_foot_with_one_row(ledger):
    cols = [Col("姓名", 1), Col("情况", 4)]
    for filler in range(30, 60):
        doc = Doc()
        for _ in range(filler):
            doc.para("填充文字")
        doc.table(cols, [[f"干部{i}", "说明文字"] for i in range(6)])
        group = doc.nodes[-2]
        assert isinstance(group, Group)
        header, rows = group.children[0], group.children[1:]
        for page in layout(doc):
            placed = [p.band for p in page.placed]
            mine = [b for b in placed if any(b is r for r in rows)]
            if any(b is header for b in placed) or mine:
                assert len(mine) >= 2, (filler, len(mine))


def test_no_line_breaks_inside_a_date_or_a_number(data):
    sans, _song = Doc().sans, Doc().song
    text = "本月截至二〇二五年底统计显示2026年11月30日已交40份第5周"
    broke = False
    for width in range(40, 200, 3):
        plain = wrap(text, sans, 10.5, width)
        pairs = zip(plain, plain[1:], strict=False)
        broke = broke or any(re.search(r"\d$", a) and re.match(r"[\d年月日周份]", b) for a, b in pairs)
        kept = wrap_unbroken(text, sans, 10.5, width)
        assert "".join(kept) == text
        for a, b in zip(kept, kept[1:], strict=False):
            assert not (re.search(r"[\d第]$", a) and re.match(r"[\d年月日周份]", b)), (width, kept)
    assert broke  # the plain wrap does break there: the test can fail
    for doc in (monthly_doc(monthly_report(pd.MONTH, date(2025, 11, 20))), term_doc(term_summary(pd.TERM))):
        for band in _bands(doc.nodes):
            for c in band.cells:
                for a, b in zip(c.lines, c.lines[1:], strict=False):
                    assert not (re.search(r"[\d第]$", a) and re.match(r"[\d年月日周份]", b)), c.lines


def test_one_date_style_in_a_report(data):
    for pdf, _ in (monthly_report_pdf(pd.MONTH, date(2025, 11, 20)), term_summary_pdf(pd.TERM, date(2025, 12, 20))):
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert "2025年11月12日" in text or "2025年9月1日" in text
        other = re.findall(r"(?<![\d.])20\d\d[-./]\d\d?(?:[-./]\d\d?)?(?![\d.])|\d\d?/\d\d?/20\d\d", text)
        assert not other, other
        assert not re.search(r"(?<![\d年])0\d[月日]", text)  # no zero-padded 01月


def test_a_cadre_block_continued_on_the_next_page_repeats_the_name(demo):
    pdf, pages = term_summary_pdf("2026-2027-1", date(2026, 12, 20))
    texts = pd.pages_text(pdf)
    running = "示范大学领导干部深入基层联系师生工作学期总结2026-2027学年第一学期"
    continued = 0
    for page in texts[1:]:
        body = page[len(running):] if page.startswith(running) else page
        assert not body.startswith("要求周期完成/要求"), body[:40]  # a person's table without the person
        continued += bool(re.match(r"\d+．\S+?（续）要求周期", body))
    assert continued > 0


# 6. The 30-second test -----------------------------------------------------------------------


def test_page_one_says_who_fell_short_of_what_and_the_change_from_last_month(data):
    r = monthly_report(pd.MONTH, date(2025, 11, 20))
    first = page_one(monthly_report_pdf(pd.MONTH, date(2025, 11, 20))[0])
    short = {s.cadre for s in r.shortfalls if s.severity == "required"}
    assert short and first.index(f"本月有{len(short)}名干部未达要求") < first.index("未达要求的干部")
    for s in r.shortfalls:
        if s.severity == "required":
            assert s.cadre in first and s.title in first
    assert "与上月（2025年9月）相比" in first


def test_a_term_checked_policy_says_the_month_is_not_judged_and_uses_its_own_words(tmp_path):
    storage.open_database(tmp_path / "j.sqlite3")
    try:
        generate(settings.init("jljtxy-2018"), cadres=12, months=3, seed=3, end="2025-12")
        pdf, _ = monthly_report_pdf("2025-11", date(2025, 12, 20))
        first, text = page_one(pdf), pd.text(pdf)
        assert "本月尚不判定" in first and "没有可以判定的按周、按月要求" in first
        assert "欠缺0" not in first and "未判定" in first
        assert "五个联系" not in text and "七个走进" not in text
    finally:
        storage.close_database()


def test_fjwsxy_report_keeps_its_own_groups(data):
    assert "五个联系" in pd.text(monthly_report_pdf(pd.MONTH, date(2025, 11, 20))[0])


def test_charts_are_sorted_and_draw_the_requirement(demo):
    r = monthly_report("2026-11", date(2026, 12, 20))
    doc = monthly_doc(r)
    categories = {c for c, _n in r.by_category}
    chart = next(c for c in doc.charts if c.contents[0].categoryAxis.categoryNames[0] in categories)
    values = chart.contents[0].data[0]
    assert list(values) == sorted(values, reverse=True) and len(values) == len(categories)
    rules = next(c for c in doc.charts if "人）" in c.contents[0].categoryAxis.categoryNames[0])
    met = list(rules.contents[0].data[0])
    assert met == sorted(round(100 * m / j, 1) for _t, m, j in r.rule_met) and len(met) > 1
    assert len(_dashed(rules)) == len(met) + 1  # a requirement mark on every bar, and the legend
    term = term_doc(term_summary("2026-2027-1", date(2026, 12, 20)))
    rates = term.charts[1].contents[0].data[0]
    assert list(rates) == sorted(rates)
    drawing = bar_chart(["甲", "乙"], [3, 8], required=[5, None])
    assert len(_dashed(drawing)) == 2  # one mark across 甲, one in the legend


def _dashed(drawing):
    return [s for s in drawing.contents[1:] if getattr(s, "strokeDashArray", None)]


# 7. Black-and-white printing and type sizes ---------------------------------------------------


def test_shortfalls_are_marked_so_that_grey_printing_keeps_them(data):
    doc = monthly_doc(monthly_report(pd.MONTH, date(2025, 11, 20)))
    from reportlab.pdfbase import pdfmetrics

    from liaison_desk.paper.layout import fonts

    for face in fonts():
        assert ord(MARK) in pdfmetrics.getFont(face).face.charWidths
    marked = [b for b in _bands(doc.nodes) if any(c.lines == [MARK] for c in b.cells)]
    r = monthly_report(pd.MONTH, date(2025, 11, 20))
    assert len(marked) >= sum(s.severity == "required" for s in r.shortfalls)
    for band in marked:
        assert all(c.font == doc.sans for c in band.cells if c.lines)  # set bold
    fills = {c.fill for b in _bands(doc.nodes) for c in b.cells if c.fill is not None}
    assert fills == {HEAD_FILL} and sum(HEAD_FILL) / 3 <= 0.85  # rows stay white; headers a clear grey


def test_report_body_text_is_at_least_ten_and_a_half_points(data):
    for doc in (monthly_doc(monthly_report(pd.MONTH, date(2025, 11, 20))), term_doc(term_summary(pd.TERM))):
        for band in _bands(doc.nodes):
            for c in band.cells:
                if c.lines and not c.ruled:
                    assert c.size >= BODY, c.lines
                if c.lines:
                    assert c.size >= 9, c.lines
    pdf, _ = monthly_report_pdf(pd.MONTH, date(2025, 11, 20))
    sizes = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        sizes |= {float(x) for x in re.findall(rb" ([\d.]+) Tf", page.get_contents().get_data())}
        for xobject in (page["/Resources"].get("/XObject") or {}).values():
            sizes |= {float(x) for x in re.findall(rb" ([\d.]+) Tf", xobject.get_object().get_data())}
    assert sizes and min(sizes) >= 9, sorted(sizes)  # chart labels, page numbers included


def _bands(nodes):
    for node in nodes:
        if isinstance(node, Band):
            yield node
        else:
            yield from _bands(node.children)
