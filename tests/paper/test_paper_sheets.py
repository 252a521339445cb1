"""Record sheets on paper (issue 13, defects 3, 4, 8 and 9): blank forms for a month with nothing
entered, signed sheets (transparent scans, the stamp on the signature line, a line to sign by hand,
batches that keep no broken signature, revision marks, another person's certificate), typography
(alignment, borders, one page for a small spill, continued rows, bookmarks, duplex) and privacy."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime

import paper_data as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.roster import add_target
from liaison_desk.ledger.sealing import revise_sheet
from liaison_desk.paper.batch import FLATTENED_NOTE
from liaison_desk.paper.fonts import register_fonts
from liaison_desk.paper.layout import NO_START, balanced, paginate, text_width, wrap
from liaison_desk.paper.sheet import (
    BOTTOM,
    EMPTY_ROW,
    TABLE_TOP,
    TRAILER,
    SheetBuilder,
    SheetPainter,
    new_canvas,
    sheet_pdf,
)
from liaison_desk.paper.sheet_content import sheet_content
from liaison_desk.paper.signing import (
    check_pdf_signature,
    load_certificate,
    normalise_signature,
    set_signature_image,
    sign_sheet,
    stamp_text,
)
from liaison_desk.store import storage


def layout(content):
    return SheetPainter(new_canvas(io.BytesIO(), "t")).layout(content)


# 3. Blank forms ------------------------------------------------------------------------------------


def test_a_blank_form_for_a_cadre_and_a_month_with_nothing_entered(cli, data, tmp_path):
    out = tmp_path / "june.pdf"
    code, stdout, err = cli("sheet", "--cadre", data.leader, "--month", "2026-06", "--out", str(out))
    assert code == 0, err
    assert "空白表" in stdout
    page = pd.pages_text(out.read_bytes())[0]
    assert "领导班子成员“五联七进”工作记录表" in page and "填表时间：2026年6月" in page and data.leader in page
    assert "党总支" in page and "进网络" in page and "其他联系活动" in page and "本人签字" in page
    assert pd.page_count(out.read_bytes()) == 1
    assert "参加护理系党总支中心组学习" not in page  # October's activities stay on October's sheet


def test_blank_forms_for_everyone_and_for_a_unit(cli, data, tmp_path):
    out = tmp_path / "jan.pdf"
    code, stdout, err = cli("sheet", "--month", "2027-01", "--all", "--out", str(out))
    assert code == 0, err
    pages = pd.pages_text(out.read_bytes())
    assert len(pages) == 2 and data.leader in pages[0] and data.middle in pages[1]
    assert all("2027年1月" in p for p in pages) and "空白表 2 份" in stdout
    code, _, err = cli("sheet", "--month", "2027-01", "--unit", "学生工作部", "--out", str(out))
    assert code == 0, err
    text = pd.text(out.read_bytes())
    assert "中层干部“三特一体”工作记录表" in text and data.middle in text and data.leader not in text


def test_the_branch_contact_blank_fills_its_page_with_writing_rows(tmp_path):
    storage.open_database(tmp_path / "jl.sqlite3")
    try:
        data = pd.build(settings.init("jljtxy-2018", "吉林交通职业技术学院"))
        blank = sheet_content(data.leader, "2026-06", blank=True)
        assert blank.activity_count == 0
        pages = layout(blank)
        assert len(pages) == 1
        room = pages[0].trailer_top - TRAILER - (BOTTOM + 14)
        assert 0 <= room < EMPTY_ROW  # no room left for another row: the page is filled
        rows = [p for p in pages[0].placed if p.height == EMPTY_ROW]
        assert len(rows) > 10
        assert "联系工作开展情况" in pd.text(sheet_pdf(blank)[0])
    finally:
        storage.close_database()


# 4. Signed sheets ----------------------------------------------------------------------------------


def off_white_scan() -> bytes:
    """A signature scanned on off-white paper (as a JPEG from a scanner: no transparency)."""
    from PIL import ImageDraw

    img = Image.new("RGB", (300, 100), (236, 233, 224))
    ImageDraw.Draw(img).line([(10, 70), (80, 20), (140, 80), (220, 25), (290, 60)], fill=(30, 30, 90), width=6)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=92)
    return out.getvalue()


def test_the_scans_off_white_background_is_made_transparent_and_the_ink_kept(data):
    png = normalise_signature(off_white_scan())
    img = Image.open(io.BytesIO(png)).convert("RGBA")
    assert img.getpixel((5, 5))[3] == 0 and img.getpixel((150, 5))[3] == 0  # paper
    assert img.getpixel((80, 21))[3] > 200  # ink
    # Printed: the paper around the ink is white on the page, not a grey box.
    content = sheet_content(data.leader, pd.MONTH)
    signed = replace(content, status="signed", signed_at=datetime(2025, 11, 3), signature=off_white_scan(),
                     sealed_hash="ab" * 32)
    pdf, spot = sheet_pdf(signed)
    page = render(pdf)
    x1, y1, _x2, _y2 = spot.box
    y = y1 + 20  # the signature line's baseline
    image_left = x1 - 128
    grey = [page.getpixel((round(image_left + dx), round(842 - y - 20))) for dx in (3, 8, 60, 110)]
    assert min(grey) >= 250, grey


def render(pdf: bytes) -> Image.Image:
    """Page 1 at 72 dpi (1 px = 1 pt), grey."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils not installed")
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "s.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "72", "-png", "-f", "1", "-l", "1", "-singlefile", f"{d}/s.pdf", f"{d}/p"],
                       check=True)
        return Image.open(f"{d}/p.png").convert("L")


