"""Compressed backups (`….sqlite3.zst`): older backups packed so that years of them fit a disk.

A SQLite ledger compresses several times (zstd, measured on the large ledger: see benchmarks/
bench_backup.py). Packing is safe at every step: the plain backup is checked (SQLite's
quick_check) first, packed under a `.part` name while its SHA-256 is taken, synced, read back
and compared byte for byte by hash, and only then renamed to its final name; the plain file is
deleted last. A killed or failed packing leaves the plain backup as it was and nothing under the
final name. zstd's own frame checksum then guards the packed bytes: a packed backup is sound
when it decompresses with a good checksum (its content passed the check before packing).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path

import zstandard

from ..errors import BadInput
from .safety import quick_check, sync_file, sync_folder

SUFFIX = ".zst"
LEVEL = 1  # large ledger, sample: 6.4× at 183 MB/s; level 3 6.0× at 119; gzip-6 5.7× at 20; xz-0 7.3× at 8
CHUNK = 1 << 20
THREADS = -1  # all cores: zstd splits the file into jobs (one frame, the same checksum)


class Damaged(BadInput):
    """The plain backup fails SQLite's check: it is not packed (the caller sets it aside)."""


class Stopped(Exception):
    """Packing was asked to stop (the program is closing): the plain backup stays as it was."""


def is_packed(path: Path) -> bool:
    return path.name.endswith(SUFFIX)


def plain_name(path: Path) -> Path:
    return path.with_name(path.name[: -len(SUFFIX)]) if is_packed(path) else path


def packed_name(path: Path) -> Path:
    return path if is_packed(path) else path.with_name(path.name + SUFFIX)


def pack(plain: Path, stop: threading.Event | None = None) -> Path:
    """Compress one checked plain backup to `<name>.zst` and delete the plain file. Returns the
    packed file. Refuses (Damaged) a plain backup that fails the check, and (BadInput) a packed
    copy that does not read back the same; either way the plain file is left as it was."""
    problem = quick_check(plain)
    if problem != "ok":
        raise Damaged(f"{plain.name} 未通过完好性检查（{problem}），未压缩")
    dest = packed_name(plain)
    part = dest.with_name(dest.name + ".part")
    try:
        digest, size = _compress(plain, part, stop)
        sync_file(part)
        if read_digest(part, stop) != (digest, size):
            raise BadInput(f"{plain.name} 压缩后读回的内容与原文件不符，未压缩")
        part.replace(dest)
        sync_folder(dest.parent)
    finally:
        part.unlink(missing_ok=True)
    plain.unlink()
    sync_folder(dest.parent)
    return dest


def _compress(source: Path, dest: Path, stop: threading.Event | None) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    params = zstandard.ZstdCompressionParameters.from_level(LEVEL, threads=THREADS, write_checksum=True,
                                                            write_content_size=True)
    compressor = zstandard.ZstdCompressor(compression_params=params)
    with (open(source, "rb") as src, open(dest, "wb") as out,
          compressor.stream_writer(out, size=source.stat().st_size, closefd=False) as writer):
        for block in _blocks(src, stop):
            h.update(block)
            size += len(block)
            writer.write(block)
    return h.hexdigest(), size


def _blocks(f: object, stop: threading.Event | None) -> Iterator[bytes]:
    read = f.read  # type: ignore[attr-defined]
    while block := read(CHUNK):
        if stop is not None and stop.is_set():
            raise Stopped
        yield block


def read_digest(path: Path, stop: threading.Event | None = None) -> tuple[str, int]:
    """SHA-256 and length of what a packed file decompresses to; zstd checks its frame checksum
    on the way (zstandard.ZstdError when the bytes were damaged)."""
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as f, zstandard.ZstdDecompressor().stream_reader(f, read_across_frames=True) as reader:
        for block in _blocks(reader, stop):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def is_sound(path: Path) -> bool:
    """A packed backup decompresses completely with a good checksum."""
    try:
        read_digest(path)
        return True
    except (zstandard.ZstdError, OSError, EOFError):
        return False


def unpack(path: Path, dest: Path) -> None:
    """Decompress a packed backup to `dest` (a temporary name the caller removes), synced."""
    try:
        with open(path, "rb") as f, open(dest, "wb") as out:
            zstandard.ZstdDecompressor().copy_stream(f, out, read_size=CHUNK, write_size=CHUNK)
        sync_file(dest)
    except zstandard.ZstdError as e:
        dest.unlink(missing_ok=True)
        raise BadInput(f"{path.name} 已损坏，无法解压（{e}）") from None
    except BaseException:
        dest.unlink(missing_ok=True)
        raise


