"""Signing a sheet: the seal (status, content hash, archived PDF), the PAdES signature made with a
test certificate and checked offline, and what the clerk sees when something is wrong."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import paper_data as pd
import pytest
from pypdf import PdfReader

from liaison_desk.errors import BadInput
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.paper.sheet_content import content_hash, sheet_content
from liaison_desk.paper.signing import (
    check_pdf_signature,
    load_certificate,
    set_certificate_path,
    set_signature_image,
    sign_sheet,
    trust_roots_from_p12,
)
from liaison_desk.store.models import Activity, Cadre, ChangeLog, Sheet


def sheet_row(name: str) -> Sheet:
    return Sheet.get((Sheet.cadre == Cadre.get(Cadre.name == name)) & (Sheet.month == pd.MONTH))


def test_signing_seals_the_sheet_and_keeps_the_drawn_pdf(data):
    set_signature_image(data.leader, pd.signature_png())
    signed = sign_sheet(data.leader, pd.MONTH, now=datetime(2025, 11, 3, 10, 0))
    row = sheet_row(data.leader)
    assert row.status == "signed"
    assert row.content_hash == content_hash(row.cadre_id, pd.MONTH) == signed.content.sealed_hash
    assert bytes(row.signed_pdf) == signed.pdf and not signed.digital
    page = pd.pages_text(signed.pdf)[-1]
    assert "2025年11月3日" in page and "已签字封存" in page and row.content_hash[:16] in page
    assert pd.images_on(signed.pdf, 0) == 1  # the signature image
    assert ChangeLog.select().where((ChangeLog.table == "sheet") & (ChangeLog.row_id == str(row.id))).count() >= 2


def test_a_signed_month_refuses_new_activities_and_a_second_signing(data):
    sign_sheet(data.leader, pd.MONTH)
    before = Activity.select().count()
    with pytest.raises(BadInput, match="签字封存"):
        add_activity(ActivityInput(data.leader, date(2025, 10, 30), "进食堂", summary="午餐"), data.policy)
    assert Activity.select().count() == before
    with pytest.raises(BadInput, match="已.*签字封存"):
        sign_sheet(data.leader, pd.MONTH)


def test_a_change_after_signing_shows_as_a_broken_seal(data):
    sign_sheet(data.middle, pd.MONTH)
    assert sheet_content(data.middle, pd.MONTH).intact
    act = Activity.select().join(Cadre).where(Cadre.name == data.middle).first()
    Activity.update(summary="改过的内容").where(Activity.id == act.id).execute()  # a write behind the seal
    assert not sheet_content(data.middle, pd.MONTH).intact


def test_signing_with_a_certificate_gives_a_pades_signature_that_validates_offline(data, certs):
    cert = load_certificate(certs.p12, certs.password)
    assert cert.subject == "党政办公室"
    signed = sign_sheet(data.leader, pd.MONTH, cert)
    assert signed.digital
    roots = trust_roots_from_p12(certs.p12, certs.password)
    check = check_pdf_signature(signed.pdf, roots)
    assert check.ok and check.trusted and check.signer == "党政办公室", check.message
    assert check_pdf_signature(signed.pdf, [certs.ca_der]).trusted
    # Another authority does not vouch for it; the signature itself is still sound.
    other = check_pdf_signature(signed.pdf, [certs.other_ca_der])
    assert other.intact and not other.trusted
    reader = PdfReader(io.BytesIO(signed.pdf))
    sig = reader.trailer["/Root"]["/AcroForm"]["/Fields"][0].get_object()
    assert sig["/V"]["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES


def test_one_changed_byte_breaks_the_signature(data, certs):
    signed = sign_sheet(data.leader, pd.MONTH, load_certificate(certs.p12, certs.password))
    roots = [certs.ca_der]
    assert check_pdf_signature(signed.pdf, roots).ok
    # One byte inside the signed range (the document's producer field), outside the signature value.
    at = signed.pdf.index(b"ReportLab PDF Library") + 6
    tampered = signed.pdf[:at] + bytes([signed.pdf[at] ^ 0x01]) + signed.pdf[at + 1:]
    assert len(tampered) == len(signed.pdf) and tampered != signed.pdf
    result = check_pdf_signature(tampered, roots)
    assert result.present and not result.intact and not result.ok
    assert "改动" in result.message
    # Anything added after signing is noticed too.
    appended = check_pdf_signature(signed.pdf + b"\n% added later\n", roots)
    assert appended.intact and not appended.whole_file and not appended.ok
    assert "追加" in appended.message


def test_the_visible_stamp_carries_chinese_in_an_embedded_font(data, certs):
    signed = sign_sheet(data.leader, pd.MONTH, load_certificate(certs.p12, certs.password))
    found = pd.fonts(signed.pdf)
    assert found and all(found.values()), found
    page = PdfReader(io.BytesIO(signed.pdf)).pages[-1]
    widget = next(a.get_object() for a in page["/Annots"] if a.get_object().get("/FT") == "/Sig")
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    assert 0 < x1 < x2 < 595 and 0 < y1 < y2 < 842
    appearance = widget["/AP"]["/N"].get_object()
    mapped = set()
    for font in _fonts(appearance):
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        for hexcode in re.findall(r"<([0-9A-Fa-f]{4,})>\s*$", cmap, re.M):
            mapped.update(chr(int(hexcode[i:i + 4], 16)) for i in range(0, len(hexcode), 4))
    assert set("数字签名党政办公室") <= mapped


def _fonts(xobject):
    fonts = []
    resources = xobject.get("/Resources")
    for ref in (resources.get("/Font") or {}).values():
        fonts.append(ref.get_object())
    for ref in (resources.get("/XObject") or {}).values():
        inner = ref.get_object()
        if inner.get("/Subtype") == "/Form" and inner.get("/Resources") is not None:
            fonts.extend(_fonts(inner))
    return fonts


def test_wrong_password_missing_file_and_not_a_certificate_are_bad_input(certs, tmp_path):
    with pytest.raises(BadInput, match="证书密码错误"):
        load_certificate(certs.p12, "错误的密码")
    with pytest.raises(BadInput, match="证书文件不存在"):
        load_certificate(tmp_path / "none.p12", "x")
    junk = tmp_path / "junk.p12"
    junk.write_bytes(b"not a certificate")
    with pytest.raises(BadInput, match="PKCS#12"):
        load_certificate(junk, "x")


def test_signature_image_is_checked_and_stored_as_png(data):
    with pytest.raises(BadInput, match="无法识别"):
        set_signature_image(data.leader, b"\x89PNG but not really")
    cadre = set_signature_image(data.leader, pd.signature_png())
    assert bytes(cadre.signature).startswith(b"\x89PNG")
    assert set_signature_image(data.leader, None).signature is None


def test_certificate_setting_keeps_the_path_never_the_password(data, certs):
    from liaison_desk.paper.signing import certificate_path
    from liaison_desk.store.models import Setting

    set_certificate_path(certs.p12)
    assert certificate_path() == certs.p12.resolve()
    assert all(certs.password not in s.value for s in Setting.select())
    with pytest.raises(BadInput):
        set_certificate_path(certs.p12.parent / "missing.p12")


# The command line ------------------------------------------------------------------------------


def test_cli_sign_with_a_certificate_and_sheet_writes_the_archived_copy_byte_for_byte(cli, data, certs, tmp_path,
                                                                                      monkeypatch):
    monkeypatch.setenv("LD_TEST_P12_PASSWORD", certs.password)
    code, out, err = cli("sign", "--cadre", data.leader, "--month", pd.MONTH, "--p12", str(certs.p12),
                         "--password-env", "LD_TEST_P12_PASSWORD")
    assert code == 0, err
    assert "已签字封存" in out and "党政办公室" in out
    copy = tmp_path / "copy.pdf"
    code, out, err = cli("sheet", "--cadre", data.leader, "--month", pd.MONTH, "--out", str(copy))
    assert code == 0, err
    assert "存档原件" in out
    assert copy.read_bytes() == bytes(sheet_row(data.leader).signed_pdf)
    assert check_pdf_signature(copy.read_bytes(), [certs.ca_der]).ok
    # A month's file mixes archived copies and drawn sheets, in roster order.
    month = tmp_path / "month.pdf"
    code, out, err = cli("sheet", "--month", pd.MONTH, "--all", "--out", str(month))
    assert code == 0, err
    assert "已签字 1 份" in out
    texts = pd.pages_text(month.read_bytes())
    assert data.leader in texts[0] and data.middle in texts[-1]


def test_cli_sign_without_a_certificate_still_seals(cli, data):
    code, out, err = cli("sign", "--cadre", data.middle, "--month", pd.MONTH)
    assert code == 0, err
    assert sheet_row(data.middle).status == "signed"


@pytest.mark.parametrize(("extra", "env", "message"), [
    (["--cadre", "无此人", "--month", pd.MONTH], {}, "未找到干部"),
    (["--cadre", "王建国", "--month", "2025-04"], {}, "没有工作记录表"),
    (["--cadre", "王建国", "--month", pd.MONTH, "--password-env", "LD_PW"], {"LD_PW": "错误的密码"}, "证书密码错误"),
    (["--cadre", "王建国", "--month", pd.MONTH, "--password-env", "LD_PW_UNSET"], {}, "环境变量 LD_PW_UNSET 未设置"),
    (["--cadre", "王建国", "--month", pd.MONTH, "--no-password"], {}, "无法识别的参数"),
])
def test_cli_sign_bad_input_exits_2_and_changes_nothing(cli, data, certs, monkeypatch, extra, env, message):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("LD_PW_UNSET", raising=False)
    if "--password-env" in extra:
        extra = [*extra, "--p12", str(certs.p12)]
    log_before = ChangeLog.select().count()
    code, _, err = cli("sign", *extra)
    assert code == 2
    assert message in err
    assert sheet_row(data.leader).status == "draft"
    assert ChangeLog.select().count() == log_before


def test_cli_signature_image(cli, data, tmp_path):
    image = tmp_path / "sig.png"
    image.write_bytes(pd.signature_png())
    code, out, err = cli("signature", "--cadre", data.leader, "--image", str(image))
    assert code == 0, err
    assert Cadre.get(Cadre.name == data.leader).signature is not None
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"nope")
    code, _, err = cli("signature", "--cadre", data.leader, "--image", str(bad))
    assert code == 2 and "无法识别" in err
    code, _, err = cli("signature", "--cadre", data.leader, "--remove")
    assert code == 0 and Cadre.get(Cadre.name == data.leader).signature is None


def test_cli_sign_uses_the_certificate_set_in_the_settings(cli, data, certs, monkeypatch):
    set_certificate_path(certs.p12)
    monkeypatch.setenv("LD_TEST_P12_PASSWORD", certs.password)
    code, out, err = cli("sign", "--cadre", data.middle, "--month", pd.MONTH, "--password-env", "LD_TEST_P12_PASSWORD")
    assert code == 0, err
    assert "数字签名：党政办公室" in out
    assert check_pdf_signature(bytes(sheet_row(data.middle).signed_pdf), [certs.ca_der]).ok