def test_the_stamp_box_sits_on_the_signature_line_after_the_label(data):
    content = replace(sheet_content(data.leader, pd.MONTH), status="signed", signed_at=datetime(2025, 11, 3))
    pdf, spot = sheet_pdf(content)
    label = next((x, y) for piece, _f, x, y in pd.drawn_runs(pdf, spot.page) if piece.startswith("本人签字"))
    x1, y1, x2, y2 = spot.box
    assert y1 < label[1] < y2  # the line runs through the box
    assert x1 > label[0] + text_width("本人签字：", register_fonts()[0], 10.5)


def test_a_sheet_sealed_without_a_signature_image_has_a_line_to_sign_by_hand(data):
    content = replace(sheet_content(data.leader, pd.MONTH), status="signed", signed_at=datetime(2025, 11, 3),
                      sealed_hash="ab" * 32, signature=None)
    pdf, spot = sheet_pdf(content)
    assert "未录入签名图像" not in pd.text(pdf)
    page = render(pdf)
    x1, y1, _x2, _y2 = spot.box
    row = round(842 - (y1 + 20 - 3))  # the line 3 pt under the baseline
    dark = [x for x in range(round(x1 - 120), round(x1 - 10))
            if min(page.getpixel((x, r)) for r in (row - 1, row, row + 1)) < 128]
    assert len(dark) > 90  # a ruled line about as long as a signature


