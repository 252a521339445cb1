"""The installable build (#8): build.spec is built with PyInstaller into a temporary folder and the
frozen program is used the way a clerk's installation is: --selftest, the window (offscreen), real
commands whose output must match the program run from source, a digitally signed sheet that must
validate, and the bundle's size against its budget.

Slow (under a minute on 2 cores, most of it PyInstaller): marked `slow`, and run by CI like every test.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))
import trim  # noqa: E402  (the lists of what the build leaves out)

#: The issue's budget for the unpacked bundle on Linux, in MiB as `du -h` counts (159.7 MB decimal is
#: 152 MiB now: the decimal reading would leave no room for the areas still landing). Raised for
#: #20 (the Word record forms: python-docx needs lxml.etree, 5.2 MB with its libxml2 inside) and
#: #18 (the PostgreSQL driver: psycopg with its libpq), to the 175 MiB issue 18 gives.
BUDGET_MIB = 175
WINDOWS = sys.platform == "win32"
MONTH = "2025-10"


@dataclass
class Build:
    folder: Path
    exe: Path
    seconds: float


def say(capsys: pytest.CaptureFixture[str], text: str) -> None:
    """A figure for the CI log (the issue asks for them), outside pytest's capture."""
    with capsys.disabled():
        print(f"\n[packaging] {text}")


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("PyInstaller is missing: CI installs it with the test extra (pip install -e '.[test]')")
        pytest.skip("PyInstaller is not installed (pip install -e '.[test]')")
    tmp = tmp_path_factory.mktemp("pyinstaller")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(tmp / "dist"), "--workpath", str(tmp / "work"), str(ROOT / "build.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    folder = tmp / "dist" / "liaison-desk"
    yield Build(folder, folder / ("liaison-desk.exe" if WINDOWS else "liaison-desk"), seconds)
    shutil.rmtree(tmp, ignore_errors=True)  # 150 MB of bundle and as much of build files


def run_frozen(build: Build, home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The frozen program with its own data folder, offscreen, nothing from this Python leaking in."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    full = {**clean, "QT_QPA_PLATFORM": "offscreen", "LIAISON_DESK_HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"), **env}
    return subprocess.run([str(build.exe), *args], capture_output=True, text=True, env=full,
                          cwd=home.parent, timeout=300)


def run_source(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LIAISON_DESK_HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"), **env}
    return subprocess.run([sys.executable, "-m", "liaison_desk", *args], capture_output=True, text=True,
                          env=full, cwd=ROOT, timeout=300)


def bundle_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def pdf_pages_text(path: Path) -> list[str]:
    """Each page's text as QtPdf extracts it: what a reader sees, without dates in the file's header."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_, path
    pages = [document.getAllText(i).text() for i in range(document.pageCount())]
    document.close()
    return pages


# The build ---------------------------------------------------------------------------------------


def test_the_build_is_one_folder_with_every_data_file_where_resources_looks(build, capsys):
    internal = build.folder / "_internal"  # sys._MEIPASS of a one-folder build
    assert build.exe.is_file() and os.access(build.exe, os.X_OK)
    for data_dir in ("forms", "ui"):
        source = sorted(p.relative_to(ROOT / data_dir) for p in (ROOT / data_dir).rglob("*") if p.is_file())
        bundled = sorted(p.relative_to(internal / data_dir) for p in (internal / data_dir).rglob("*") if p.is_file())
        assert bundled == source, data_dir
    for name in ("fonts/wqy-microhei.ttc", "fonts/gbsn00lp.ttf", "icons/liaison-desk.ico",
                 "icons/liaison-desk.png", "translations/qtbase_zh_CN.qm"):
        assert (internal / "resources" / name).is_file(), name
    say(capsys, f"PyInstaller build: {build.seconds:.0f} s")


def test_the_bundle_holds_only_the_qt_the_program_uses(build):
    pyside = build.folder / "_internal" / "PySide6"
    bindings = {p.name.split(".")[0] for p in pyside.glob("Qt*.*") if p.suffix in (".so", ".pyd")}
    assert bindings == {"QtCore", "QtGui", "QtWidgets", "QtPdf", "QtPrintSupport"}
    plugins = next(pyside.rglob("plugins"))
    kinds = {p.name for p in plugins.iterdir()}
    assert kinds <= set(trim.KEEP_PLUGINS) and "platforms" in kinds
    platforms = {trim._plugin_name(p.name) for p in (plugins / "platforms").iterdir()}
    assert "qoffscreen" in platforms and platforms <= trim.KEEP_PLUGINS["platforms"]  # type: ignore[operator]
    translations = [p.name for p in pyside.rglob("*.qm")]
    assert translations and all(name.endswith("_zh_CN.qm") for name in translations)
    assert not list(pyside.rglob("*Qml*")) and not list(pyside.rglob("*Quick*"))


def test_the_bundle_is_under_its_size_budget(build, capsys):
    size = bundle_bytes(build.folder)
    mib = size / 2**20
    say(capsys, f"bundle unpacked: {mib:.1f} MiB ({size / 1e6:.1f} MB, {size:,} bytes) — budget {BUDGET_MIB} MiB")
    assert mib < BUDGET_MIB


# The frozen program ------------------------------------------------------------------------------


def test_frozen_selftest_passes_offscreen(build, tmp_path):
    result = run_frozen(build, tmp_path / "home", "--selftest")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "自检通过" and not [line for line in lines if line.startswith("✗")]
    # every check ran, the QtPdf rendering included
    for part in ("政策预设", "字体", "临时数据库", "PDF：中文页面", "Excel", "QtPdf：中文页面渲染并读回"):
        assert any(part in line for line in lines), part


def test_frozen_version_is_the_one_in_pyproject(build, tmp_path):
    with open(ROOT / "pyproject.toml", "rb") as f:
        version = tomllib.load(f)["project"]["version"]
    result = run_frozen(build, tmp_path / "home", "--version")
    assert result.returncode == 0 and result.stdout.strip() == f"liaison-desk {version}"


def test_frozen_commands_give_what_the_program_from_source_gives(build, tmp_path, qapp):
    """Demo data into a new ledger, then every cadre's sheet for a month as one PDF: frozen and from
    source, each on its own file; the messages and the printed pages must be the same."""
    outputs = {}
    for kind, run in (("frozen", lambda *a: run_frozen(build, tmp_path / "home-f", *a)),
                      ("source", lambda *a: run_source(tmp_path / "home-s", *a))):
        db, pdf = tmp_path / f"{kind}.sqlite3", tmp_path / f"{kind}.pdf"
        demo = run("--db", str(db), "demo", "--cadres", "8", "--months", "2", "--end", MONTH)
        assert demo.returncode == 0, demo.stderr
        sheet = run("--db", str(db), "sheet", "--month", MONTH, "--all", "--out", str(pdf))
        assert sheet.returncode == 0, sheet.stderr
        outputs[kind] = (re.sub(r"（[\d.]+ 秒）", "", demo.stdout), sheet.stdout.replace(str(pdf), "OUT"),
                         pdf_pages_text(pdf))
    frozen, source = outputs["frozen"], outputs["source"]
    assert "干部 8 人" in frozen[0] and "8 份记录表" in frozen[1]
    assert frozen[:2] == source[:2]
    assert len(frozen[2]) >= 8 and frozen[2] == source[2]
    assert "工作记录表" in frozen[2][0]


def test_frozen_bad_input_is_one_chinese_line_exit_2_and_changes_nothing(build, tmp_path):
    db = tmp_path / "ledger.sqlite3"
    assert run_frozen(build, tmp_path / "home", "--db", str(db), "init", "--policy", "hnust-2025").returncode == 0
    before = db.read_bytes()
    result = run_frozen(build, tmp_path / "home", "--db", str(db), "cadre", "add", "张三", "--tier", "nobody")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "未知的层级" in result.stderr
    assert db.read_bytes() == before
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from cadre").fetchone() == (0,)


def test_frozen_sign_makes_a_pades_signature_that_validates(build, tmp_path):
    """pyHanko, cryptography and the stamp's font shaping are the most fragile parts of a bundle."""
    pytest.importorskip("pyhanko")
    from liaison_desk.paper.signing import check_pdf_signature

    db, signed = tmp_path / "ledger.sqlite3", tmp_path / "signed.pdf"
    p12, ca_der = make_certificate(tmp_path, "测试密码")
    home = tmp_path / "home"
    assert run_frozen(build, home, "--db", str(db), "demo", "--cadres", "4", "--months", "1",
                      "--end", MONTH).returncode == 0
    with sqlite3.connect(db) as con:
        (cadre,) = con.execute("select name from cadre order by id limit 1").fetchone()
    result = run_frozen(build, home, "--db", str(db), "sign", "--cadre", cadre, "--month", MONTH, "--p12", str(p12),
                        "--password-env", "LD_P12_PASSWORD", "--out", str(signed), LD_P12_PASSWORD="测试密码")
    assert result.returncode == 0, result.stdout + result.stderr
    check = check_pdf_signature(signed.read_bytes(), [ca_der])
    assert check.valid and check.trusted and check.intact, check.message


def test_frozen_window_opens_offscreen(build, tmp_path, qapp):
    from PySide6.QtGui import QImage

    db, shot = tmp_path / "ledger.sqlite3", tmp_path / "window.png"
    home = tmp_path / "home"
    assert run_frozen(build, home, "--db", str(db), "demo", "--cadres", "4", "--months", "1").returncode == 0
    shown = run_frozen(build, home, "--db", str(db), LIAISON_DESK_EXIT_AFTER_SHOW="1")
    assert shown.returncode == 0 and "main-window-shown" in shown.stdout, shown.stderr
    grabbed = run_frozen(build, home, "--db", str(db), LIAISON_DESK_SCREENSHOT=str(shot))
    assert grabbed.returncode == 0, grabbed.stderr
    image = QImage(str(shot))
    assert image.width() >= 640 and image.height() >= 480
    # the navigation's red and the page's text: more than a blank window
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20


def make_certificate(folder: Path, password: str) -> tuple[Path, bytes]:
    """A self-made CA and an office certificate it issued, in a password-protected .p12."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)

    def certificate(cn: str, key, issuer: x509.Name, issuer_key, ca: bool) -> x509.Certificate:
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
        builder = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer or name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        usage = (True, False, False, False, False, True, True, False, False) if ca else \
            (True, True, False, False, False, False, False, False, False)
        return builder.add_extension(x509.KeyUsage(*usage), critical=True).sign(issuer_key, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = certificate("测试根证书", ca_key, None, ca_key, True)
    office = certificate("党政办公室", key, ca.subject, ca_key, False)
    p12 = folder / "office.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"office", key, office, [ca], serialization.BestAvailableEncryption(password.encode("utf-8"))))
    return p12, ca.public_bytes(serialization.Encoding.DER)

