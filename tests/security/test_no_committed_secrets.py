"""Nothing committed to the repository is a secret: no private key, no key file, no API token,
no key-encryption or index key written into a script or configuration file."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PATTERNS = {
    "a PEM private key": re.compile(rb"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "a renovation API token": re.compile(rb"rnv_[A-Za-z0-9_-]{20,}"),
    "an AWS access key": re.compile(rb"AKIA[0-9A-Z]{16}"),
    "a key assigned in a script or environment file": re.compile(
        rb"RENOVATION_(KEK|INDEX_KEY|HEAD_KEY)\s*=\s*['\"]?[A-Za-z0-9+/]{43}="),
}
KEY_FILES = ("kek.key", "index.key", "head-signing.key", "audit-signing.key")


def tracked() -> list[Path]:
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                                check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.fail("the repository's files could not be listed with git")
    return [ROOT / name.decode() for name in listed.split(b"\0") if name]


def test_no_secret_is_committed() -> None:
    files = [p for p in tracked() if p.is_file()]
    assert len(files) > 100
    found = []
    for path in files:
        if path.name in KEY_FILES or path.suffix in (".pem", ".key"):
            found.append(f"{path.relative_to(ROOT)}: a key file")
            continue
        data = path.read_bytes()
        found += [f"{path.relative_to(ROOT)}: {what}" for what, pattern in PATTERNS.items()
                  if pattern.search(data)]
    assert not found, found


def test_the_scanner_finds_what_it_looks_for() -> None:
    token = b"rnv_" + b"a1B2" * 8
    assert PATTERNS["a renovation API token"].search(b"export RENOVATION_TOKEN=" + token)
    pem = b"-----BEGIN " + b"PRIVATE KEY-----\nMC4CAQ"  # split: this file must not match
    assert PATTERNS["a PEM private key"].search(pem)
    key = b"RENOVATION_KEK=" + b"A" * 43 + b"="
    assert PATTERNS["a key assigned in a script or environment file"].search(key)
