"""The command line: `main` parses arguments, opens the ledger and turns BadInput into exit 2;
one module per area registers its commands (check, safety, problems, paper, excel); `selftest`
checks an installation.

A face: may import every core area (and the GUI, to open the window); the core never imports it.
"""
