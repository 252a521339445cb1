"""Failures of the machine (issue 14, defect 5): a read-only file or folder, a lock that is not
ours, a full disk, a device for a ledger, a picture bomb, a closed pipe. Each is one Chinese
sentence and exit 2, never a traceback, and the ledger stays as it was. Real processes; the
read-only and full-disk cases need root (mount) or, for read-only, an ordinary user (chmod)."""

from __future__ import annotations

import contextlib
import os
import struct
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.ledger_files import dump

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def run(home: Path, db: Path, *args: str, stdout: int = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIAISON_DESK_HOME": str(home), "LIAISON_DESK_LOCK_WAIT": "1"}
    return subprocess.run([sys.executable, "-m", "liaison_desk", "--db", str(db), *args], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=300, env=env)


def refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "\n错误：" in "\n" + result.stderr
    for w in words:
        assert w in result.stderr, result.stderr


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """The file or folder made read-only: a read-only bind mount for root (whom chmod does not
    stop), chmod for anyone else."""
    if not ROOT:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    done = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot bind-mount here")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], check=True, capture_output=True)
        yield
    finally:
        subprocess.run(["umount", str(path)], check=True)


@contextlib.contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir()
    if not ROOT or subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                                  capture_output=True).returncode != 0:
        pytest.skip("a small disk needs root and tmpfs")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def ledger_file(tmp_path: Path, home: Path) -> Path:
    folder = tmp_path / "ledger"
    folder.mkdir()
    db = folder / "l.sqlite3"
    assert run(home, db, "init", "--policy", "hnust-2025").returncode == 0
    assert run(home, db, "cadre", "add", "陈书记", "--tier", "leader").returncode == 0
    return db


def test_a_read_only_ledger_file(ledger_file, home):
    before = dump(ledger_file)
    with read_only(ledger_file):
        refused(run(home, ledger_file, "cadre", "add", "林处长", "--tier", "middle_head"), "只读")
        assert run(home, ledger_file, "check", "--month", "2025-10").returncode == 0  # reading still works
    assert dump(ledger_file) == before


def test_a_read_only_folder(ledger_file, home):
    before = dump(ledger_file)
    with read_only(ledger_file.parent):
        refused(run(home, ledger_file, "cadre", "add", "林处长", "--tier", "middle_head"), "只读")
    assert dump(ledger_file) == before


def test_a_lock_file_we_may_not_write(ledger_file, home):
    lock = ledger_file.with_name(ledger_file.name + ".lock")
    lock.write_text('{"pid": 1, "user": "someone", "host": "other"}', encoding="utf-8")
    with read_only(lock):
        refused(run(home, ledger_file, "cadre", "add", "林处长", "--tier", "middle_head"), "l.sqlite3.lock")


def test_a_lock_path_that_is_a_folder(ledger_file, home):
    lock = ledger_file.with_name(ledger_file.name + ".lock")
    lock.unlink(missing_ok=True)  # left by the last command (the lock is on the open file, not its being there)
    lock.mkdir()
    refused(run(home, ledger_file, "cadre", "add", "林处长", "--tier", "middle_head"), "文件夹", ".lock")


def test_a_read_only_backup_folder(ledger_file, home):
    backups = home / "backups"
    backups.mkdir(parents=True, exist_ok=True)
    with read_only(backups):
        refused(run(home, ledger_file, "backup"))


def test_the_device_null_is_not_a_ledger(home):
    refused(run(home, Path(os.devnull), "check", "--month", "2025-10"), "不是一个普通文件")
    refused(run(home, Path(os.devnull), "init", "--policy", "hnust-2025"), "不是一个普通文件")


def test_disk_full_during_demo_is_a_clear_message_and_writes_nothing(tmp_path, home):
    with small_disk(tmp_path / "disk", "2m") as disk:
        db = disk / "l.sqlite3"
        assert run(home, db, "init", "--policy", "hnust-2025").returncode == 0
        before = dump(db)
        result = run(home, db, "demo", "--cadres", "60", "--months", "12")
        refused(result, "磁盘已满", "没有写入任何内容")
        assert "cannot rollback" not in result.stderr
        assert dump(db) == before


def test_disk_full_during_import_is_a_clear_message_and_writes_nothing(tmp_path, home):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "层级", "部门", "职务", "角色标签"])
    for i in range(6000):
        ws.append([f"干部{i:05d}", "中层副职", f"部门{i % 300}", "副院长" * 5, "学生工作部门"])
    wb.save(tmp_path / "cadres.xlsx")
    with small_disk(tmp_path / "disk", "1m") as disk:
        db = disk / "l.sqlite3"
        assert run(home, db, "init", "--policy", "hnust-2025").returncode == 0
        before = dump(db)
        refused(run(home, db, "import", "cadres", str(tmp_path / "cadres.xlsx")), "磁盘已满")
        assert dump(db) == before


def test_a_disk_full_to_the_last_byte(tmp_path, home):
    with small_disk(tmp_path / "disk", "1m") as disk:
        db = disk / "l.sqlite3"
        assert run(home, db, "init", "--policy", "hnust-2025").returncode == 0
        with contextlib.suppress(OSError), (disk / "filler").open("wb") as f:
            while True:
                f.write(b"\0" * 65536)
        for args in (("cadre", "add", "陈书记", "--tier", "leader"), ("check", "--month", "2025-10"), ("verify",)):
            refused(run(home, db, *args), "磁盘")


def bomb_png(width: int, height: int) -> bytes:
    """A 1-bit PNG of width×height pixels, all zero: a few tens of kB that unpack to gigabytes."""
    rows = zlib.compress(b"".join(b"\0" + b"\0" * ((width + 7) // 8) for _ in range(height)), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


@pytest.mark.parametrize("size", [20000, 6000])
def test_a_huge_signature_picture_is_refused(ledger_file, home, tmp_path, size):
    (tmp_path / "bomb.png").write_bytes(bomb_png(size, size))
    refused(run(home, ledger_file, "signature", "--cadre", "陈书记", "--image", str(tmp_path / "bomb.png")),
            "尺寸过大")


def test_output_piped_to_head_stops_quietly(ledger_file, home):
    env = {**os.environ, "LIAISON_DESK_HOME": str(home)}
    shell = (f"{sys.executable} -m liaison_desk --db {ledger_file} policy show | head -c 20 >/dev/null; "
             "echo ${PIPESTATUS[0]} >&2")
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, env=env, timeout=120)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == "0"
