"""#19: a report a college secretary prints covers its units and says so under the title
("范围：学生工作部"); the office's reports read as before. The clerk is monkeypatched (a file has
no logins); on a server the database itself holds back the other units' rows."""

from __future__ import annotations

from datetime import date

import paper_data as pd
import pytest
from openpyxl import load_workbook

from liaison_desk.excel.export import export
from liaison_desk.excel.matrix import export_matrix_xlsx
from liaison_desk.ledger import settings
from liaison_desk.ledger.clerks import Clerk
from liaison_desk.paper.report import monthly_report_pdf, term_summary_pdf
from liaison_desk.rules.compliance import check
from liaison_desk.rules.matrix import build_matrix
from liaison_desk.store import rights

AS_OF = date(2025, 11, 20)
SCOPE = "范围：学生工作部"


@pytest.fixture
def data(ledger):
    return pd.build(ledger)


@pytest.fixture
def college(monkeypatch):
    monkeypatch.setattr(rights, "session_clerk",
                        lambda: Clerk(login="li", name="李秘书", office=False, units=("学生工作部",)))


def first_page(pdf: bytes) -> str:
    return pd.pages_text(pdf)[0]


def test_a_college_secretary_s_monthly_report_says_its_scope_under_the_title(data, college):
    pdf, _pages = monthly_report_pdf(pd.MONTH, AS_OF)
    head = first_page(pdf)
    assert SCOPE in head
    assert head.index("2025年10月") < head.index(SCOPE) < head.index("一、本月结论")
    assert all(SCOPE in page for page in pd.pages_text(pdf)[1:])  # the running head, on every page


def test_a_college_secretary_s_term_summary_says_its_scope(data, college):
    pdf, _pages = term_summary_pdf(pd.TERM, AS_OF)
    head = first_page(pdf)
    assert SCOPE in head and head.index(SCOPE) < head.index("一、总体情况")


def test_the_office_s_reports_are_unchanged(data):
    for pdf, _pages in (monthly_report_pdf(pd.MONTH, AS_OF), term_summary_pdf(pd.TERM, AS_OF)):
        assert "范围：" not in pd.text(pdf)


def subtitle(path) -> str:
    return str(load_workbook(path).worksheets[0]["A2"].value)


def test_a_college_secretary_s_excel_exports_say_its_units(data, college, tmp_path):
    matrix = build_matrix(check("term", pd.TERM, as_of=AS_OF), settings.current_policy(), "达标检查")
    assert subtitle(export_matrix_xlsx(matrix, tmp_path / "矩阵.xlsx")).startswith(SCOPE)
    assert subtitle(export("compliance", tmp_path / "达标.xlsx", term=pd.TERM).path).startswith(SCOPE)
    assert "，学生工作部" in subtitle(export("activities", tmp_path / "台账.xlsx").path)


def test_the_office_s_excel_exports_are_unchanged(data, tmp_path):
    matrix = build_matrix(check("term", pd.TERM, as_of=AS_OF), settings.current_policy(), "达标检查")
    assert "学生工作部" not in subtitle(export_matrix_xlsx(matrix, tmp_path / "矩阵.xlsx"))
    assert subtitle(export("compliance", tmp_path / "达标.xlsx", term=pd.TERM).path).startswith("共 ")
    assert "学生工作部" not in subtitle(export("activities", tmp_path / "台账.xlsx").path)
