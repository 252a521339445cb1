"""What stays out of the bundle, and why (used by build.spec and the hooks in packaging/hooks/).

The bundle must stay under 160 MB on Linux. PyInstaller's defaults collect far more than the program
uses: every plugin of each Qt module in use (all platforms, the GTK theme, the virtual keyboard…)
and every language's translations, each dragging in further libraries (Wayland, Qt Quick, GTK);
image codecs and XML libraries of packages used for something else; on Linux, copies of system
libraries. One list per kind of thing, each with its reason; tests/test_packaging.py builds the
bundle and runs what it would break.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import PurePath

# Qt ---------------------------------------------------------------------------------------------

#: plugin type → plugin names kept (None: all of that type). Types not listed are left out.
#: Names are file names without "lib" and extension, so one list serves Linux and Windows.
#: A widgets program that renders PDFs needs a screen (xcb, windows; offscreen for tests and
#: --selftest on a server), input methods for typing Chinese (ibus; compose), the image formats
#: of an icon or a scanned signature, and printing.
KEEP_PLUGINS: dict[str, set[str] | None] = {
    "platforms": {"qxcb", "qwindows", "qoffscreen", "qminimal", "qcocoa"},
    "platforminputcontexts": {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"},
    "imageformats": {"qico", "qjpeg", "qgif"},
    "xcbglintegrations": None,
    "printsupport": None,
    "styles": None,
}

#: Python bindings the program does not use. Some are hidden imports of modules it does use
#: (QtPdf links Qt's network library, QtGui its D-Bus library): the libraries still come along as
#: link dependencies, but not the bindings, their plugins or their hooks' extras.
UNUSED_QT_MODULES = [
    "PySide6." + m for m in (
        "QtNetwork", "QtDBus", "QtQml", "QtQmlFeatures", "QtQuick", "QtQuickControls2", "QtQuickTest",
        "QtQuickWidgets", "QtSvg", "QtSvgWidgets", "QtOpenGL", "QtOpenGLWidgets", "QtSql", "QtTest",
        "QtXml", "QtUiTools", "QtDesigner", "QtHelp", "QtConcurrent", "QtPdfWidgets", "QtLabsStyleKit",
    )
]

#: The only language whose Qt translations are kept.
LANGUAGE = "zh_CN"

# Python modules ---------------------------------------------------------------------------------

#: Modules left out although something imports them; each is optional where it is imported.
UNUSED_MODULES = [
    # development tools that the program never imports
    "tkinter", "_tkinter", "pytest", "_pytest", "pytestqt", "mypy", "ruff", "IPython", "pydoc_data",
    "setuptools", "pkg_resources", "distutils", "_distutils_hack", "readline",
    # Pillow reads signature images and reportlab's pictures: PNG, JPEG, GIF, BMP, TIFF. Not AVIF
    # (a 5 MB codec), WebP, colour management or Tk/Qt glue; Pillow skips plugins that fail to import.
    "PIL._avif", "PIL.AvifImagePlugin", "PIL._webp", "PIL.WebPImagePlugin", "PIL._imagingcms",
    "PIL.ImageCms", "PIL._imagingtk", "PIL.ImageTk", "PIL.ImageQt",
    # lxml: python-docx (the Word record forms) needs lxml.etree only; PyInstaller's hook would
    # take every submodule (objectify alone is 2.9 MB, html another 1 MB).
    "lxml.objectify", "lxml.html", "lxml.isoschematron", "lxml.sax", "lxml.builder", "lxml.cssselect",
    "lxml.doctestcompare", "lxml.usedoctest", "lxml.ElementInclude", "lxml.pyclasslookup",
    # Japanese and Korean codecs (the Chinese ones, GBK/GB18030 and Big5, stay)
    "_codecs_jp", "_codecs_kr", "_codecs_iso2022",
]

#: Data folders of libraries left out: reportlab's demo and Type 1 fonts (the standard fonts'
#: metrics are in its code; sheets use the bundled Chinese fonts).
DATA_EXCLUDES = {"reportlab": ["fonts/**"],
                 # python-docx opens templates/default.docx; the unpacked copy it was made from is 1 MB
                 "docx": ["templates/default-docx-template/**"]}

# System libraries (Linux) -----------------------------------------------------------------------
#
# PySide6 from PyPI ships Qt and ICU but takes the libraries Qt links to from the system: the X11/xcb
# stack, D-Bus, fontconfig/freetype, GLib, Kerberos (for Qt's network library), CUPS. The bundle
# asks the same of the system (scripts/setup.sh installs them; a Linux desktop has them), so it
# needs nothing more than the program from source does, and it avoids a known trouble: a bundled
# fontconfig older than the system's configuration files breaks fonts. Libraries that Python or
# another package links to (SQLite, OpenSSL, zlib, the C++ runtime…) are bundled as usual.

#: Top-level folders of the Qt wheel inside the bundle.
QT_PACKAGES = ("PySide6", "shiboken6")


def _plugin(dest_dir: str) -> str | None:
    """The plugin type for a destination like PySide6/Qt/plugins/platforms, else None."""
    parts = PurePath(dest_dir).parts
    if "plugins" in parts and parts.index("plugins") + 1 < len(parts):
        return parts[parts.index("plugins") + 1]
    return None


def _plugin_name(src: str) -> str:
    name = PurePath(src).name.split(".")[0]
    return name[3:] if name.startswith("lib") else name


def keep_qt_binary(src: str, dest_dir: str) -> bool:
    kind = _plugin(dest_dir)
    if kind is None:
        return True
    if kind not in KEEP_PLUGINS:
        return False
    names = KEEP_PLUGINS[kind]
    return names is None or _plugin_name(src) in names


def keep_qt_data(src: str, dest_dir: str) -> bool:
    if PurePath(src).suffix == ".qm":
        return PurePath(src).stem.endswith("_" + LANGUAGE)
    return True


def collect_qt(hook_file: str) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """What PyInstaller's own hook for this Qt module collects, less the above."""
    from PyInstaller.utils.hooks.qt import add_qt6_dependencies

    hiddenimports, binaries, datas = add_qt6_dependencies(hook_file)
    return ([m for m in hiddenimports if m not in UNUSED_QT_MODULES],
            [b for b in binaries if keep_qt_binary(*b)],
            [d for d in datas if keep_qt_data(*d)])


