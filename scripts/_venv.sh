# Sourced by scripts/run and scripts/test: create or reuse .venv and install the project into it.
# Usage: ensure_venv [extras]   (comma-separated: "test" the test tools, "bench" the profiler;
# extras installed before are kept)
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
    local extras="${1:-}"
    if [ ! -x "$VENV/bin/python" ]; then
        local python
        python="$(pick_python)"
        echo "Creating virtual environment in $VENV"
        "$python" -m venv "$VENV"
    fi
    # Reinstall only when the dependency declaration changes or an extra not yet installed is
    # asked for; extras installed earlier are kept (scripts/test and scripts/bench share .venv).
    local stamp="$VENV/.renovation-installed"
    local hash have="" want
    hash="$(sha256sum <"$ROOT/pyproject.toml" | cut -c1-16)"
    if [ -f "$stamp" ]; then
        have="$(cut -d- -f2- <"$stamp")"
        [ "$have" = "none" ] && have=""
    fi
    want="$(printf '%s\n' ${have//,/ } ${extras//,/ } | sed '/^$/d' | sort -u | paste -sd, -)"
    if [ ! -f "$stamp" ] || ! grep -qx "$hash-${want:-none}" "$stamp"; then
        echo "Installing renovation${want:+ with [$want]} into $VENV"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        local target="$ROOT"
        [ -n "$want" ] && target="$ROOT[$want]"
        "$VENV/bin/python" -m pip install --quiet -e "$target"
        echo "$hash-${want:-none}" >"$stamp"
    fi
    export PATH="$VENV/bin:$PATH"
}
