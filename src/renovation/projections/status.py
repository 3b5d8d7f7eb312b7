"""状态 — where each projection stands: its versions, its position in the log, its lag."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from renovation.projections import tracking
from renovation.projections.base import Projection
from renovation.projections.verify import last_verified

if TYPE_CHECKING:
    from renovation.projections.runner import Projector


def projection_status(projector: Projector) -> list[dict[str, Any]]:
    """Per projection: code and stored version, generation, position, head, lag, state.

    The lag counts notification ids (gaps and events the projection does not read included);
    a caught-up projection moves its position to the head, so at rest the lag is 0.
    """
    head = projector.app.recorder.max_notification_id() or 0
    app_name = projector.app.name
    with projector.db.engine.connect() as conn:
        stored = {row.projection: row for row in conn.execute(select(projector.state))}
        at = {p.name: tracking.position(conn, projector.tracking, p.name, app_name)
              for p in projector.projections}
        verified = last_verified(conn, projector.db.metadata)
    rows = []
    for p in projector.projections:
        state, position = stored.get(p.name), at[p.name]
        rows.append({
            "projection": p.name, "version": p.version,
            "stored_version": state.version if state else None,
            "generation": state.generation if state else None,
            "position": position, "head": head,
            "lag": None if position is None else max(0, head - position),
            "state": _state(p, state, position, head),
            "verified_at": _when(verified[p.name].verified_at) if p.name in verified else None,
            "verified_ok": verified[p.name].ok if p.name in verified else None,
        })
    return rows


def _when(value: datetime) -> str:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat(timespec="seconds")


def _state(projection: Projection, stored: Any, position: int | None, head: int) -> str:
    if stored is None or position is None:
        return "not built"
    if stored.version != projection.version:
        return "rebuild needed"
    return "current" if position >= head else "behind"