def _system_libraries(entries: list[tuple[str, str, str]]) -> set[str]:
    """Libraries PyInstaller took from the system: they sit at the top of the bundle (a package's
    own copies, like pillow.libs/libxcb-<hash>.so, sit in its folder). libpython is the program's."""
    return {dest for dest, _src, kind in entries
            if kind == "BINARY" and len(PurePath(dest).parts) == 1 and not dest.startswith("libpython")}


def _direct_needs(path: str) -> set[str]:
    """The sonames a shared library links to directly (ldd would list the whole tree)."""
    try:  # binutils' readelf; PyInstaller needs binutils on Linux anyway (strip, objdump)
        out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True, check=True,
                             env={**os.environ, "LC_ALL": "C"}).stdout  # untranslated output
    except subprocess.CalledProcessError:  # no ELF file
        return set()
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out))


def leave_to_system(binaries: Iterable[tuple[str, str, str]]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Drop the system libraries that only Qt needs; returns (kept entries, dropped names).

    Entries are PyInstaller's (destination, source, type code). A system library stays when
    anything outside Qt links to it, directly or through other system libraries."""
    entries = list(binaries)
    if not sys.platform.startswith("linux"):
        return entries, []
    by_name: dict[str, list[str]] = {}
    for dest, _src, _kind in entries:
        by_name.setdefault(PurePath(dest).name, []).append(dest)
    source = {dest: src for dest, src, _kind in entries}
    system = _system_libraries(entries)
    qt = {dest for dest in source if PurePath(dest).parts[0] in QT_PACKAGES}

    def needed(dest: str) -> set[str]:
        return {d for n in _direct_needs(source[dest]) for d in by_name.get(n, []) if d not in qt}

    seen = set(source) - system - qt
    todo = list(seen)
    while todo:
        for dep in needed(todo.pop()):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    gone = system - seen
    return [e for e in entries if e[0] not in gone], sorted(gone)
