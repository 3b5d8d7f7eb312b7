# Sourced by scripts/test: the browser tests drive Debian's Chromium (no browser download), and
# CJK fonts make the pages' Chinese legible in it. Installed from Debian's packages when missing
# and this user may install packages; otherwise the browser tests say they were skipped.
ensure_browser() {
    if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
        return 0
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "note: chromium and fonts-noto-cjk are not installed (apt-get install chromium" \
            "fonts-noto-cjk as root); the browser tests will be skipped" >&2
        return 0
    fi
    echo "Installing chromium and fonts-noto-cjk (Debian packages, for the browser tests)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q chromium fonts-noto-cjk >/dev/null ||
        { apt-get update -q >/dev/null && apt-get install -y -q chromium fonts-noto-cjk >/dev/null; }
}
