"""Signing a record sheet (签字封存): seal its content, keep the signed PDF as the archived copy.

Sealing records a hash of the month's activities and the sheet's own fields, so a later change
shows; the PDF drawn at signing (with the cadre's signature image and the date) is kept in the
database, and `sheet` writes that copy byte for byte afterwards. When the office has a
certificate (a PKCS#12 file), the PDF also carries a PAdES signature with a visible stamp, which
any PDF reader can check, offline.
"""

from __future__ import annotations

import dataclasses
import io
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import resources
from ..errors import BadInput
from ..ledger import settings
from ..ledger.roster import find_cadre
from ..store import changelog
from ..store.models import Cadre, Sheet, db
from ..store.records import as_dict
from ..store.sql import on_server, retrying
from .sheet_content import SheetContent, sheet_content

#: Setting key: the office's certificate file (the password is never stored).
CERTIFICATE_SETTING = "signing.certificate"
MAX_IMAGE_BYTES = 5_000_000
SIGNATURE_FIELD = "CadreSignature"


@dataclass(frozen=True)
class Certificate:
    """The office's signing certificate, unlocked with its password for this session only."""

    path: Path
    subject: str
    not_after: datetime
    signer: Any  # pyhanko SimpleSigner


def load_certificate(path: Path | str, password: str | bytes | None) -> Certificate:
    """Open a .p12/.pfx file; a missing file, wrong password or expired certificate is bad input."""
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign.signers import SimpleSigner

    path = Path(path)
    if not path.is_file():
        raise BadInput(f"证书文件不存在：{path}")
    data = path.read_bytes()
    secret = password.encode("utf-8") if isinstance(password, str) else password
    try:
        key, cert, _others = pkcs12.load_key_and_certificates(data, secret or None)
    except (ValueError, TypeError):
        raise BadInput("证书密码错误，或不是有效的 PKCS#12（.p12/.pfx）证书文件", str(path)) from None
    if key is None or cert is None:
        raise BadInput("证书文件中没有私钥或签名证书", str(path))
    now = datetime.now().astimezone()
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        until = cert.not_valid_after_utc.astimezone().strftime("%Y-%m-%d")
        raise BadInput(f"证书不在有效期内（有效期至 {until}）", str(path))
    try:
        signer = SimpleSigner.load_pkcs12_data(data, [], passphrase=secret or None)
    except ValueError:
        raise BadInput("无法从证书文件中读取签名密钥", str(path)) from None
    return Certificate(path, _common_name(cert), cert.not_valid_after_utc.astimezone(), signer)


def _common_name(cert: Any) -> str:
    from cryptography.x509.oid import NameOID

    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def certificate_path() -> Path | None:
    """The certificate file set in the settings, if any."""
    value = settings.get(CERTIFICATE_SETTING)
    return Path(value) if value else None


def set_certificate_path(path: Path | str | None) -> None:
    """Remember (or forget, with None) the office's certificate file; never its password."""
    if path is None or str(path) == "":
        settings.put(CERTIFICATE_SETTING, "")
        return
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"证书文件不存在：{path}")
    settings.put(CERTIFICATE_SETTING, str(path.resolve()))


# The cadre's signature image ------------------------------------------------------------------


MAX_IMAGE_PIXELS = 4000 * 4000


def normalise_signature(data: bytes) -> bytes:
    """A scanned signature as a compact PNG (at most 600×240 px); anything else is bad input."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise BadInput("签名图像文件为空")
    if len(data) > MAX_IMAGE_BYTES:
        raise BadInput(f"签名图像过大（{len(data) // 1024} KB，最多 {MAX_IMAGE_BYTES // 1_000_000} MB）")
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_IMAGE_PIXELS:  # a few kB of PNG can unpack to gigabytes
                raise BadInput(f"签名图像尺寸过大（{img.width}×{img.height} 像素），请缩小到 4000×4000 像素以内")
            img.load()
            picture = img.convert("RGBA") if img.mode not in ("RGBA", "LA", "L") else img.copy()
    except Image.DecompressionBombError:
        raise BadInput("签名图像尺寸过大，请缩小到 4000×4000 像素以内") from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise BadInput("签名图像无法识别（请使用 PNG 或 JPEG 图片）") from None
    picture.thumbnail((600, 240))
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return transparent_background(out.getvalue())


def transparent_background(png: bytes) -> bytes:
    """The scan with its paper made transparent: pixels near the background's brightness (the
    off-white of a scanned sheet) fade out, the ink stays; else it prints as a grey box."""
    from PIL import Image, ImageChops

    with Image.open(io.BytesIO(png)) as img:
        rgba = img.convert("RGBA")
    grey = rgba.convert("L")
    opaque = rgba.getchannel("A").point(lambda a: 255 if a > 0 else 0)
    histogram = grey.histogram(mask=opaque)
    total, seen, paper = sum(histogram), 0, 255
    for level in range(255, -1, -1):  # the paper: the level the brightest 60 % of pixels reach
        seen += histogram[level]
        if seen >= total * 0.6:
            paper = level
            break
    if paper < 150 or histogram[255] == total:  # no light paper to remove (already cut out, or dark)
        return png
    hi = max(paper - 18, 40)
    lo = max(hi - 90, 0)
    ramp = [255 if v <= lo else 0 if v >= hi else round(255 * (hi - v) / (hi - lo)) for v in range(256)]
    alpha = ImageChops.multiply(grey.point(ramp), rgba.getchannel("A"))
    rgba.putalpha(alpha)
    out = io.BytesIO()
    rgba.save(out, format="PNG", optimize=True)
    return out.getvalue()


def set_signature_image(cadre_name: str, data: bytes | None) -> Cadre:
    """Store (or with None remove) a cadre's scanned signature; logged like every write."""
    cadre = find_cadre(cadre_name)
    png = normalise_signature(data) if data is not None else None
    with db.atomic():
        before = as_dict(cadre)
        Cadre.update(signature=png).where(Cadre.id == cadre.id).execute()
        cadre = Cadre.get_by_id(cadre.id)
        changelog.record("update", "cadre", cadre.id, before, as_dict(cadre))
    return cadre


