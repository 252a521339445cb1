"""Reproducible builds (#17): the installed versions are the tested ones in constraints.txt, and
reportlab is the one whose private canvas internals pdf_layout was checked against."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import reportlab

from liaison_desk.paper import layout as pdf_layout

ROOT = Path(__file__).resolve().parent.parent


def _constraints():
    spec = importlib.util.spec_from_file_location("constraints", ROOT / "packaging" / "constraints.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("constraints", module)
    spec.loader.exec_module(module)
    return module


def test_reportlab_is_the_one_pdf_layout_writes_into():
    assert reportlab.Version == pdf_layout.CHECKED_REPORTLAB, (
        f"reportlab {reportlab.Version} is installed, but pdf_layout writes into reportlab "
        f"{pdf_layout.CHECKED_REPORTLAB}'s private canvas internals (Canvas._code): check the sheets and "
        "reports with this version (the PDF tests, benchmarks/bench_paper.py), then update "
        "pdf_layout.CHECKED_REPORTLAB and constraints.txt — or install the tested one: "
        "pip install -c constraints.txt -e '.[test]'")
    assert _constraints().pinned()["reportlab"] == pdf_layout.CHECKED_REPORTLAB, \
        "constraints.txt pins another reportlab than the one pdf_layout was checked against"


def test_every_dependency_is_pinned_and_installed_at_its_pinned_version():
    problems = _constraints().mismatches()
    assert problems == [], ("not the tested versions (pip install -c constraints.txt -e '.[test]'):\n"
                            + "\n".join(problems))


def test_a_version_other_than_the_pinned_one_is_named(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["reportlab>=4,<6", "peewee"]\n',
                                             "utf-8")
    (tmp_path / "constraints.txt").write_text("# tested\nreportlab==0.0.1\n", "utf-8")
    problems = _constraints().mismatches(tmp_path)
    assert problems == [f"reportlab: installed {reportlab.Version}, constraints.txt says 0.0.1",
                        "peewee: not pinned in constraints.txt"]
