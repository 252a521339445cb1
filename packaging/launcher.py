"""The frozen program's entry script: PyInstaller runs a script, not a package's __main__.py
(whose relative import would fail outside the package). Same entry as `liaison-desk` from source."""

from liaison_desk.cli.main import entry

entry()
