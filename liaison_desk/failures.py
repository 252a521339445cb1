"""Failures of the machine, not of the program: a read-only file or folder, a full disk, a lock
file that is not ours, a path that is a folder. They reach the clerk as one Chinese sentence that
says what to do, not a traceback. SQLite has already rolled back whatever was being written, so
the data are as they were: the sentence says that too.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator

from peewee import DatabaseError as PeeweeDatabaseError

UNCHANGED = "本次操作没有写入任何内容，台账保持原样。"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The error and the ones it was raised while handling ("cannot rollback" hides "disk full")."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _os_error(e: OSError) -> str | None:
    where = f"：{e.filename}" if e.filename else ""
    if e.errno == errno.ENOSPC:
        return f"磁盘已满，无法写入{where}。请腾出磁盘空间后再试。{UNCHANGED}"
    if e.errno == errno.EROFS:
        return f"文件所在的磁盘或文件夹是只读的{where}。请换到可写的位置，或只做查看。{UNCHANGED}"
    if e.errno in (errno.EACCES, errno.EPERM):
        return (f"没有权限写入{where}（文件或文件夹只读，或属于其他用户）。请检查权限，"
                f"或请管理员处理。{UNCHANGED}")
    if e.errno == errno.EISDIR:
        return f"这里应是一个文件，却是一个文件夹{where}。请移走该文件夹后再试。"
    if e.errno == errno.ENOTDIR:
        return f"路径中的某一级不是文件夹{where}。"
    if e.errno == errno.EIO:
        return f"磁盘读写错误{where}（磁盘可能已满或损坏）。{UNCHANGED}"
    return None


def _sqlite_error(text: str) -> str | None:
    text = text.lower()
    if "database or disk is full" in text or "disk is full" in text:
        return f"磁盘已满，台账无法写入。请腾出磁盘空间后再试。{UNCHANGED}"
    if "readonly database" in text or "read-only" in text:
        return (f"台账文件或其所在文件夹是只读的，无法写入。请检查文件属性与文件夹权限，"
                f"或把台账复制到可写的位置。{UNCHANGED}")
    if "disk i/o error" in text:
        return f"读写台账时磁盘出错（磁盘可能已满、已拔出或损坏）。请检查磁盘后再试。{UNCHANGED}"
    if "unable to open database file" in text:
        return "无法打开或建立数据库文件：所在文件夹不存在、只读，或路径不是一个普通文件。"
    if "database is locked" in text:
        return f"台账正被另一个程序写入，请稍后再试。{UNCHANGED}"
    if "not a database" in text or "malformed" in text:
        return "台账文件已损坏或不是台账文件。请运行“校验”，或从备份恢复。"
    return None


def explain(exc: BaseException) -> str | None:
    """A clear Chinese sentence for a failure of the file system or the disk, else None."""
    for e in _chain(exc):
        if getattr(e, "sqlstate", None) == "42501":  # a server's "permission denied" (#19)
            detail = str(e).splitlines()[0] if str(e) else ""
            return (f"数据库拒绝了这一步：当前登录没有这项权限（{detail}）。"
                    f"学院秘书只能改本部门的记录；签字、修订、制度、学期、名册导入由党委办公室办理。{UNCHANGED}")
        if isinstance(e, OSError) and not isinstance(e, BrokenPipeError):
            found = _os_error(e)
            if found:
                return found
        if isinstance(e, sqlite3.Error | PeeweeDatabaseError):
            found = _sqlite_error(str(e))
            if found:
                return found
    return None
