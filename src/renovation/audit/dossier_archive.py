"""一户一档下载 — the archive as one zip file, for the pages and the API.

The same two files `renovation case dossier` writes into a folder (`dossier.json` with the
inclusion proofs, `dossier.html` to print), proved against the signed checkpoints the server is
configured with (`RENOVATION_CHECKPOINTS`, `RENOVATION_AUDIT_PUBLIC_KEY`). The server holds the
public key only: checkpoints are signed elsewhere, by whoever keeps the signing key.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from renovation.application.principal import Principal
from renovation.audit.checkpoint import load_public_key
from renovation.audit.dossier import DossierRefusedError
from renovation.audit.inspection import HTML_FILE, Inspection
from renovation.audit.verify_dossier import DOSSIER_FILE
from renovation.config import Settings


@dataclass(frozen=True)
class DossierDownload:
    filename: str
    content: bytes


def configured_anchor(settings: Settings) -> tuple[Path, Ed25519PublicKey]:
    """The checkpoints folder and public key a download is proved against, or a refusal."""
    if settings.checkpoints is None or settings.audit_public_key is None:
        missing = "RENOVATION_CHECKPOINTS" if settings.checkpoints is None else \
            "RENOVATION_AUDIT_PUBLIC_KEY"
        raise DossierRefusedError(
            "dossier.anchor_configured", missing, None,
            "this server has no signed checkpoints to prove an archive against: set"
            " RENOVATION_CHECKPOINTS and RENOVATION_AUDIT_PUBLIC_KEY (or `serve --checkpoints"
            " --public-key`)")
    try:
        key = load_public_key(settings.audit_public_key)
    except (OSError, ValueError) as error:
        raise DossierRefusedError(
            "dossier.anchor_configured", "RENOVATION_AUDIT_PUBLIC_KEY",
            str(settings.audit_public_key), f"the checkpoints' public key cannot be read: {error}",
        ) from None
    return settings.checkpoints, key


def dossier_zip(
    inspection: Inspection, settings: Settings, principal: Principal, case_ref: str,
    reason: str | None, unmask: bool = False, as_of: str | None = None,
) -> DossierDownload:
    """Export the archive (recorded in the case's access log) and pack it as `<case>.zip`."""
    checkpoints, key = configured_anchor(settings)
    with tempfile.TemporaryDirectory(prefix="dossier-") as scratch:
        out = Path(scratch) / "dossier"
        inspection.export_dossier(principal, case_ref, out, checkpoints, key, reason, unmask,
                                  as_of)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in (DOSSIER_FILE, HTML_FILE):
                archive.write(out / name, f"{case_ref}/{name}")
    suffix = f"-{as_of}" if as_of else ""
    return DossierDownload(f"一户一档-{case_ref}{suffix}.zip", buffer.getvalue())
