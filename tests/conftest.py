"""Shared fixtures. One offscreen QApplication for all GUI tests (pytest-qt's qapp), set before
Qt loads; the user's data folder and Qt settings point into a temporary folder so tests never
touch a real ledger; every test gets a fresh database file.

With LIAISON_TEST_DB=postgresql the same tests run against a real PostgreSQL server that the
session starts (tests/pg_server.py): every test gets a fresh database on it instead of a file,
and tests about SQLite files (`sqlite_only`) are skipped."""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

_HOME = tempfile.mkdtemp(prefix="liaison-tests-")
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["LIAISON_DESK_HOME"] = _HOME
os.environ["XDG_CONFIG_HOME"] = str(Path(_HOME) / "config")

import pytest  # noqa: E402

from liaison_desk.cli.main import main  # noqa: E402
from liaison_desk.ledger import settings  # noqa: E402
from liaison_desk.policy import Policy  # noqa: E402
from liaison_desk.store import storage  # noqa: E402

_URL_FOLDERS_BEFORE = pytest.StashKey[set[str]]()
ON_SERVER = os.environ.get("LIAISON_TEST_DB", "").lower() in ("postgresql", "postgres", "pg")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only(reason): about SQLite files (backups, locks, damage, "
                                       "WAL); skipped when the tests run on PostgreSQL")


#: A folder a test would make in the current directory by taking a server's address for a file
#: path (the writer lock, the open marker): the production code refuses that now (safety.ledger_file).
URL_FOLDERS = ("postgresql:", "postgres:")


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_URL_FOLDERS_BEFORE] = {n for n in URL_FOLDERS if Path(n).exists()}


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A run that left such a folder behind fails, naming it."""
    made = {n for n in URL_FOLDERS if Path(n).exists()} - session.config.stash.get(_URL_FOLDERS_BEFORE, set())
    if made:
        print(f"\nThe tests made {sorted(made)} in {Path.cwd()}: a server's address was taken for a file path")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not ON_SERVER:
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            why = marker.args[0] if marker.args else marker.kwargs.get("reason", "about SQLite files")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {why}"))


class PgCluster:
    """The session's PostgreSQL server and the databases made on it."""

    _numbers = itertools.count(1)

    def __init__(self) -> None:
        import pg_server

        self.server = pg_server.start()
        os.environ["PGPASSWORD"] = pg_server.PASSWORD  # as libpq finds it on a clerk's machine
        self.template_ready = False

    def admin(self):  # noqa: ANN201 - a psycopg connection
        import psycopg

        return psycopg.connect(self.server.url("postgres"), autocommit=True)

    def new_database(self, prepared: bool = True) -> str:
        """The URL of a fresh database: with the ledger's tables (copied from a template, fast)
        or empty."""
        if prepared and not self.template_ready:
            with self.admin() as conn:
                conn.execute("CREATE DATABASE ledger_template")
            storage.open_database(self.server.url("ledger_template"), create=True)
            storage.close_database()
            self.template_ready = True
        name = f"t{next(self._numbers)}"
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {'ledger_template' if prepared else 'template0'}")
        return self.server.url(name)


@pytest.fixture(scope="session")
def pg() -> Iterator[PgCluster]:
    """A real PostgreSQL server for this session (Debian's package; started here, stopped at the end)."""
    import pg_server

    if pg_server.bin_dir() is None:
        pytest.skip("PostgreSQL is not installed (bash scripts/setup.sh test installs it)")
    cluster = PgCluster()
    yield cluster
    cluster.server.stop()


@pytest.fixture
def db_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where the test's ledger lives: a file, or (LIAISON_TEST_DB=postgresql) a fresh database's URL."""
    if ON_SERVER:
        return request.getfixturevalue("pg").new_database()
    return tmp_path / "ledger.sqlite3"


@pytest.fixture
def ledger(db_path: Path) -> Iterator[Policy]:
    """An open, initialised ledger with the 闽卫院 policy (both record forms in use)."""
    storage.open_database(db_path)
    policy = settings.init("fjwsxy-2021", "测试学院")
    yield policy
    storage.close_database()


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]):
    """Run `liaison-desk --db <file> ARGS…` in-process; returns (exit code, stdout, stderr)."""
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), *args])
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """The five policy documents, by seed number ('000'…'004'), from ../shared/seeds."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture
def fresh_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], Path]]:
    """Call it to run on from a new install folder whose forms/sheets holds only the roster list:
    what an upgrade that replaced the program folder, and dropped the shipped record forms, leaves."""
    import shutil

    from liaison_desk import forms, resources

    def install() -> Path:
        folder = tmp_path / "install" / "forms"
        shutil.copytree(resources.forms_dir(), folder)
        for path in (folder / "sheets").glob("*.toml"):
            if path.stem != "roster":
                path.unlink()
        monkeypatch.setattr(resources, "forms_dir", lambda: folder)
        forms.all_forms.cache_clear()
        return folder

    yield install
    monkeypatch.undo()
    forms.all_forms.cache_clear()
