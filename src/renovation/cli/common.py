"""What every CLI command shares: the runtime, who is signed in, JSON output, and rule violations
as exit code 1.

A command that records an act or shows unmasked data acts as the authenticated principal: the
token in `RENOVATION_TOKEN`, or the session `renovation login` saved for this store in the
user's config directory (`RENOVATION_CONFIG_DIR`, else `$XDG_CONFIG_HOME/renovation`, else
`~/.config/renovation`), a file only its owner can read.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from renovation.application.directory import AuthenticationError, IssuedToken, Principal
from renovation.bootstrap import Runtime, build
from renovation.config import Settings
from renovation.kernel.errors import RuleViolation
from renovation.logging import configure_logging
from renovation.secrets_config import require_store

SESSIONS_FILE = "sessions.json"


def settings(quiet: bool = False) -> Settings:
    """Settings from the environment; `quiet` logs warnings only unless a level was set."""
    current = Settings()
    level = current.log_level
    if quiet and "RENOVATION_LOG_LEVEL" not in os.environ:
        level = "WARNING"
    configure_logging(current.log_format, level)
    return current


@contextmanager
def refusals() -> Iterator[None]:
    """A refused command prints its rule, field and value as JSON on stderr and exits 1."""
    try:
        yield
    except RuleViolation as error:
        typer.echo(json.dumps(error.to_dict(), ensure_ascii=False), err=True)
        raise typer.Exit(1) from None


@contextmanager
def runtime(quiet: bool = False, create: bool = False, **kwargs: Any) -> Iterator[Runtime]:
    """The wired application, with refusals reported as above. Only the commands that set up
    a store (`demo`, `users add`, `users import`) may `create` it."""
    with refusals():
        current = settings(quiet)
        if not create:
            require_store(current)
        with build(current, **kwargs) as rt:
            yield rt


def emit(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


@contextmanager
def signed_in(quiet: bool = False, **kwargs: Any) -> Iterator[tuple[Runtime, Principal]]:
    """The runtime and the authenticated principal; refused (exit 1) when nobody signed in."""
    with runtime(quiet, **kwargs) as rt:
        yield rt, principal(rt)


def principal(rt: Runtime) -> Principal:
    token = os.environ.get("RENOVATION_TOKEN") or (saved_session(rt.settings) or {}).get("token")
    if not token:
        raise AuthenticationError(
            "auth.required", "token", None,
            "sign in first: renovation login STAFF_ID (or set RENOVATION_TOKEN)")
    return rt.auth.authenticate(token)


def config_dir() -> Path:
    given = os.environ.get("RENOVATION_CONFIG_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "renovation"


def _store_key(settings: Settings) -> str:
    """Sessions are kept per store: a token of one store means nothing to another."""
    return hashlib.sha256(settings.db.encode()).hexdigest()[:16]


def _sessions() -> dict[str, Any]:
    path = config_dir() / SESSIONS_FILE
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def saved_session(settings: Settings) -> dict[str, Any] | None:
    found = _sessions().get(_store_key(settings))
    return found if isinstance(found, dict) else None


def save_session(settings: Settings, issued: IssuedToken | None) -> None:
    """Keep (or with None, drop) this store's session, in a file readable by its owner only."""
    sessions = _sessions()
    if issued is None:
        sessions.pop(_store_key(settings), None)
    else:
        sessions[_store_key(settings)] = {
            "store": settings.db.split("@")[-1], "staff_id": issued.staff_id,
            "token_id": issued.token_id, "token": issued.token,
            "expires_at": issued.expires_at.isoformat()}
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)  # a folder made earlier by something else may be open to others
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".sessions.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(sessions, f, indent=1)
        Path(tmp).replace(folder / SESSIONS_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
