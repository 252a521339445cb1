"""The PySide6 GUI: windows, Qt models over the core, dialogs. Only this package imports Qt."""

from .qt_fixes import install as _install_qt_fixes

_install_qt_fixes()
