#!/usr/bin/env bash
# Prepare a Debian/Ubuntu machine for Liaison Desk, then open the program or run every test.
#   bash scripts/setup.sh run    — system libraries, .venv, the package; then open the program
#   bash scripts/setup.sh test   — the same, plus Xvfb, poppler and PostgreSQL; then lint, type-check, all
#                                  tests, and the core tests again against a PostgreSQL server they start
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}
shift || true

# Qt's runtime libraries (offscreen and a real display), per DESIGN and the Qt docs.
packages=(libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0
          libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
          libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0)
if [ "$mode" = test ]; then
  packages+=(xvfb xauth poppler-utils postgresql)  # the tests start their own server (tests/pg_server.py)
fi
PYTHON=${PYTHON:-python3}
if ! command -v "$PYTHON" >/dev/null 2>&1 || ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  packages+=(python3 python3-venv python3-pip)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'  # tested versions

case "$mode" in
  run)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = Linux ]; then
      echo "没有图形显示（DISPLAY 未设置）：请在桌面环境中运行，或用 xvfb-run。" >&2
      exit 1
    fi
    exec .venv/bin/liaison-desk "$@"
    ;;
  test)
    export QT_QPA_PLATFORM=offscreen
    .venv/bin/python -m ruff check .
    .venv/bin/python -m mypy
    .venv/bin/python -m pytest "$@"
    # The same ledger on a PostgreSQL server: the tests again (not the frozen bundle's), each on a fresh
    # database of a real server the session starts itself (initdb into a temporary folder, 127.0.0.1,
    # stopped at the end); tests about SQLite files are skipped there, with the reason.
    [ $# -gt 0 ] || set -- tests -m "not slow"
    LIAISON_TEST_DB=postgresql exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: bash scripts/setup.sh run|test" >&2
    exit 2
    ;;
esac
