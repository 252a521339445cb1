"""Shared fixtures. One offscreen QApplication for all GUI tests (pytest-qt's qapp), set before
Qt loads; the user's data folder and Qt settings point into a temporary folder so tests never
touch a real ledger; every test gets a fresh database file."""

from __future__ import annotations

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


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
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
