"""Test data and PDF inspection shared by the paper tests (sheets, signing, reports, GUI).

The ledger is built through the same services the clerk's input goes through; the PDFs are read
back with pypdf (text, fonts, images) the way a reader would see them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from liaison_desk.calendar import Term
from liaison_desk.ledger import settings
from liaison_desk.ledger.activities import ActivityInput, add_activity
from liaison_desk.ledger.roster import add_cadre, add_target, assign
from liaison_desk.ledger.sheets import set_field
from liaison_desk.policy import Policy
from liaison_desk.store.models import Cadre

MONTH = "2025-10"
TERM = "2025-2026-1"
LONG = ("走访护理系学生宿舍，与同学们逐一交流学习、生活和就业准备情况，了解到部分宿舍热水供应不稳定、"
        "晚间自习室座位不足，当场联系后勤处和教务处研究解决办法，并约定下周回访落实情况。")


@dataclass
class Ledger:
    policy: Policy
    leader: str = "王建国"
    middle: str = "李晓梅"


def build(policy: Policy, long_month: bool = False) -> Ledger:
    """Two cadres (a leadership member on 五联七进, a middle-level one on 三特一体), their targets
    and assignments, and October's activities; long_month adds thirty long ones to the leader."""
    settings.set_term(Term(TERM, date(2025, 9, 1), date(2026, 1, 18), ((date(2025, 10, 1), date(2025, 10, 7)),)))
    data = Ledger(policy)
    add_cadre(data.leader, "leader", "校领导班子", "党委书记", "党委书记、党委委员")
    add_cadre(data.middle, "middle_head", "学生工作部", "部长", "学生工作部门、主要负责人")
    for name, kind, unit in [("护理系党总支", "党总支", "护理系"), ("护理系学生第一党支部", "党支部", "护理系"),
                             ("护理2301班", "班级", "护理系"), ("南苑5栋402", "宿舍", ""),
                             ("陈青", "青年教师", "护理系"), ("赵小六", "个人", "护理系")]:
        add_target(name, kind, unit)
    for target in ("护理系党总支", "护理系学生第一党支部", "护理2301班", "陈青", "赵小六"):
        assign(data.leader, target, "2025-2026")
    assign(data.middle, "南苑5栋402", "2025-2026")
    acts = [
        (data.leader, date(2025, 10, 9), "联系党总支", "护理系党总支", "参加护理系党总支中心组学习", None, ""),
        (data.leader, date(2025, 10, 14), "进宿舍", "南苑5栋402", "第一次走访宿舍，查看安全隐患", None, ""),
        (data.leader, date(2025, 10, 28), "进宿舍", "南苑5栋402", "第二次走访宿舍，回访热水问题", None,
         "热水供应不稳定"),
        (data.leader, date(2025, 10, 16), "谈心谈话", "赵小六", "与赵小六谈心，了解考研准备", 2, ""),
        (data.middle, date(2025, 10, 10), "进课堂", "护理2301班", "随堂听课并与任课教师交流", None, ""),
        (data.middle, date(2025, 10, 21), "谈心谈话", "", "与三名毕业生谈心，疏导就业压力", 3, ""),
    ]
    for cadre, day, category, target, summary, people, problems in acts:
        add_activity(ActivityInput(cadre, day, category, target=target, summary=summary, people=people,
                                   problems=problems), policy)
    if long_month:
        for i in range(30):
            add_activity(ActivityInput(data.leader, date(2025, 10, 1 + i % 28), "进课堂",
                                       carrier=f"思政课第{i + 1}讲", summary=f"第{i + 1}次：{LONG}"), policy)
    middle = Cadre.get(Cadre.name == data.middle)
    if policy.forms["middle_head"] != "santeyiti":
        return data
    set_field(middle.id, MONTH, "specialties", ["工作职能", "个人专长"], policy)
    set_field(middle.id, MONTH, "carrier_teachers", "护理系教工党支部", policy)
    set_field(middle.id, MONTH, "carrier_students", "2023级护理3班", policy)
    set_field(middle.id, MONTH, "work", "本月发现部分宿舍热水供应不稳定，已协调后勤处维修。", policy)
    return data


# Reading PDFs back -----------------------------------------------------------------------------


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text with all white space removed (wrapping splits lines anywhere)."""
    return [re.sub(r"\s+", "", page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


def text(pdf: bytes) -> str:
    return "".join(pages_text(pdf))


def _fonts_in(resources: Any, found: dict[str, bool], seen: set[int]) -> None:
    if resources is None:
        return
    resources = resources.get_object()
    for _key, ref in (resources.get("/Font") or {}).items():
        font = ref.get_object()
        if id(font) in seen:
            continue
        seen.add(id(font))
        name = str(font.get("/BaseFont", "?"))
        if font.get("/Subtype") == "/Type0":
            descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
        else:
            descriptor = font.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else None
        found[name] = descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    for _key, ref in (resources.get("/XObject") or {}).items():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form":
            _fonts_in(xobject.get("/Resources"), found, seen)


def fonts(pdf: bytes) -> dict[str, bool]:
    """Every font the document uses (pages, form XObjects, annotation appearances): embedded?"""
    found: dict[str, bool] = {}
    seen: set[int] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        _fonts_in(page.get("/Resources"), found, seen)
        for annot in page.get("/Annots") or []:
            ap = annot.get_object().get("/AP")
            if ap is not None:
                normal = ap.get_object()["/N"].get_object()
                _fonts_in(normal.get("/Resources"), found, seen)
    return found


def images_on(pdf: bytes, page: int) -> int:
    resources = PdfReader(io.BytesIO(pdf)).pages[page].get("/Resources").get_object()
    return sum(1 for ref in (resources.get("/XObject") or {}).values() if ref.get_object().get("/Subtype") == "/Image")


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


# Certificates for signing tests --------------------------------------------------------------


@dataclass
class Certs:
    p12: Path
    password: str
    ca_der: bytes
    other_ca_der: bytes


def make_certificates(folder: Path, password: str = "正确的密码", holder: str = "党政办公室") -> Certs:
    """A self-signed CA, a signer certificate it issued (in a password-protected .p12), and an
    unrelated CA: all made here, no network."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "测试学院"),
                          x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    now = dt.datetime.now(dt.UTC)

    def ca(cn: str) -> tuple[Any, Any]:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder().subject_name(name(cn)).issuer_name(name(cn))
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
                .sign(key, hashes.SHA256()))
        return key, cert

    ca_key, ca_cert = ca("测试根证书")
    _other_key, other_cert = ca("无关的根证书")
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(name(holder)).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    p12 = folder / "office.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"office", key, cert, [ca_cert], serialization.BestAvailableEncryption(password.encode("utf-8"))))
    der = serialization.Encoding.DER
    return Certs(p12, password, ca_cert.public_bytes(der), other_cert.public_bytes(der))


def signature_png(text_colour: tuple[int, int, int] = (20, 20, 120)) -> bytes:
    """A small scanned-signature-like PNG."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    draw.line([(10, 70), (80, 20), (140, 80), (220, 25), (290, 60)], fill=(*text_colour, 255), width=6)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def drawn_runs(pdf: bytes, page: int = 0) -> list[tuple[str, str, float, float]]:
    """(text, font BaseFont without subset tag, x, y) of each text piece the page draws."""
    found: list[tuple[str, str, float, float]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, _size: float) -> None:
        if text and font is not None:
            base = str(font.get("/BaseFont", "")).split("+")[-1]
            found.append((text, base, float(tm[4]), float(tm[5])))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return found