# Signing ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signed:
    content: SheetContent
    pdf: bytes
    digital: bool  # carries a PAdES signature
    warnings: tuple[str, ...] = ()  # for the user, e.g. the certificate is not the cadre's own


@retrying
def sign_sheet(cadre_name: str, month: str, certificate: Certificate | None = None,
               now: datetime | None = None) -> Signed:
    """Seal one cadre's sheet for a month: status signed, content hash and the signed PDF kept."""
    from ..ledger.clerks import require
    from .sheet import sheet_pdf

    require("sign")
    content = sheet_content(cadre_name, month)
    if content.signed:
        when = f"于 {content.signed_at:%Y-%m-%d %H:%M} " if content.signed_at else ""
        raise BadInput(f"{content.cadre} {content.month_label}的记录表已{when}签字封存")
    now = (now or datetime.now()).replace(microsecond=0)
    from ..store.anchor import footer

    sealed = dataclasses.replace(content, status="signed", signed_at=now, sealed_hash=content.current_hash,
                                 anchor=footer(f"签字封存 {content.cadre} {content.month_label}"))
    school = settings.school_name()
    pdf, spot = sheet_pdf(sealed, school)
    warnings: list[str] = []
    if certificate is not None:
        if certificate.subject != content.cadre:
            warnings.append(f"注意：证书属于“{certificate.subject}”而非 {content.cadre} 本人，"
                            f"签章注明“经办：{certificate.subject}”")
        pdf = pades_sign(pdf, spot.page, spot.box, certificate,
                         reason=f"{content.cadre} {content.month_label}工作记录表签字封存",
                         location=school, cadre=content.cadre)
    with db.atomic():
        # The sheet held (on a server: locked, so adds and edits to the month wait), then checked
        # again inside the transaction: what was printed is what is sealed, or nothing is.
        query = Sheet.select().where(Sheet.id == content.sheet_id)
        sheet = (query.for_update() if on_server() else query).get()
        if sheet.status == "signed":
            raise BadInput(f"{content.cadre} {content.month_label}的记录表已签字封存")
        if sheet_content(cadre_name, month).current_hash != content.current_hash:
            raise BadInput(f"{content.cadre} {content.month_label}的记录表在签字时被改动（另一处刚刚保存），"
                           "没有签字：请核对后重新签字")
        before = as_dict(sheet)
        Sheet.update(status="signed", signed_at=now, content_hash=content.current_hash,
                     signed_pdf=pdf).where(Sheet.id == sheet.id).execute()
        changelog.record("update", "sheet", sheet.id, before, as_dict(Sheet.get_by_id(sheet.id)))
    return Signed(sealed, pdf, certificate is not None, tuple(warnings))


def _quiet_font_tools() -> None:
    """fontTools warns about quirks of the bundled Song font while subsetting; not the user's
    business, and the CLI's stderr is for one clear line."""
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def stamp_face(text: str) -> tuple[str, int]:
    """The bundled font file (and face index) the stamp is set in: the Song face when it has every
    character, else WenQuanYi Micro Hei (a signer named 王堃 must not print as 王)."""
    from . import glyphs
    from .fonts import register_fonts

    _sans, song = register_fonts()
    if glyphs.charset(song).issuperset(ch for ch in text if not ch.isspace() and ch != "%"):
        return resources.SONG_FONT, 0
    return resources.SANS_FONT, 0


