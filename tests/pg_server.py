"""A real PostgreSQL server for the tests: initdb into a temporary folder, listening on 127.0.0.1
on a free port, stopped and removed at the end. No mocks: Debian's `postgresql` package
(scripts/setup.sh test installs it).

initdb refuses to run as root, so as root the cluster belongs to `nobody` (runuser). The
server asks for a password (scram), which the tests hand over the way a clerk's machine would:
libpq's PGPASSWORD, never in the URL.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

USER = "liaison"
PASSWORD = "test-only-secret"


def bin_dir() -> Path | None:
    """Debian's server binaries (/usr/lib/postgresql/<version>/bin), the newest; or PATH's."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    port: int
    folder: Path
    bin: Path
    as_user: str | None

    def url(self, database: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_user:
            command = ["runuser", "-u", self.as_user, "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.folder)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "stop", "-D", str(self.folder / "data"), "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start(durable: bool = False) -> Server:
    """Make a cluster in a fresh temporary folder and start it; raises when the binaries are missing.
    `durable` keeps the server's default fsync and commit waits (the benchmarks: a fair comparison
    with SQLite, which syncs its commits)."""
    binaries = bin_dir()
    if binaries is None:
        raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="liaison-pg-"))
    as_user = "nobody" if os.geteuid() == 0 else None
    if as_user:
        shutil.chown(folder, user=as_user)
    (folder / "pw").write_text(PASSWORD + "\n", "utf-8")
    if as_user:
        shutil.chown(folder / "pw", user=as_user)
    server = Server(_free_port(), folder, binaries, as_user)
    server._run("initdb", "-D", str(folder / "data"), "-U", USER, "--pwfile", str(folder / "pw"),
                "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync")
    # A test server: speed over durability (a crash loses a test run, nothing else).
    options = f"-c listen_addresses=127.0.0.1 -p {server.port} -k {folder} -c max_connections=50"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    server._run("pg_ctl", "start", "-D", str(folder / "data"), "-w", "-l", str(folder / "log"), "-o", options)
    return server
