"""PyInstaller's hook for this Qt module, with unused plugins, bindings and translations left out
(packaging/trim.py says which and why; build.spec puts packaging/ on sys.path)."""

from trim import collect_qt

hiddenimports, binaries, datas = collect_qt(__file__)
