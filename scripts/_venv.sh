# Sourced by scripts/run and scripts/test: create or reuse .venv and install the project into it.
# Usage: ensure_venv [extra]   (extra: "test" installs the test tools too)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${RENOVATION_VENV:-$ROOT/.venv}"

pick_python() {
    for candidate in python3.11 python3.12 python3.13 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
            echo "$candidate"
            return 0
        fi
    done
    echo "error: Python 3.11 or newer is required (python3.11 not found on PATH)" >&2
    return 1
}

ensure_venv() {
    local extra="${1:-}"
    if [ ! -x "$VENV/bin/python" ]; then
        local python
        python="$(pick_python)"
        echo "Creating virtual environment in $VENV"
        "$python" -m venv "$VENV"
    fi
    # Reinstall only when the dependency declaration or the requested extras change.
    local stamp="$VENV/.renovation-installed"
    local want
    want="$(cat "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)-${extra:-none}"
    if [ ! -f "$stamp" ] || ! grep -qx "$want" "$stamp"; then
        echo "Installing renovation${extra:+ with [$extra]} into $VENV"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        local target="$ROOT"
        [ -n "$extra" ] && target="$ROOT[$extra]"
        "$VENV/bin/python" -m pip install --quiet -e "$target"
        echo "$want" >"$stamp"
    fi
    export PATH="$VENV/bin:$PATH"
}
