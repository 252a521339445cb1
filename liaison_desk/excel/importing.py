"""Importing workbooks: read the whole file, report every problem, then write all rows in one
transaction or none.

    imp = prepare("activities", path)      # read + plan: what would be added, changed, refused
    imp.preview                            # counts, samples, problems (sheet, row, column, why)
    commit(imp)                            # plans again inside one transaction, then writes

`import_file` does both for the command line. The plan is made again inside the write
transaction, so what is written matches the data as they are at that moment, not as they were
when the preview was shown. Every written row gets a change-log entry (record_many), and the
import itself one more, naming the file.
"""


from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..store import storage
from ..store.sql import retrying, write_transaction
from .import_ledger import ActivitiesImport, AssignmentsImport
from .import_roster import CadresImport, TargetsImport
from .importer import Importer, ImportRefused, Preview
from .kinds import IMPORT_KINDS, kind_id
from .read import MAX_PROBLEMS, Cancelled, Problem, Progress

__all__ = ["Cancelled", "ImportRefused", "Importer", "Preview", "Problem", "commit", "import_file", "prepare"]


# Running an import ------------------------------------------------------------------------------


@contextmanager
def bulk_work() -> Iterator[None]:
    """Python's cycle collector paused while an import makes its million small objects (rows,
    tuples, log entries; none of them cycles): it would scan them some 1,500 times, half a second
    on 100,000 lines. Turned back on after, as it was found."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def importer_for(kind: str, path: Path, year: str | None = None) -> Importer:
    kind = kind_id(kind, IMPORT_KINDS)
    if kind != "activities":  # the roster (cadres, targets, arrangements) is the office's
        from ..ledger.clerks import require

        require("roster_import")
    classes: dict[str, Callable[[Path, str | None], Importer]] = {
        "cadres": CadresImport, "targets": TargetsImport, "assignments": AssignmentsImport,
        "activities": ActivitiesImport}
    return classes[kind](path, year)


def prepare(kind: str, path: Path, year: str | None = None, progress: Progress | None = None) -> Importer:
    """Read the whole file and plan the import against the data as they are; writes nothing."""
    imp = importer_for(kind, path, year)
    with bulk_work():
        imp.read(progress)
        imp.plan(progress)
    return imp


@retrying
def commit(imp: Importer, progress: Progress | None = None) -> Preview:
    """Plan again and write, all in one transaction; refused (nothing written) on any problem.
    On a server a collision with another clerk's write rolls it all back and runs it again from
    the plan (retrying): never half an import, never one twice."""
    storage.settle_check()  # the session's integrity check, if it ran while the file was read
    with bulk_work(), write_transaction():
        p = imp.plan(progress)
        if p.problems:
            raise ImportRefused(p)
        if not (p.added or p.changed):
            return p  # nothing to write: the ledger (and its log) stay exactly as they were
        imp.logged = 0
        log = imp.write(progress)
        summary = {"file": imp.path.name, "kind": imp.kind.id, "rows": p.rows, "added": p.added,
                   "changed": p.changed, "unchanged": p.unchanged, "skipped": p.skipped}
        log.append(("import", imp.kind.id, "", None, summary))
        imp.flush_log(log)
        p.log_entries = imp.logged
        p.written = True
    return p


def import_file(kind: str, path: Path, dry_run: bool = False, year: str | None = None,
                progress: Progress | None = None) -> Preview:
    """The command line's import: read, check, and (unless a dry run) write all or nothing.
    Problems raise ImportRefused, dry run or not."""
    imp = importer_for(kind, path, year)
    with bulk_work():
        imp.read(progress)
    if dry_run:
        storage.settle_check()
        with bulk_work():
            p = imp.plan(progress)
        if p.problems:
            raise ImportRefused(p)
        return p
    return commit(imp, progress)


def problem_lines(p: Preview) -> list[str]:
    lines = [str(x) for x in p.problems.items]
    if p.problems.count > len(p.problems.items):
        lines.append(f"……另有 {p.problems.count - len(p.problems.items):,} 处问题未列出（只列出前 {MAX_PROBLEMS} 处）")
    return lines