def test_a_batch_flattens_signatures_and_says_so_the_single_copy_stays_valid(cli, data, certs, tmp_path):
    set_signature_image(data.leader, pd.signature_png())
    signed = sign_sheet(data.leader, pd.MONTH, load_certificate(certs.p12, certs.password))
    assert check_pdf_signature(signed.pdf, [certs.ca_der]).ok
    out = tmp_path / "month.pdf"
    code, stdout, err = cli("sheet", "--month", pd.MONTH, "--all", "--out", str(out))
    assert code == 0, err
    assert "数字签名已转为图样" in err
    batch = out.read_bytes()
    pages = pd.pages_text(batch)
    assert FLATTENED_NOTE in pages[0] and data.leader in pages[0]
    assert FLATTENED_NOTE not in pages[-1]  # the unsigned sheet
    # No signature field is left behind to fail ("Digest Mismatch"); the stamp is still printed.
    reader = PdfReader(io.BytesIO(batch))
    assert not any(a.get_object().get("/FT") == "/Sig" for p in reader.pages for a in p.get("/Annots") or [])
    assert not check_pdf_signature(batch).present
    widget = next(a.get_object() for a in PdfReader(io.BytesIO(signed.pdf)).pages[0]["/Annots"])
    rect = [float(v) for v in widget["/Rect"]]
    (x1, x2), (y1, y2) = sorted(rect[::2]), sorted(rect[1::2])
    page = render(batch)
    ink = sum(1 for x in range(round(x1) + 2, round(x2) - 2) for y in range(round(842 - y2) + 2, round(842 - y1) - 2)
              if page.getpixel((x, y)) < 200)
    assert ink > 100  # the stamp's frame and text are printed in the batch
    # The single archived copy still validates.
    single = tmp_path / "one.pdf"
    code, _, err = cli("sheet", "--cadre", data.leader, "--month", pd.MONTH, "--out", str(single))
    assert code == 0 and check_pdf_signature(single.read_bytes(), [certs.ca_der]).ok
    if shutil.which("pdfsig"):
        result = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True)
        assert "Digest Mismatch" not in result.stdout + result.stderr


def test_a_draft_reprinted_after_revision_carries_a_revision_mark(data):
    sign_sheet(data.leader, pd.MONTH)
    revise_sheet(data.leader, pd.MONTH, "补录一次走访")
    text = pd.pages_text(sheet_pdf(sheet_content(data.leader, pd.MONTH))[0])[0]
    assert "修订稿" in text and "第1次修订" in text and "待重新签字" in text


def test_signing_with_another_persons_certificate_warns_and_the_stamp_says_who_handled_it(cli, data, certs,
                                                                                         monkeypatch):
    monkeypatch.setenv("P12_PASSWORD", certs.password)
    code, _, err = cli("sign", "--cadre", data.leader, "--month", pd.MONTH, "--p12", str(certs.p12),
                       "--password-env", "P12_PASSWORD")
    assert code == 0
    assert "党政办公室" in err and "经办" in err and data.leader in err
    text = stamp_text("党政办公室", data.leader)
    assert text.startswith(f"数字签名：{data.leader}\n经办：党政办公室\n")


# 8. Typography -------------------------------------------------------------------------------------


def test_target_date_and_summary_of_a_line_share_a_vertical_centre(data, ledger):
    add_activity(ActivityInput(data.leader, date(2025, 10, 23), "进课堂", carrier="护理2301班",
                               summary=pd.LONG), ledger)
    pdf, _ = sheet_pdf(sheet_content(data.leader, pd.MONTH))
    runs = pd.drawn_runs(pdf)
    target = next(y for piece, _f, _x, y in runs if piece == "护理2301班")
    when = next(y for piece, _f, _x, y in runs if piece == "10月23日")
    assert abs(target - when) < 0.5


def test_other_activities_columns_line_up_with_the_grid_above(data):
    builder = SheetBuilder()
    content = sheet_content(data.leader, pd.MONTH)
    builder.bands(content)
    other = next(sc for sc in content.sections if sc.section.title == "其他联系活动")
    header = builder.column_header(other.section.columns, 60.0)
    edges = [c.x for c in header.cells[1:]]
    assert all(min(abs(e - g) for g in builder.grid) < 0.01 for e in edges), (edges, builder.grid)


def test_closing_punctuation_never_runs_over_the_right_border():
    _sans, song = register_fonts()
    text = pd.LONG * 3 + "（见附件）。"
    for width in range(60, 260, 7):
        lines = wrap(text, song, 10.5, width)
        assert "".join(lines) == text
        assert all(text_width(line, song, 10.5) <= width + 0.01 for line in lines if len(line) > 2), width
        assert not any(line[0] in NO_START for line in lines if line)


def test_section_titles_break_between_words():
    sans, _song = register_fonts()
    assert balanced("其他联系活动", sans, 10.5, 54) == ["其他", "联系活动"]


