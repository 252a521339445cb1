"""The PySide6 GUI: windows, Qt models over the core, dialogs. Only this package imports Qt."""
