"""Work around a reference-counting fault in PySide6's `SignalInstance.emit`.

PySide6 6.12.0 returns the shared `True` from `emit()` without taking a reference for the caller.
Every `signal.emit(...)` from Python whose result is dropped therefore takes one reference from
`True`; after some thousands of edits (each emits `dataChanged`, `message`…) the count reaches
zero and the interpreter aborts with "Fatal Python error: bool_dealloc" — usually while it is
finalizing at exit, so the program ended with status 134 instead of 0.

`install()` measures whether the running PySide6 has the fault and, only if it has, wraps `emit`
so that the caller gets the reference it is owed. With a fixed PySide6 it changes nothing.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance


class _Probe(QObject):
    fired = Signal()


def emit_loses_a_reference() -> bool:
    """True if a dropped `emit()` result takes a reference from `True` (the PySide6 fault)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.fired.emit()
    return sys.getrefcount(True) < before


_installed = False


def install() -> None:
    """Give `emit()`'s result its reference back, if this PySide6 needs it. Idempotent."""
    global _installed
    if _installed or not emit_loses_a_reference():
        return
    original = SignalInstance.emit
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    incref.restype = None

    def emit(self: SignalInstance, *args: Any) -> Any:
        result = original(self, *args)
        if result is not None:
            incref(result)  # the reference PySide6 returned without owning
        return result

    SignalInstance.emit = emit  # type: ignore[method-assign]
    _installed = True