def _font_factory(name: str, size: int, text: str) -> Any:
    """A pyHanko font factory for a bundled face. The Song face goes as it is; WenQuanYi Micro Hei
    is handed over cut to the stamp's characters at 1000 units per em, because pyHanko reads no
    face out of a .ttc and sets a 2048-unit font twice as wide as it is."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    path = str(resources.font_path(name))
    if not path.endswith(".ttc"):
        return GlyphAccumulatorFactory(path, font_size=size)
    data = _stamp_face_bytes(path, text)

    class _Cut(GlyphAccumulatorFactory):
        def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(writer=writer, font_handle=io.BytesIO(data), font_size=self.font_size,
                                    obj_stream=obj_stream)

    return _Cut(path, font_size=size)


def _stamp_face_bytes(path: str, text: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(path, fontNumber=0)
    cutter = subset.Subsetter(subset.Options(name_IDs=["*"], notdef_outline=True, drop_tables=["FFTM"]))
    cutter.populate(text=text + "0123456789-: ")
    cutter.subset(font)
    scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def stamp_text(certificate_subject: str, cadre: str) -> str:
    """The visible stamp's lines: the signer, and when the certificate is not the cadre's own
    (the office's), who handled it (经办)."""
    from . import glyphs

    lines = f"数字签名：{cadre}"
    if certificate_subject != cadre:
        lines += f"\n经办：{certificate_subject}"
    missing = glyphs.missing_glyphs(lines)
    for ch in missing:
        lines = lines.replace(ch, glyphs.PLACEHOLDER)
    return lines.replace("%", "%%") + "\n签署时间：%(ts)s"


def pades_sign(pdf: bytes, page: int, box: tuple[float, float, float, float], certificate: Certificate,
               reason: str = "", location: str = "", cadre: str = "") -> bytes:
    """Add a PAdES (B-B) signature with a visible stamp in Chinese at `box` on `page`."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    _quiet_font_tools()
    text = stamp_text(certificate.subject, cadre or certificate.subject)
    face, _index = stamp_face(text.replace("%(ts)s", "0123456789-: "))
    font = _font_factory(face, 9, text)
    style = TextStampStyle(
        stamp_text=text,
        text_box_style=TextBoxStyle(font=font, leading=12),
        timestamp_format="%Y-%m-%d %H:%M",
        border_width=1,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason or None, location=location or None, name=certificate.subject)
    x1, y1, x2, y2 = (int(round(v)) for v in box)
    spec = fields.SigFieldSpec(SIGNATURE_FIELD, on_page=page, box=(x1, y1, x2, y2))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = signers.PdfSigner(meta, signer=certificate.signer, stamp_style=style,
                            new_field_spec=spec).sign_pdf(writer)
    return bytes(out.getvalue())


# Checking ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    """What a PDF's digital signature says: present, unchanged since signing, trusted."""

    present: bool
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    signed_at: datetime | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.present and self.intact and self.valid and self.whole_file


def check_pdf_signature(pdf: bytes, trust_roots: list[Any] | None = None) -> SignatureCheck:
    """Validate the PDF's signature offline. trust_roots: asn1crypto certificates (or DER bytes)
    of the certificate authorities to trust; without them a sound signature is valid but not
    trusted."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    roots = [asn1_x509.Certificate.load(r) if isinstance(r, bytes) else r for r in trust_roots or []]
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception as e:  # a damaged file is an answer, not a crash
        return SignatureCheck(present=False, message=f"PDF 无法读取：{e}")
    if not signatures:
        return SignatureCheck(present=False, message="文件没有数字签名")
    sig = signatures[-1]
    try:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        status = validate_pdf_signature(sig, context)
    except Exception as e:
        return SignatureCheck(present=True, message=f"签名无法验证：{e}")
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    signer = _subject_cn(status.signing_cert)
    if not status.intact:
        message = "签名后文件已被改动"
    elif not status.valid:
        message = "签名值无效"
    elif not whole:
        message = "签名后文件又被追加了内容"
    elif not status.trusted:
        message = "签名完好，但签名证书不在信任列表中"
    else:
        message = "签名有效，文件自签名以来未被改动"
    return SignatureCheck(present=True, intact=bool(status.intact), valid=bool(status.valid),
                          trusted=bool(status.trusted), whole_file=whole, signer=signer,
                          signed_at=status.signer_reported_dt, message=message)


def _subject_cn(cert: Any) -> str:
    try:
        return str(cert.subject.native.get("common_name", ""))
    except Exception:
        return ""


def trust_roots_from_p12(path: Path | str, password: str | bytes | None) -> list[Any]:
    """The CA certificates a .p12 carries (to validate signatures made with it)."""
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    secret = password.encode("utf-8") if isinstance(password, str) else password
    try:
        _key, _cert, others = pkcs12.load_key_and_certificates(Path(path).read_bytes(), secret or None)
    except (ValueError, OSError):
        raise BadInput("证书密码错误，或不是有效的 PKCS#12（.p12/.pfx）证书文件", str(path)) from None
    return [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in others]


def seal_intact(content: SheetContent) -> bool:
    """True unless the sheet is signed and its records changed since."""
    return content.intact