def test_a_sheet_that_spills_a_few_lines_fits_one_page(data, ledger):
    content = None
    for i in range(40):
        add_activity(ActivityInput(data.leader, date(2025, 10, 1 + i % 28), "进课堂", carrier=f"护理{i}班",
                                   summary="随堂听课并与任课教师交流"), ledger)
        content = sheet_content(data.leader, pd.MONTH)
        plain = paginate(SheetBuilder().bands(content), (TABLE_TOP, BOTTOM + 14), (TABLE_TOP, BOTTOM + 14),
                         trailer=TRAILER)
        if len(plain) == 2:
            break
    assert content is not None and len(plain) == 2
    pdf, _ = sheet_pdf(content)
    assert pd.page_count(pdf) == 1
    assert all(f"护理{j}班" in pd.text(pdf) for j in range(i + 1))


def test_a_row_continued_on_a_new_page_repeats_its_target_and_date(data, ledger):
    add_activity(ActivityInput(data.leader, date(2025, 10, 24), "进课堂", carrier="思政课第九讲",
                               summary="；".join([pd.LONG] * 14)), ledger)
    pages = pd.pages_text(sheet_pdf(sheet_content(data.leader, pd.MONTH))[0])
    holding = [p for p in pages if "走访护理系学生宿舍" in p]  # the pages the long text runs over
    assert len(holding) >= 2
    assert all("思政课第九讲" in p and "10月24日" in p for p in holding)


def test_a_batch_has_a_bookmark_per_cadre_and_duplex_starts_each_on_an_odd_page(cli, data, tmp_path):
    out = tmp_path / "month.pdf"
    code, _, err = cli("sheet", "--month", pd.MONTH, "--all", "--duplex", "--out", str(out))
    assert code == 0, err
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    marks = [(m.title, reader.get_destination_page_number(m)) for m in reader.outline]
    assert [t for t, _ in marks] == [f"{data.leader}（校领导班子）", f"{data.middle}（学生工作部）"]
    assert all(n % 2 == 0 for _, n in marks)  # page 1, 3, 5…: the front of a leaf
    assert marks[1][1] == 2 and "本页空白" in pd.pages_text(out.read_bytes())[1]


# 9. Privacy and metadata ---------------------------------------------------------------------------


def test_names_of_students_in_difficulty_are_hidden_unless_include_private(cli, data, ledger, tmp_path):
    add_target("孙困难", "困难学生", "护理系")
    add_activity(ActivityInput(data.leader, date(2025, 10, 17), "谈心谈话", target="孙困难",
                               summary="谈心，了解资助需求"), ledger)
    out = tmp_path / "s.pdf"
    code, _, err = cli("sheet", "--cadre", data.leader, "--month", pd.MONTH, "--out", str(out))
    assert code == 0, err
    text = pd.text(out.read_bytes())
    assert "孙困难" not in text and "（已隐去）" in text and "谈心，了解资助需求" in text
    code, _, err = cli("sheet", "--month", pd.MONTH, "--all", "--out", str(out))
    assert code == 0 and "孙困难" not in pd.text(out.read_bytes())
    code, _, err = cli("sheet", "--cadre", data.leader, "--month", pd.MONTH, "--out", str(out), "--include-private")
    assert code == 0 and "孙困难" in pd.text(out.read_bytes())


def test_pdf_metadata_says_what_the_file_is_and_whose_school(data):
    pdf, _ = sheet_pdf(sheet_content(data.leader, pd.MONTH))
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta.author == "测试学院"  # from the settings, without --school
    assert meta.subject != "unspecified" and data.leader in meta.subject and "2025年10月" in meta.subject


def test_the_revision_table_prints_the_clerk_named_in_the_settings(data):
    from liaison_desk.paper.report import term_summary_pdf

    settings.set_clerk_name("周文书")
    sign_sheet(data.leader, pd.MONTH)
    revise_sheet(data.leader, pd.MONTH, "补录一次走访")
    pdf, _ = term_summary_pdf(pd.TERM, date(2025, 12, 1))
    assert "周文书" in pd.text(pdf)
