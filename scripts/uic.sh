#!/usr/bin/env bash
# Regenerate liaison_desk/gui/ui_*.py from the Designer files in ui/.
set -euo pipefail
cd "$(dirname "$0")/.."
UIC=${UIC:-.venv/bin/pyside6-uic}
for ui in ui/*.ui; do
  name=$(basename "$ui" .ui)
  "$UIC" "$ui" -o "liaison_desk/gui/ui_${name}.py"
done
