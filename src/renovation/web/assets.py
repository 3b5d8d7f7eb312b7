"""前端库 — the JavaScript libraries the pages use, served from the package (no CDN).

`frontend/package-lock.json` pins each library and the integrity (SHA-512) of its npm tarball.
`scripts/vendor` installs exactly that (`npm ci` refuses a tarball whose integrity differs),
copies the files the pages load into `static/vendor/` (and the test-only ones into
`tests/e2e/vendor/`), and writes `MANIFEST.json`: for each file, the package, version and
tarball integrity it came from and the file's own SHA-384. `verify` checks the chain: every
manifest entry agrees with the lockfile, and every served file still has its recorded hash.

    python -m renovation.web.assets refresh NODE_MODULES ROOT   # what scripts/vendor runs
    python -m renovation.web.assets check NODE_MODULES ROOT     # compare, change nothing
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import sys
from pathlib import Path
from typing import Any

STATIC = Path(__file__).parent / "static"
MANIFEST = "MANIFEST.json"
SERVED: dict[str, tuple[str, ...]] = {
    "echarts": ("dist/echarts.min.js",),
    "htmx.org": ("dist/htmx.min.js",),
}
"""The files the pages load, by npm package."""
TEST_ONLY: dict[str, tuple[str, ...]] = {"axe-core": ("axe.min.js",),
                                         "@asyncapi/specs": ("schemas/3.0.0.json",)}
"""Used by the tests only (the browser's accessibility check; the official AsyncAPI 3.0.0
schema the published document is validated against), vendored beside the browser tests."""


def sha384(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def lockfile_entry(lock: dict[str, Any], package: str) -> dict[str, str]:
    entry = lock["packages"][f"node_modules/{package}"]
    return {"version": entry["version"], "integrity": entry["integrity"]}


def targets(root: Path) -> list[tuple[str, str, Path]]:
    """(package, file in the package, where it is served from) for every vendored file."""
    places = ((SERVED, root / "src/renovation/web/static/vendor"),
              (TEST_ONLY, root / "tests/e2e/vendor"))
    return [(package, file, folder / vendored_name(package, file))
            for files, folder in places for package, names in files.items() for file in names]


def vendored_name(package: str, file: str) -> str:
    """The file's name, after its scoped package's (`@asyncapi/specs` → `asyncapi-specs-…`)."""
    name = Path(file).name
    return f"{package[1:].replace('/', '-')}-{name}" if package.startswith("@") else name


def refresh(node_modules: Path, root: Path, check_only: bool = False) -> list[str]:
    """Copy (or with `check_only` compare) the vendored files; returns what differs."""
    lock = json.loads((root / "frontend/package-lock.json").read_text(encoding="utf-8"))
    manifests: dict[Path, dict[str, Any]] = {}
    differences = []
    for package, file, target in targets(root):
        data = (node_modules / package / file).read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            differences.append(str(target.relative_to(root)))
            if not check_only:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(node_modules / package / file, target)
        manifests.setdefault(target.parent, {})[target.name] = {
            "package": package, "file": file, **lockfile_entry(lock, package),
            "sha384": sha384(data)}
    for folder, entries in manifests.items():
        text = json.dumps(entries, indent=1, sort_keys=True) + "\n"
        path = folder / MANIFEST
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            differences.append(str(path.relative_to(root)))
            if not check_only:
                path.write_text(text, encoding="utf-8")
    return differences


def verify(root: Path) -> list[str]:
    """Problems with the vendored files against the manifests and the lockfile (none: [])."""
    lock = json.loads((root / "frontend/package-lock.json").read_text(encoding="utf-8"))
    problems = []
    for package, file, target in targets(root):
        manifest = json.loads((target.parent / MANIFEST).read_text(encoding="utf-8"))
        entry = manifest.get(target.name)
        if entry is None:
            problems.append(f"{target.name}: not in the manifest")
            continue
        pinned = lockfile_entry(lock, package)
        if (entry["package"], entry["file"]) != (package, file) or any(
                entry[key] != pinned[key] for key in ("version", "integrity")):
            problems.append(f"{target.name}: the manifest does not match the lockfile")
        if not target.is_file() or sha384(target.read_bytes()) != entry["sha384"]:
            problems.append(f"{target.name}: the file is not the one the manifest records")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in ("refresh", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    changed = refresh(Path(argv[1]), Path(argv[2]), check_only=argv[0] == "check")
    for path in changed:
        print(f"{'differs' if argv[0] == 'check' else 'updated'}: {path}")
    problems = verify(Path(argv[2]))
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems or (argv[0] == "check" and changed) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
