"""Every character a clerk can type prints (issue 13, defect 1): the Song face of the forms lacks
what is outside GB2312, so each character falls back to a bundled face that has it, in the sheets,
the reports and the signature stamp; a character no bundled face has is refused at printing
(exit 2 naming it and the record) unless allowed, and then prints as a visible 〓."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import paper_data as pd
import pytest

from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.roster import add_cadre, add_target, assign
from liaison_desk.paper import glyphs
from liaison_desk.paper.fonts import register_fonts
from liaison_desk.paper.layout import NO_END, NO_START, Painter
from liaison_desk.paper.sheet import new_canvas, sheet_pdf
from liaison_desk.paper.sheet_content import sheet_content

ROOT = Path(__file__).resolve().parents[2]
GIVEN_NAMES = "堃喆珺玥昇燊镕赟旻彧瑄祎璟垚"
RARE = "\U00020BB7"  # 𠮷, CJK Extension B: in no bundled face


def program_characters() -> set[str]:
    """Every non-ASCII character in the program's own texts (sources and form files)."""
    chars: set[str] = set()
    for path in [*ROOT.glob("liaison_desk/**/*.py"), *ROOT.glob("forms/**/*.toml")]:
        chars.update(ch for ch in path.read_text(encoding="utf-8") if ord(ch) > 127)
    # ✗ marks bad rows in Excel files and the terminal self-test, never a PDF; 𠮷 is this test's own.
    # Look-alikes such as the Kangxi radical ⽊ appear in the sources only as examples of what
    # names.py normalises away (NFKC), never as text the program prints.
    lookalikes = {c for c in chars if "\u2f00" <= c <= "\u2fdf" and unicodedata.normalize("NFKC", c) != c}
    # The tick boxes ☐☑☒◉✅ are read from and written into Word record forms (#20; Word's fonts have
    # them), never drawn in a PDF by the program.
    return chars - {"\u3000", "✗", "☐", "☑", "☒", "◉", "✅"} - set(RARE) - lookalikes


def face_charset(base_font: str) -> frozenset[str]:
    sans, song = register_fonts()
    return glyphs.charset(sans if "WenQuanYi" in base_font else song)


def test_every_common_ideograph_and_the_programs_punctuation_prints_in_a_face_that_has_it():
    sans, song = register_fonts()
    wanted = {chr(c) for c in range(0x4E00, 0x9FA6)} | program_characters() | set(NO_START | NO_END) | set("–—")
    for font in (song, sans):
        for ch in sorted(wanted):
            (face, run), = glyphs.runs(ch, font)
            assert run == ch and ch in glyphs.charset(face), (ch, hex(ord(ch)), font)
    assert glyphs.missing_glyphs("".join(sorted(wanted))) == []
    # The Song face alone would have lost most of them: the fallback is what prints them.
    assert len(wanted - glyphs.charset(song)) > 14000
    # The few of U+4E00–U+9FFF that no bundled face has are named, not dropped.
    late = "".join(chr(c) for c in range(0x9FA6, 0xA000))
    assert glyphs.missing_glyphs(late) == [ch for ch in late if ch not in glyphs.covered()]


def test_a_page_of_every_common_ideograph_draws_each_in_a_face_that_has_it():
    """Drawn through the printing layer and read back: each piece of text is set in a font whose
    bundled face has every character of it."""
    sans, song = register_fonts()
    text = "".join(chr(c) for c in range(0x4E00, 0x9FA6)) + "".join(sorted(program_characters()))
    buf = io.BytesIO()
    canvas = new_canvas(buf, "字表")
    painter = Painter(canvas, 20)
    per_line, per_page = 40, 60
    chunks = [text[i:i + per_line] for i in range(0, len(text), per_line)]
    for p in range(0, len(chunks), per_page):
        painter.reset()
        for n, chunk in enumerate(chunks[p:p + per_page]):
            painter.text(20, 800 - n * 13, chunk, song, 9)
        canvas.showPage()
    canvas.save()
    pdf = buf.getvalue()
    seen = []
    for page in range(pd.page_count(pdf)):
        for piece, font, _x, _y in pd.drawn_runs(pdf, page):
            piece = piece.replace("\n", "")
            assert face_charset(font).issuperset(piece), (font, piece)
            seen.append(piece)
    assert "".join(seen) == text


@pytest.fixture
def wang_kun(ledger):
    data = pd.build(ledger)
    add_cadre("王堃", "leader", "校领导班子", "副校长", "党委委员")
    add_target("张珺玥", "个人", "护理系")
    add_target("李喆", "青年教师", "护理系")
    assign("王堃", "李喆", "2025-2026")
    add_activity(ActivityInput("王堃", date(2025, 10, 15), "联系青年教师", target="李喆",
                               summary="听取李喆对青年教师培养的意见，落实1/1–2个帮扶项目"), ledger)
    add_activity(ActivityInput("王堃", date(2025, 10, 22), "谈心谈话", target="张珺玥",
                               summary="与张珺玥谈心，了解学业和生活"), ledger)
    return data


def test_a_sheet_for_wang_kun_prints_every_character_of_the_names_and_the_en_dash(wang_kun):
    pdf, _ = sheet_pdf(sheet_content("王堃", pd.MONTH), "测试学院")
    runs = pd.drawn_runs(pdf)
    for piece, font, _x, _y in runs:
        assert face_charset(font).issuperset(piece.replace("\n", "")), (font, piece)
    drawn = "".join(piece for piece, *_ in runs)
    for word in ("王堃", "张珺玥", "李喆", "1/1–2个"):
        assert word in drawn.replace("\n", ""), word
    # 堃 is set in the fallback face, the rest of the name in the Song face.
    assert any(piece == "堃" and "WenQuanYi" in font for piece, font, *_ in runs)
    assert set(pd.fonts(pdf)) == {"/AAAAAA+WenQuanYiMicroHei-0", "/AAAAAA+BousungEG-Light-GB"}
    assert all(pd.fonts(pdf).values())  # embedded


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdftotext_reads_the_names_back(wang_kun, tmp_path):
    out = tmp_path / "s.pdf"
    out.write_bytes(sheet_pdf(sheet_content("王堃", pd.MONTH))[0])
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout)
    assert "王堃" in text and "张珺玥" in text and "李喆" in text and "1/1–2个" in text


def test_missing_glyphs_names_only_what_no_bundled_face_has():
    assert glyphs.missing_glyphs("王堃–李喆") == []
    assert glyphs.missing_glyphs(f"吉{RARE}祥{RARE}\n") == [RARE]
    assert "U+20BB7" in glyphs.describe([RARE])


def test_printing_a_character_no_face_has_exits_2_naming_it_and_the_record(cli, wang_kun, ledger, tmp_path):
    add_activity(ActivityInput("王堃", date(2025, 10, 9), "进课堂", carrier="护理2301班",
                               summary=f"与{RARE}同学交流"), ledger)
    out = tmp_path / "s.pdf"
    code, _, err = cli("sheet", "--cadre", "王堃", "--month", pd.MONTH, "--out", str(out))
    assert code == 2 and "U+20BB7" in err and "王堃" in err and "2025年10月" in err
    assert "--allow-missing-glyphs" in err and not out.exists()
    code, _, err = cli("sheet", "--month", pd.MONTH, "--all", "--out", str(out))
    assert code == 2 and "U+20BB7" in err and not out.exists()
    code, _, err = cli("sheet", "--cadre", "王堃", "--month", pd.MONTH, "--out", str(out), "--allow-missing-glyphs")
    assert code == 0, err
    assert "〓" in pd.text(out.read_bytes()) and "以“〓”代替" in err


def test_a_report_with_a_character_no_face_has_exits_2_unless_allowed(cli, wang_kun, ledger, tmp_path):
    add_cadre(f"吉{RARE}", "leader", "校领导班子", "副校长", "党委委员")
    out = tmp_path / "r.pdf"
    code, _, err = cli("report", "monthly", "--month", pd.MONTH, "--as-of", "2025-11-30", "--out", str(out))
    assert code == 2 and "U+20BB7" in err and not out.exists()
    code, _, err = cli("report", "monthly", "--month", pd.MONTH, "--as-of", "2025-11-30", "--out", str(out),
                       "--allow-missing-glyphs")
    assert code == 0, err
    text = pd.text(out.read_bytes())
    assert "王堃" in text and "吉〓" in text


def test_the_signature_stamp_of_a_signer_outside_gb2312_is_set_in_a_face_that_has_every_character(
        wang_kun, tmp_path):
    from liaison_desk.paper.signing import check_pdf_signature, load_certificate, sign_sheet, stamp_face, stamp_text

    certs = pd.make_certificates(tmp_path, holder="王堃")
    signed = sign_sheet("王堃", pd.MONTH, load_certificate(certs.p12, certs.password))
    assert signed.warnings == ()  # the cadre's own certificate
    text = stamp_text("王堃", "王堃")
    assert "王堃" in text and "经办" not in text
    face, _ = stamp_face(text)
    assert face == "wqy-microhei.ttc"
    assert any("WenQuanYi" in name for name in pd.fonts(signed.pdf))
    assert check_pdf_signature(signed.pdf, [certs.ca_der]).ok
